'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../lib/api';
import { Field, Shell } from '../ui';

export default function LoginPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api('POST', '/v1/auth/login', {
        name: String(f.get('name') ?? ''),
        password: String(f.get('password') ?? ''),
      });
      router.push('/');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
    }
  };
  return (
    <Shell title="Sign in" subtitle="Tandem load-balancer console">
      <form onSubmit={(e) => void submit(e)} className="space-y-4">
        <Field name="name" label="Name" fields={[]} autoComplete="username" />
        <Field
          name="password"
          label="Password"
          type="password"
          fields={[]}
          autoComplete="current-password"
        />
        {error && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <button className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
          Sign in
        </button>
      </form>
    </Shell>
  );
}
