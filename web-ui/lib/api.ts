import { ApiError, ERROR_CODES, type ErrorBody, type FieldError } from '@tandem/core';
import { reportAgent } from './agentHealth';

/**
 * The browser's side of the console API: same-origin JSON calls to /api/..., which the console
 * server forwards to the agent with the session from an HttpOnly cookie. Errors carry the
 * agent's code, message and field errors, for forms to show next to the field.
 */
export { ApiError, type FieldError };

/** This page has had a session (a call that needs one succeeded): a 401 now means it ended. */
let hadSession = false;

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await res.text();
  const data = text === '' ? {} : (JSON.parse(text) as unknown);
  // The agent's error body, read loosely: a proxy or a crash may answer something else.
  const e = (data as { error?: Partial<ErrorBody['error']> } | null)?.error;
  // No session: back to sign-in, and afterwards to this page. "Your session ended" only when
  // there was one (this page had it, or the agent says it ended: idle timeout, signed out
  // elsewhere), not on a first visit to a deep link.
  // The auth routes answer 401 themselves; their callers decide.
  if (res.status === 401 && !path.startsWith('/v1/auth/') && typeof window !== 'undefined') {
    const here = window.location.pathname + window.location.search;
    const ended =
      hadSession || e?.fields?.some((f) => f.path === 'session' && f.message === 'ended');
    window.location.assign(`/login?${ended ? 'expired=1&' : ''}next=${encodeURIComponent(here)}`);
  }
  reportAgent(e?.code === 'agent_unavailable');
  if (res.ok && (path === '/v1/auth/session' || !path.startsWith('/v1/auth/'))) hadSession = true;
  if (!res.ok) {
    throw new ApiError(res.status, {
      error: {
        code: ERROR_CODES.find((c) => c === e?.code) ?? 'internal_error',
        message: e?.message ?? res.statusText,
        fields: e?.fields ?? [],
        ...(typeof e?.retryAfterMs === 'number' ? { retryAfterMs: e.retryAfterMs } : {}),
      },
    });
  }
  return data as T;
}
