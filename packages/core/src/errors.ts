/**
 * Typed errors of the domain. Every edge (HTTP route, CLI, console) maps these codes once;
 * raw messages from HAProxy or the OS never travel further than the adapter that saw them.
 */
export const ERROR_CODES = [
  'invalid_config',
  'invalid_template_params',
  'unknown_template',
  'render_failed',
  'haproxy_check_failed',
  'haproxy_unavailable',
  'store_corrupt',
  'conflict',
  'not_found',
  'reload_failed',
  'apply_failed',
  'runtime_failed',
  'bad_request',
  'forbidden',
  'unauthorized',
  'too_many_requests',
  'keepalived_check_failed',
  'keepalived_unavailable',
  /** The paired unit did not answer (down, unreachable, or its TLS handshake failed). */
  'peer_unavailable',
  /** The unit that answered is not the one pinned: another certificate (ADR 0015). */
  'peer_untrusted',
  /** The ACME CA did not issue (its answer, or the validation of a challenge, in the message). */
  'acme_failed',
  /** The console server could not reach the agent (it may be restarting). */
  'agent_unavailable',
  /** The unit's storage refused the write (full, or remounted read-only); nothing was saved. */
  'storage_unavailable',
  /** A bug: the agent's log has the details; the client gets no internals. */
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One problem with one field, named by its dotted path, e.g. `services[0].backends[1].servers[0].port`. */
export interface FieldError {
  path: string;
  message: string;
}

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly fields: readonly FieldError[];
  /** With `too_many_requests`: milliseconds until a retry may succeed. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    fields: readonly FieldError[] = [],
    o: { retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'TandemError';
    this.code = code;
    this.fields = fields;
    this.retryAfterMs = o.retryAfterMs;
  }
}

/** Formats a zod/JS path array the way users read it: `a.b[0].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}
