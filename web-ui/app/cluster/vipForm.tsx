'use client';
import { useState, type FormEvent } from 'react';
import { ApiError, type FieldError } from '../../lib/api';
import { changeConfig } from '../../lib/changeConfig';
import { inputClass } from '../ui';

/**
 * A first VIP for the pair: one VRRP instance with one address, added to the shared
 * configuration (a new generation, synced to the peer) and applied. Errors come back from the
 * agent's validation with the field named.
 */
export function VipForm(p: { onDone: (message: string) => void }) {
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fieldError = (suffix: string) =>
    fields.find((f) => f.path.startsWith('cluster') && f.path.endsWith(suffix))?.message;
  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const name = String(form.get('name') ?? '');
    const address = String(form.get('vipAddress') ?? '').trim();
    try {
      const applied = await changeConfig(`VIP ${address} (instance ${name})`, (c) => ({
        ...c,
        cluster: {
          instances: [
            ...c.cluster.instances,
            {
              name,
              vrid: Number(form.get('vrid')),
              advertIntervalMs: Number(form.get('advertIntervalMs')),
              vips: [
                {
                  name: String(form.get('vipName') ?? ''),
                  address,
                  prefixLength: Number(form.get('prefixLength')),
                },
              ],
            },
          ],
        },
      }));
      setFields([]);
      setError(null);
      p.onDone(`VIP ${address} added: generation ${applied.generation} runs.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
      setFields(err instanceof ApiError ? err.fields : []);
    }
  };
  const input = (name: string, label: string, value: string, suffix: string, type = 'text') => (
    <label className="block">
      <span className="font-medium">{label}</span>
      <input name={name} type={type} required defaultValue={value} className={inputClass} />
      {fieldError(suffix) && (
        <span className="text-red-600 dark:text-red-400">{fieldError(suffix)}</span>
      )}
    </label>
  );
  return (
    <form
      onSubmit={(e) => void add(e)}
      aria-label="Add a VIP"
      className="grid gap-2 rounded border border-slate-200 p-4 text-sm sm:grid-cols-2 dark:border-slate-800"
    >
      <p className="sm:col-span-2">
        No VIP yet. A VIP is the address clients use; the master unit holds it and the backup takes
        it over.
      </p>
      {input('name', 'VRRP instance', 'edge', '.name')}
      {input('vrid', 'Virtual router ID (unique on the network)', '51', '.vrid', 'number')}
      {input('vipName', 'VIP name (services bind it by name)', 'web', 'vips[0].name')}
      {input('vipAddress', 'VIP address', '', 'vips[0].address')}
      {input('prefixLength', 'Prefix length', '24', 'vips[0].prefixLength', 'number')}
      {input(
        'advertIntervalMs',
        'Advert interval, ms (failover takes about three)',
        '200',
        '.advertIntervalMs',
        'number',
      )}
      {error && (
        <p role="alert" className="text-red-600 sm:col-span-2 dark:text-red-400">
          {error}
        </p>
      )}
      <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white sm:col-span-2 sm:justify-self-start">
        Add the VIP and apply
      </button>
    </form>
  );
}
