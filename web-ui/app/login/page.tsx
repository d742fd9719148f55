'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { CodeField, Field, Shell, FormAlert } from '../ui';

/** Where to go after signing in: a page of this console only (never another site). */
function nextPage(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  // A path of this origin only: browsers read `//host` and `/\host` as another site.
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

/** Whole seconds left until `until` (ms), ticking once a second; 0 once it has passed. */
function useCountdown(until: number): number {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, Math.ceil((until - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [until]);
  return left;
}

export default function LoginPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState(0);
  const wait = useCountdown(retryAt);
  const [expired, setExpired] = useState(false);
  // The agent asked for the second factor: the right password was given; the code comes next.
  const [needCode, setNeedCode] = useState(false);
  const [codeError, setCodeError] = useState<string | undefined>(undefined);
  useEffect(() => setExpired(new URLSearchParams(window.location.search).has('expired')), []);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api('POST', '/v1/auth/login', {
        name: String(f.get('name') ?? ''),
        password: String(f.get('password') ?? ''),
        ...(needCode ? { code: String(f.get('code') ?? '') } : {}),
      });
      router.push(nextPage(window.location.search));
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : null;
      const retryAfterMs = apiErr?.body.error.retryAfterMs;
      const code = apiErr?.fields.find((x) => x.path === 'code');
      // "required": the password was right, ask for the code; otherwise say what is wrong with it.
      setCodeError(
        !code || code.message === 'required'
          ? undefined
          : apiErr?.status === 400
            ? code.message
            : apiErr?.message,
      );
      if (code) {
        setNeedCode(true);
        setError(null);
      } else if (retryAfterMs !== undefined) {
        // The agent slows an address that keeps guessing: say how long, counting down.
        setError(null);
        setRetryAt(Date.now() + retryAfterMs);
      } else setError(err instanceof ApiError ? err.message : 'the unit did not answer');
    }
  };
  return (
    <Shell title="Sign in" subtitle="Tandem load-balancer console">
      {expired && (
        <p
          role="status"
          className="mb-4 rounded bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          Your session ended. Sign in again to continue where you were.
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} className="space-y-4">
        <Field name="name" label="Name" fields={[]} autoComplete="username" />
        <Field
          name="password"
          label="Password"
          type="password"
          fields={[]}
          autoComplete="current-password"
        />
        {needCode && <CodeField error={codeError} autoFocus />}
        <FormAlert text={error} small />
        {wait > 0 && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            Too many failed sign-ins from this address. Try again in{' '}
            <span data-testid="retry-countdown">{wait}</span> s.
          </p>
        )}
        <button
          disabled={wait > 0}
          className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500 disabled:opacity-50"
        >
          Sign in
        </button>
      </form>
    </Shell>
  );
}
