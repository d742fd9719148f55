'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { api, ApiError, type FieldError } from '../../lib/api';
import { Field, Shell, FormAlert } from '../ui';

/** First start: the one-time token from the agent's log makes the first admin. */
export default function SetupPage() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldError[]>([]);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      await api('POST', '/v1/auth/setup', {
        token: String(f.get('token') ?? '').trim(),
        name: String(f.get('name') ?? ''),
        password: String(f.get('password') ?? ''),
      });
      router.push('/');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
      setFields(err instanceof ApiError ? err.fields : []);
    }
  };
  return (
    <Shell
      title="Set up this Tandem unit"
      subtitle="Create the first administrator of this load balancer. There is no default password: a one-time setup token proves you have the unit."
    >
      <div
        className="mb-4 rounded bg-slate-50 p-3 text-sm dark:bg-slate-900"
        data-testid="token-help"
      >
        <p className="font-medium">Where to find the setup token</p>
        <ul className="mt-1 list-disc space-y-1 pl-5">
          <li>on the unit&apos;s screen or serial console, above the login prompt;</li>
          <li>
            in the agent&apos;s log: <code>journalctl -u tandem-agent</code>;
          </li>
          <li>
            as root on the unit: <code>tandemctl setup-token</code>.
          </li>
        </ul>
        <p className="mt-1">
          A new token is made each time the agent starts, until an administrator exists.
        </p>
      </div>
      <form onSubmit={(e) => void submit(e)} className="space-y-4">
        <Field name="token" label="Setup token" fields={fields} autoComplete="off" />
        <Field name="name" label="Administrator name" fields={fields} autoComplete="username" />
        <Field
          name="password"
          label="Password (12 characters or more)"
          type="password"
          fields={fields}
          autoComplete="new-password"
        />
        <FormAlert text={error} small />
        <button className="w-full rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
          Create administrator
        </button>
      </form>
    </Shell>
  );
}
