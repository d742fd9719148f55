import { ApiError, ERROR_CODES, type FieldError } from '@tandem/core';
import { reportAgent } from './agentHealth';

/**
 * The browser's side of the console API: same-origin JSON calls to /api/..., which the console
 * server forwards to the agent with the session from an HttpOnly cookie. Errors carry the
 * agent's code, message and field errors, for forms to show next to the field.
 */
export { ApiError, type FieldError };

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  // A session that ended (idle timeout, signed out elsewhere) mid-use: back to sign-in, and
  // afterwards to this page. The auth routes answer 401 themselves; their callers decide.
  if (res.status === 401 && !path.startsWith('/v1/auth/') && typeof window !== 'undefined') {
    const here = window.location.pathname + window.location.search;
    window.location.assign(`/login?expired=1&next=${encodeURIComponent(here)}`);
  }
  const text = await res.text();
  const data = text === '' ? {} : (JSON.parse(text) as unknown);
  const e = (data as { error?: { code?: string; message?: string; fields?: FieldError[] } } | null)
    ?.error;
  reportAgent(e?.code === 'agent_unavailable');
  if (!res.ok) {
    throw new ApiError(res.status, {
      error: {
        code: ERROR_CODES.find((c) => c === e?.code) ?? 'internal_error',
        message: e?.message ?? res.statusText,
        fields: e?.fields ?? [],
      },
    });
  }
  return data as T;
}
