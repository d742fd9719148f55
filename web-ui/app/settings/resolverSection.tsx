'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ApplianceConfig } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { changeConfig } from '../../lib/changeConfig';
import { FormAlert, inputClass } from '../ui';

type Resolvers = ApplianceConfig['global']['resolvers'];

/** `198.18.7.53`, `198.18.7.53:5353`, `[2001:db8::53]:53` or `2001:db8::53`: port 53 unless said. */
function nameserver(token: string): { address: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(token);
  if (v6) return { address: v6[1] ?? '', port: Number(v6[2] ?? 53) };
  const v4 = /^([^:]+):(\d+)$/.exec(token);
  if (v4) return { address: v4[1] ?? '', port: Number(v4[2]) };
  return { address: token, port: 53 };
}
const shown = (n: { address: string; port: number }) =>
  `${n.address.includes(':') ? `[${n.address}]` : n.address}${n.port === 53 ? '' : `:${n.port}`}`;

/**
 * The name servers that backends following DNS ask (issue 19), and how long an answer holds:
 * part of the configuration (a new generation, shared with the peer), applied at once. None
 * means the unit's own /etc/resolv.conf. The agent checks every field and names it.
 */
export function ResolverSection(p: { admin: boolean; onNote: (text: string) => void }) {
  const [resolvers, setResolvers] = useState<Resolvers | null>(null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const c = await api<{ config: ApplianceConfig }>('GET', '/v1/config');
    setResolvers(c.config.global.resolvers);
  }, []);
  useEffect(() => void load(), [load]);

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const nameservers = String(f.get('nameservers') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(nameserver);
    try {
      const applied = await changeConfig(
        `name servers for DNS discovery: ${nameservers.map(shown).join(', ') || "the unit's own"}`,
        (c) => ({
          ...c,
          global: {
            ...c.global,
            resolvers: {
              ...c.global.resolvers,
              nameservers,
              holdValidMs: Number(f.get('holdValid')) * 1000,
            },
          },
        }),
      );
      setErrors([]);
      setError(null);
      p.onNote(`Name servers saved: generation ${applied.generation} runs.`);
      await load();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.fields : []);
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
    }
  };
  const err = (part: string) =>
    errors.find((x) => x.path.includes(`global.resolvers.${part}`))?.message;
  if (!resolvers) return null;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-1 text-lg font-medium">Name servers for servers from DNS</h2>
      <p data-testid="resolvers" className="mb-3 text-slate-500 dark:text-slate-400">
        Backends that follow a DNS name ask{' '}
        {resolvers.nameservers.length > 0
          ? resolvers.nameservers.map(shown).join(', ')
          : "the unit's own name servers (/etc/resolv.conf)"}
        ; an answer holds {resolvers.holdValidMs / 1000} s.
      </p>
      {p.admin && (
        <form
          aria-label="Name servers"
          onSubmit={(e) => void save(e)}
          className="grid gap-2 md:grid-cols-4"
        >
          <label className="block md:col-span-3">
            Name servers (address or address:port; empty: the unit&apos;s own)
            <input
              name="nameservers"
              defaultValue={resolvers.nameservers.map(shown).join(', ')}
              className={inputClass}
            />
            {err('nameservers') && (
              <span className="text-red-600 dark:text-red-400">{err('nameservers')}</span>
            )}
          </label>
          <label className="block">
            Answer holds (s)
            <input
              name="holdValid"
              type="number"
              min={1}
              max={3600}
              required
              defaultValue={resolvers.holdValidMs / 1000}
              className={inputClass}
            />
            {err('holdValidMs') && (
              <span className="text-red-600 dark:text-red-400">{err('holdValidMs')}</span>
            )}
          </label>
          <div className="md:col-span-4">
            <FormAlert text={errors.some((x) => x.path.includes('resolvers')) ? null : error} />
            <button className="mt-2 rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
              Save name servers
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
