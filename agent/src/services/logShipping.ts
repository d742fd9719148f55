import { parseWith, SyncEntry, TandemError } from '@tandem/core';
import type { ConfigStore, GenerationRecord } from '../store/configStore.js';
import { summaryOf } from './generations.js';
import type { PeerCall } from './peerCall.js';

/** Generations per request, both ways. */
export const BATCH = 100;

const toEntry = (r: GenerationRecord): SyncEntry => ({ ...summaryOf(r), config: r.config });

/** This unit's generations from..to as they travel. */
export function entriesBetween(
  store: Pick<ConfigStore, 'get'>,
  from: number,
  to: number,
): SyncEntry[] {
  const out: SyncEntry[] = [];
  for (let n = from; n <= to; n++) {
    const r = store.get(n);
    if (r) out.push(toEntry(r));
  }
  return out;
}

/**
 * Ships this unit's generations after `after` to the peer, in batches; `replace`: the peer
 * joined and takes the whole log (the first batch replaces its own).
 */
export async function pushEntries(
  call: PeerCall,
  store: Pick<ConfigStore, 'get'>,
  after: number,
  to: number,
  replace = false,
): Promise<void> {
  for (let from = after + 1; from <= to; from += BATCH)
    await call('POST', '/peer/v1/generations', {
      entries: entriesBetween(store, from, Math.min(to, from + BATCH - 1)),
      ...(replace ? { replace: from === 1 } : {}),
    });
}

/** Fetches the peer's generations after `after` (one batch), parsed as untrusted input. */
export async function fetchEntries(
  call: PeerCall,
  peer: string,
  after: number,
): Promise<SyncEntry[]> {
  const body = await call('GET', `/peer/v1/generations?after=${after}&limit=${BATCH}`);
  const list = Array.isArray(body) ? body.map((e) => parseWith(SyncEntry, e)) : [];
  const entries = list.flatMap((r) => (r.ok ? [r.value] : []));
  if (entries.length === 0 || entries.length !== list.length)
    throw new TandemError('peer_unavailable', `${peer} sent generations that are not ones`);
  return entries;
}
