'use client';
import { useState } from 'react';
import type { EntitySample } from '@tandem/core';
import { api } from '../lib/api';
import { usePoll } from './usePoll';

const COLOR: Record<string, string> = {
  UP: 'bg-emerald-500',
  DOWN: 'bg-red-500',
  MAINT: 'bg-slate-400',
  DRAIN: 'bg-amber-500',
};

/** The sampler's latest snapshot of frontends, backends and servers, refreshed every 2 s. */
export function useLiveEntities(): EntitySample[] {
  const [entities, setEntities] = useState<EntitySample[]>([]);
  usePoll(
    () =>
      api<{ entities: EntitySample[] }>('GET', '/v1/stats').then((s) => setEntities(s.entities)),
    2_000,
    [],
  );
  return entities;
}

/** A server's live state as HAProxy reports it: a coloured dot, the word, and why when down. */
export function LiveState({ server }: { server: EntitySample | undefined }) {
  if (!server) return <span className="text-slate-500 dark:text-slate-400">not running</span>;
  return (
    <span
      className="inline-flex items-center gap-1.5"
      title={server.check?.description ?? server.status}
    >
      <span
        aria-hidden
        className={`inline-block h-2.5 w-2.5 rounded-full ${COLOR[server.state] ?? 'bg-slate-300'}`}
      />
      <span>{server.state}</span>
      {server.check && server.state === 'DOWN' && (
        <span className="text-red-600 dark:text-red-400">{server.check.description}</span>
      )}
    </span>
  );
}
