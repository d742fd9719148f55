'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { Field, Shell, FormAlert } from '../ui';

/** Where to go after signing in: a page of this console only (never another site). */
function nextPage(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  // A path of this origin only: browsers read `//host` and `/\host` as another site.
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) && !next.startsWith('/login') ? next : '/';
}

export default function LoginPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  useEffect(() => setExpired(new URLSearchParams(window.location.search).has('expired')), []);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api('POST', '/v1/auth/login', {
        name: String(f.get('name') ?? ''),
        password: String(f.get('password') ?? ''),
      });
      router.push(nextPage(window.location.search));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
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
        <FormAlert text={error} small />
        <button className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
          Sign in
        </button>
      </form>
    </Shell>
  );
}
