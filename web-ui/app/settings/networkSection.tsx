'use client';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { NetworkView, PendingConfirm } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { confirmReach } from '../../lib/confirmed';
import { FormAlert, inputClass } from '../ui';

const CONFIRM = '/v1/system/network/confirm';

/**
 * The unit's own address: DHCP, or a static IPv4 address (docs/install.md, "Network"). A change
 * runs at once and is undone unless confirmed in time. When the address stays the same the page
 * confirms by itself (it still reaches the unit); when it moves, the operator opens the new
 * address, signs in there and confirms on this page.
 */
export function NetworkSection(p: { admin: boolean; onNote: (text: string) => void }) {
  const [view, setView] = useState<NetworkView | null>(null);
  const [mode, setMode] = useState<'dhcp' | 'static'>('dhcp');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const v = await api<NetworkView>('GET', '/v1/system/network');
    setView(v);
    setMode(v.settings.mode);
  }, []);
  useEffect(() => void load(), [load]);

  const confirm = async (pending: PendingConfirm | null) => {
    const c = await confirmReach(pending ?? undefined, CONFIRM);
    if (c) p.onNote('Network settings confirmed: they are kept from now on.');
    await load();
  };
  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const address = String(f.get('address') ?? '');
    const body =
      mode === 'dhcp'
        ? { mode }
        : {
            mode,
            address,
            ...(f.get('gateway') ? { gateway: String(f.get('gateway')) } : {}),
            dns: String(f.get('dns') ?? '')
              .split(/[\s,]+/)
              .filter(Boolean),
          };
    try {
      const v = await api<NetworkView>('PUT', '/v1/system/network', body);
      setErrors([]);
      setError(null);
      await confirm(v.confirm);
    } catch (err) {
      if (err instanceof ApiError) {
        setErrors(err.fields);
        setError(err.fields.length ? null : err.message);
        return;
      }
      setError(
        `The unit no longer answers here. If its address moved, open https://${address.split('/')[0] || 'its new address'}/ within a minute, sign in and confirm on Settings; otherwise it goes back to its previous address by itself.`,
      );
    }
  };
  const err = (path: string) => errors.find((x) => x.path === path)?.message;
  if (!view) return null;
  const s = view.settings;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-1 text-lg font-medium">Network</h2>
      <p data-testid="network" className="mb-3 text-slate-500 dark:text-slate-400">
        {view.available
          ? `${view.interface ?? 'No wired interface'}: ${view.addresses.join(', ') || 'no address'} (${s.mode === 'dhcp' ? 'DHCP' : 'static'})`
          : "This unit's address is set by its host, not by Tandem."}
      </p>
      {view.confirm && (
        <div
          role="alert"
          className="mb-3 rounded border border-amber-300 bg-amber-50 p-3 dark:border-amber-800 dark:bg-amber-950"
        >
          {view.confirm.reasons.join('; ')}: not kept unless confirmed by{' '}
          {new Date(view.confirm.until).toLocaleTimeString()}.{' '}
          <button
            onClick={() => void confirm(view.confirm)}
            className="rounded bg-amber-600 px-2 py-0.5 font-medium text-white"
          >
            Confirm
          </button>
        </div>
      )}
      {p.admin && view.available && (
        <form
          aria-label="Network settings"
          onSubmit={(e) => void save(e)}
          className="grid gap-2 md:grid-cols-4"
        >
          <label className="block">
            Address
            <select
              value={mode}
              onChange={(e) => setMode(e.target.value as 'dhcp' | 'static')}
              className={inputClass}
            >
              <option value="dhcp">DHCP</option>
              <option value="static">Static</option>
            </select>
          </label>
          {mode === 'static' && (
            <>
              {(
                [
                  [
                    'address',
                    'Address/prefix',
                    s.mode === 'static' ? s.address : (view.addresses[0] ?? ''),
                  ],
                  ['gateway', 'Gateway', s.mode === 'static' ? (s.gateway ?? '') : ''],
                  ['dns', 'DNS servers', s.mode === 'static' ? s.dns.join(', ') : ''],
                ] as const
              ).map(([name, label, value]) => (
                <label key={name} className="block">
                  {label}
                  <input
                    name={name}
                    defaultValue={value}
                    required={name === 'address'}
                    className={inputClass}
                  />
                  {err(name) && <span className="text-red-600 dark:text-red-400">{err(name)}</span>}
                </label>
              ))}
            </>
          )}
          <div className="md:col-span-4">
            <FormAlert text={error} />
            <button className="mt-2 rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
              Save network settings
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
