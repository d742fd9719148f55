'use client';
import { useState } from 'react';
import type { DiscoveryStatus } from '@tandem/core';
import { api } from '../../lib/api';
import { usePoll } from '../usePoll';

/** What the unit says of its servers from DNS (GET /v1/discovery), refreshed every 2 s. */
export function useDiscovery(enabled: boolean): DiscoveryStatus[] {
  const [status, setStatus] = useState<DiscoveryStatus[]>([]);
  usePoll(() => api<DiscoveryStatus[]>('GET', '/v1/discovery').then(setStatus), 2_000, [], enabled);
  return status;
}

const time = (at: number) => new Date(at).toLocaleTimeString();

/**
 * A backend whose servers follow DNS (issue 19): the name and how many slots are filled, the
 * name's last answer (or why there was none), and each filled slot with its address, port,
 * weight, health and since when. HAProxy fills the slots; the unit only shows them.
 */
export function DiscoveredSlots(p: { backend: string; status: DiscoveryStatus | undefined }) {
  const s = p.status;
  if (!s)
    return (
      <p className="border-t border-slate-100 py-1.5 text-slate-500 dark:border-slate-800 dark:text-slate-400">
        Servers from DNS: not running yet (apply to start following the name).
      </p>
    );
  const answer = s.answer
    ? s.answer.error
      ? `not answered at ${time(s.answer.at)} (${s.answer.error}): the last known servers stay`
      : `${s.answer.count} record${s.answer.count === 1 ? '' : 's'} at ${time(s.answer.at)}${s.answer.count > s.slots ? `, ${s.answer.count - s.slots} more than the slots` : ''}`
    : 'not asked yet';
  return (
    <div aria-label={`servers from DNS for ${p.backend}`}>
      <p className="border-t border-slate-100 py-1.5 dark:border-slate-800">
        <span className="font-medium">
          {s.type} {s.name}
        </span>
        <span className="text-slate-500 dark:text-slate-400">
          : {s.members.length} of {s.slots} slots filled; last answer {answer}
        </span>
      </p>
      <ul>
        {s.members.map((m) => (
          <li
            key={m.slot}
            className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-100 py-1.5 pl-4 dark:border-slate-800"
          >
            <span className="font-medium">{m.slot}</span>
            <span className="text-slate-500 dark:text-slate-400">
              {m.address}:{m.port}
            </span>
            <span className="inline-flex items-center gap-1.5">
              <span
                aria-hidden
                className={`inline-block h-2.5 w-2.5 rounded-full ${m.up ? 'bg-emerald-500' : 'bg-red-500'}`}
              />
              {m.up ? 'UP' : 'DOWN'}
            </span>
            <span className="text-slate-500 dark:text-slate-400">
              weight {m.weight}, since {time(m.since)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
