'use client';
import { useState } from 'react';
import type { DiscoveryStatus, EntitySample, Service } from '@tandem/core';
import { ConfirmButton } from '../confirmButton';
import { LiveState } from '../liveServers';
import { DiscoveredSlots } from './discoveredSlots';

type Server = Service['backends'][number]['servers'][number];
export type ServerChange = { state: Server['state'] } | { weight: number };

const button =
  'rounded border border-slate-300 px-2 py-0.5 disabled:opacity-40 dark:border-slate-700';
const STATES: { state: Server['state']; label: string }[] = [
  { state: 'ready', label: 'Ready' },
  { state: 'drain', label: 'Drain' },
  { state: 'maint', label: 'Maintenance' },
];

/** One service: where it listens, its servers with live actions, and its edit buttons. */
export function ServiceCard(p: {
  service: Service;
  admin: boolean;
  /** HAProxy's live view (the sampler), to show each server's state beside its configuration. */
  live: EntitySample[];
  /** The unit's servers from DNS, for backends that follow a name. */
  discovery: DiscoveryStatus[];
  onServer: (backend: string, server: string, change: ServerChange) => void;
  onEdit: () => void;
  onAdvanced: () => void;
  onRemove: () => void;
}) {
  const s = p.service;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4 text-sm dark:border-slate-800 dark:bg-slate-900">
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <h3 className="font-medium">{s.name}</h3>
        <span className="text-slate-500 dark:text-slate-400">
          {s.mode}, on {s.binds.map((b) => `${b.vip ?? b.address ?? '*'}:${b.port}`).join(', ')}
          {s.template ? `, from ${s.template.name}` : ''}
          {s.enabled ? '' : ', disabled'}
        </span>
        {p.admin && (
          <span className="ml-auto flex flex-wrap items-center gap-2">
            {s.template && (
              <button type="button" onClick={p.onEdit} className={button}>
                Edit
              </button>
            )}
            <button type="button" onClick={p.onAdvanced} className={button}>
              Advanced
            </button>
            <ConfirmButton
              label="Remove…"
              question={`Remove ${s.name}? It stops serving at the next apply.`}
              action="Remove"
              onConfirm={p.onRemove}
            />
          </span>
        )}
      </div>
      {s.backends.map((b) => (
        <div key={b.name}>
          <ul aria-label={`${s.name} backend ${b.name}`}>
            {b.servers.map((sv) => (
              <ServerRow
                key={sv.name}
                server={sv}
                live={p.live.find(
                  (e) =>
                    e.type === 'server' && e.proxy === `${s.name}.${b.name}` && e.name === sv.name,
                )}
                admin={p.admin}
                onChange={(c) => p.onServer(b.name, sv.name, c)}
              />
            ))}
          </ul>
          {b.serverTemplate?.dns && (
            <DiscoveredSlots
              backend={b.name}
              status={p.discovery.find((d) => d.service === s.name && d.backend === b.name)}
            />
          )}
        </div>
      ))}
    </li>
  );
}

function ServerRow(p: {
  server: Server;
  live: EntitySample | undefined;
  admin: boolean;
  onChange: (c: ServerChange) => void;
}) {
  const sv = p.server;
  const [weight, setWeight] = useState(String(sv.weight));
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-100 py-1.5 dark:border-slate-800">
      <span className="font-medium">{sv.name}</span>
      <span className="text-slate-500 dark:text-slate-400">
        {sv.address}:{sv.port}
      </span>
      <LiveState server={p.live} />
      <span className="text-slate-500 dark:text-slate-400">
        set {sv.state}, weight {sv.weight}
      </span>
      {p.admin && (
        <span className="ml-auto flex flex-wrap items-center gap-1">
          {STATES.map((x) => (
            <button
              key={x.state}
              type="button"
              disabled={sv.state === x.state}
              onClick={() => p.onChange({ state: x.state })}
              className={button}
            >
              {x.label}
            </button>
          ))}
          <form
            className="inline-flex items-center gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              p.onChange({ weight: Number(weight) });
            }}
          >
            <input
              aria-label={`Weight of ${sv.name}`}
              type="number"
              min={0}
              max={256}
              value={weight}
              onChange={(e) => setWeight(e.target.value)}
              className="w-16 rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-700 dark:bg-slate-800"
            />
            <button className={button} disabled={weight === String(sv.weight)}>
              Set
            </button>
          </form>
        </span>
      )}
    </li>
  );
}
