'use client';
import { useState, type FormEvent } from 'react';
import type { ClusterNodes } from '@tandem/core';
import { api, ApiError, type FieldError } from '../../lib/api';
import { confirmReach } from '../../lib/confirmed';
import { inputClass, FormAlert } from '../ui';

type View = NonNullable<ClusterNodes['here']>;

/**
 * One unit's own failover settings, chosen from what that unit has (its interfaces and their
 * addresses, as its agent reads them), prefilled with what it uses or the proposal. The agent
 * of that unit checks them again and names the field it refuses.
 */
export function NodeSettingsForm(p: {
  view: View;
  instances: string[];
  onSaved: (n: ClusterNodes) => void;
}) {
  const start = p.view.node ?? p.view.proposal;
  const external = p.view.interfaces.filter((i) => !i.internal);
  const [iface, setIface] = useState(start?.interface ?? external[0]?.name ?? '');
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const addresses = p.view.interfaces.find((i) => i.name === iface)?.addresses ?? [];
  const fieldError = (path: string) => fields.find((f) => f.path === path)?.message;

  const save = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const node = {
      interface: iface,
      unicastSource: String(form.get('unicastSource') ?? ''),
      peers: String(form.get('peers') ?? '')
        .split(/[\s,]+/)
        .filter((s) => s !== ''),
      priorities: Object.fromEntries(
        p.instances.map((name) => [name, Number(form.get(`priority.${name}`))]),
      ),
    };
    try {
      const path = `/v1/cluster/nodes/${encodeURIComponent(p.view.unit)}`;
      const saved = await api<ClusterNodes>('PUT', path, { node });
      // Moving VRRP to another interface or address waits for this: the page still reaches the unit.
      await confirmReach(saved.confirm, `${path}/confirm`);
      p.onSaved(saved);
      setFields([]);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'the unit did not answer');
      setFields(err instanceof ApiError ? err.fields : []);
    }
  };

  return (
    <form
      onSubmit={(e) => void save(e)}
      aria-label={`Failover settings of ${p.view.unit}`}
      className="space-y-2 rounded border border-slate-200 p-4 text-sm dark:border-slate-800"
    >
      <h3 className="font-medium">
        {p.view.unit}{' '}
        <span className="font-normal text-slate-500 dark:text-slate-400">
          {p.view.node ? '(in use)' : '(proposed, not saved yet)'}
        </span>
      </h3>
      <label className="block">
        <span className="font-medium">Interface</span>
        <select
          name="interface"
          value={iface}
          onChange={(e) => setIface(e.target.value)}
          className={inputClass}
        >
          {p.view.interfaces.map((i) => (
            <option key={i.name} value={i.name}>
              {i.name} {i.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(', ')}
            </option>
          ))}
        </select>
        {fieldError('interface') && (
          <span className="text-red-600 dark:text-red-400">{fieldError('interface')}</span>
        )}
      </label>
      <label className="block">
        <span className="font-medium">Its address for VRRP</span>
        <select
          name="unicastSource"
          defaultValue={start?.unicastSource}
          key={iface}
          className={inputClass}
        >
          {addresses.map((a) => (
            <option key={a.address}>{a.address}</option>
          ))}
        </select>
        {fieldError('unicastSource') && (
          <span className="text-red-600 dark:text-red-400">{fieldError('unicastSource')}</span>
        )}
      </label>
      <label className="block">
        <span className="font-medium">Peer addresses</span>
        <input name="peers" defaultValue={start?.peers.join(', ')} className={inputClass} />
      </label>
      {p.instances.map((name) => (
        <label key={name} className="block">
          <span className="font-medium">Priority for {name}</span>
          <input
            name={`priority.${name}`}
            type="number"
            min={1}
            max={254}
            defaultValue={start?.priorities[name] ?? 100}
            className={inputClass}
          />
          {fieldError(`priorities.${name}`) && (
            <span className="text-red-600 dark:text-red-400">
              {fieldError(`priorities.${name}`)}
            </span>
          )}
        </label>
      ))}
      <FormAlert text={error} />
      <button className="rounded bg-indigo-600 px-3 py-1.5 font-medium text-white">
        Save {p.view.unit}&apos;s settings
      </button>
    </form>
  );
}
