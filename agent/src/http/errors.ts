import { TandemError, type ErrorBody, type ErrorCode } from '@tandem/core';

/** HTTP status per error code: the one place codes meet HTTP. */
const STATUS: Record<ErrorCode, number> = {
  invalid_config: 400,
  invalid_template_params: 400,
  bad_request: 400,
  unknown_template: 404,
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  too_many_requests: 429,
  conflict: 409,
  apply_failed: 422,
  reload_failed: 422,
  haproxy_check_failed: 422,
  keepalived_check_failed: 422,
  runtime_failed: 502,
  haproxy_unavailable: 503,
  keepalived_unavailable: 503,
  agent_unavailable: 503,
  peer_unavailable: 502,
  peer_untrusted: 502,
  acme_failed: 502,
  render_failed: 500,
  store_corrupt: 500,
  storage_unavailable: 507,
  internal_error: 500,
};

/**
 * What the OS or SQLite says when the state directory cannot take a write: a full disk, or one
 * the kernel remounted read-only (what a failing SD card does). Not a bug: the operator can act.
 */
function storageProblem(e: unknown): TandemError | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  if (/^(ENOSPC|EDQUOT|SQLITE_FULL)$/.test(code))
    return new TandemError(
      'storage_unavailable',
      "the unit's storage is full: nothing was saved and what runs is unchanged; free space and try again",
    );
  if (/^(EROFS|SQLITE_READONLY)/.test(code))
    return new TandemError(
      'storage_unavailable',
      "the unit's storage is read-only (a failing card or disk is remounted read-only): nothing was saved and what runs is unchanged",
    );
  return null;
}

export function toErrorResponse(e: unknown): { status: number; body: ErrorBody } {
  e = storageProblem(e) ?? e;
  if (e instanceof TandemError) {
    return {
      status: STATUS[e.code],
      body: {
        error: {
          code: e.code,
          message: e.message,
          fields: [...e.fields],
          ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: Math.ceil(e.retryAfterMs) }),
        },
      },
    };
  }
  // Anything else is a bug: say so without leaking internals to the client.
  return {
    status: 500,
    body: {
      error: { code: 'internal_error', message: 'internal error (see the agent log)', fields: [] },
    },
  };
}
