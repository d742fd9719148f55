'use client';
import { useEffect, useState, type FormEvent } from 'react';
import type { SessionInfo, SignInPolicy, TwoFactorEnrolment } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { CodeField, Field, FormAlert } from '../ui';

type Step =
  | { kind: 'idle' }
  | { kind: 'password'; then: 'start' | 'renew' | 'off' }
  | { kind: 'scan'; enrolment: TwoFactorEnrolment }
  | { kind: 'codes'; codes: string[] };

const button = 'rounded bg-indigo-600 px-3 py-1.5 font-medium text-white';
const plain = 'rounded border border-slate-300 px-3 py-1.5 dark:border-slate-700';

/**
 * Two-factor sign-in for the signed-in user (TOTP: any authenticator app): set up by scanning a
 * QR code and typing the first code, with recovery codes shown once; renewed or turned off with
 * the password and a code. Admins also set whether admins must use it.
 */
export function TwoFactorSection(p: {
  session: SessionInfo;
  onNote: (text: string) => void;
  onChange: () => void;
}) {
  const [on, setOn] = useState(p.session.twoFactor);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [policy, setPolicy] = useState<SignInPolicy | null>(null);
  const admin = p.session.role === 'admin';
  useEffect(() => {
    void api<SignInPolicy>('GET', '/v1/auth/policy').then(setPolicy, () => undefined);
  }, []);

  const fail = (e: unknown) => {
    setErrors(e instanceof ApiError ? e.fields : []);
    setError(e instanceof ApiError ? e.message : 'the unit did not answer');
  };
  const done = (next: Step) => {
    setStep(next);
    setErrors([]);
    setError(null);
  };
  /** The password (and, to renew or turn off, a code) entered: the step it was asked for. */
  const proceed = async (e: FormEvent<HTMLFormElement>, then: 'start' | 'renew' | 'off') => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const password = String(f.get('password') ?? '');
    try {
      if (then === 'start') {
        const enrolment = await api<TwoFactorEnrolment>('POST', '/v1/auth/two-factor/start', {
          password,
        });
        done({ kind: 'scan', enrolment });
      } else if (then === 'renew') {
        const r = await api<{ recoveryCodes: string[] }>(
          'POST',
          '/v1/auth/two-factor/recovery-codes',
          { password, code: String(f.get('code') ?? '') },
        );
        done({ kind: 'codes', codes: r.recoveryCodes });
      } else {
        await api('POST', '/v1/auth/two-factor/off', {
          password,
          code: String(f.get('code') ?? ''),
        });
        setOn(false);
        done({ kind: 'idle' });
        p.onNote('Two-factor sign-in is off: your password alone signs you in.');
        p.onChange();
      }
    } catch (err) {
      fail(err);
    }
  };
  const confirm = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code') ?? '');
    try {
      const r = await api<{ recoveryCodes: string[] }>('POST', '/v1/auth/two-factor/confirm', {
        code,
      });
      setOn(true);
      done({ kind: 'codes', codes: r.recoveryCodes });
      p.onChange();
    } catch (err) {
      fail(err);
    }
  };
  const setRequired = async (value: boolean) => {
    try {
      setPolicy(
        await api<SignInPolicy>('PUT', '/v1/auth/policy', { requireTwoFactorForAdmins: value }),
      );
      setError(null);
      p.onNote(
        value
          ? 'Admins now need two-factor sign-in; those without it act as read-only until they set it up.'
          : 'Two-factor sign-in is optional for admins.',
      );
    } catch (err) {
      fail(err);
    }
  };
  const codeError = errors.find((x) => x.path === 'code')?.message;

  return (
    <section
      id="two-factor"
      aria-label="Two-factor sign-in"
      className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="mb-1 text-lg font-medium">Two-factor sign-in</h2>
      <p className="mb-3 text-slate-500 dark:text-slate-400" data-testid="two-factor-state">
        {on
          ? 'On: you sign in with your password and a code from your authenticator app.'
          : 'Off: your password alone signs you in. Add a code from an authenticator app (any TOTP app) to sign in and to open the terminal.'}
      </p>
      {step.kind === 'idle' && (
        <div className="flex flex-wrap gap-2">
          {!on && (
            <button className={button} onClick={() => done({ kind: 'password', then: 'start' })}>
              Set up two-factor sign-in
            </button>
          )}
          {on && (
            <>
              <button className={plain} onClick={() => done({ kind: 'password', then: 'renew' })}>
                New recovery codes
              </button>
              <button className={plain} onClick={() => done({ kind: 'password', then: 'off' })}>
                Turn off
              </button>
            </>
          )}
        </div>
      )}
      {step.kind === 'password' && (
        <form
          aria-label="Confirm it is you"
          onSubmit={(e) => void proceed(e, step.then)}
          className="space-y-2"
        >
          <Field
            name="password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            fields={errors}
          />
          {step.then !== 'start' && <CodeField error={codeError} />}
          <div className="flex gap-2">
            <button className={button}>Continue</button>
            <button type="button" className={plain} onClick={() => done({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {step.kind === 'scan' && (
        <form aria-label="Scan and confirm" onSubmit={(e) => void confirm(e)} className="space-y-3">
          <p>Scan this with your authenticator app, then type the code it shows.</p>
          {/* The agent draws the QR code (SVG) from the otpauth URI: nothing leaves the unit. */}
          <img
            src={`data:image/svg+xml;base64,${btoa(step.enrolment.qrSvg)}`}
            alt="QR code of the two-factor secret"
            width={200}
            height={200}
            className="rounded bg-white p-1"
            data-testid="totp-qr"
          />
          <p className="text-slate-500 dark:text-slate-400">
            Cannot scan? Type this key instead:{' '}
            <code
              data-testid="totp-secret"
              className="break-all font-mono text-slate-900 dark:text-slate-100"
            >
              {/* In groups of four, as people copy it; apps ignore the spaces. */}
              {step.enrolment.secret.replace(/(.{4})(?=.)/g, '$1 ')}
            </code>
          </p>
          <CodeField error={codeError} autoFocus />
          <div className="flex gap-2">
            <button className={button}>Turn on</button>
            <button type="button" className={plain} onClick={() => done({ kind: 'idle' })}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {step.kind === 'codes' && (
        <div className="space-y-3">
          <p>
            Your recovery codes. Each signs you in once if you lose your phone. Keep them somewhere
            safe: they are not shown again.
          </p>
          <ul
            data-testid="recovery-codes"
            className="grid grid-cols-2 gap-1 rounded bg-slate-50 p-3 font-mono dark:bg-slate-800"
          >
            {step.codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <button className={button} onClick={() => done({ kind: 'idle' })}>
            I have kept them
          </button>
        </div>
      )}
      <FormAlert text={error} />
      {admin && policy && (
        <label className="mt-4 flex items-start gap-2 border-t border-slate-100 pt-3 dark:border-slate-800">
          <input
            type="checkbox"
            name="requireTwoFactorForAdmins"
            checked={policy.requireTwoFactorForAdmins}
            onChange={(e) => void setRequired(e.currentTarget.checked)}
            className="mt-1"
          />
          <span>
            Require two-factor sign-in for admins
            <span className="block text-slate-500 dark:text-slate-400">
              An admin without it can look but change nothing until they set it up. Both units of a
              pair follow this.
            </span>
          </span>
        </label>
      )}
    </section>
  );
}
