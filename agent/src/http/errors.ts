import { TandemError, type ErrorBody, type ErrorCode } from '@tandem/core';
import { storageProblem } from '../storageProblem.js';

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
