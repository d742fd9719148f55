import { parseApplianceConfig, TandemError, type SyncEntry } from '@tandem/core';
import type { ConfigStore, GenerationRecord, PairingRecord } from '../store/configStore.js';
import { generationHash } from './generationHash.js';

/**
 * Generations from the peer, checked as untrusted input (ADR 0015): each follows the one
 * before, its hash covers exactly the config it carries, and the config validates with the
 * schemas of API input (so a payload that would inject a directive is refused, field named).
 */
export function verifyEntries(entries: readonly SyncEntry[]): GenerationRecord[] {
  return entries.map((e, i) => {
    const prev = entries[i - 1];
    if (prev && (e.number !== prev.number + 1 || e.parentHash !== prev.hash))
      throw new TandemError(
        'bad_request',
        `generation ${e.number} does not follow ${prev.number}`,
        [{ path: `entries[${i}].parentHash`, message: 'does not chain to the previous entry' }],
      );
    if (generationHash(e.parentHash, e.config) !== e.hash)
      throw new TandemError(
        'bad_request',
        `generation ${e.number}: the hash does not match its content`,
        [{ path: `entries[${i}].hash`, message: 'does not match the config it carries' }],
      );
    let json: unknown;
    try {
      json = JSON.parse(e.config);
    } catch {
      throw new TandemError('bad_request', `generation ${e.number}: the config is not JSON`, [
        { path: `entries[${i}].config`, message: 'not JSON' },
      ]);
    }
    const parsed = parseApplianceConfig(json);
    if (!parsed.ok)
      throw new TandemError(
        'invalid_config',
        `generation ${e.number} from the peer does not validate here`,
        parsed.errors.map((f) => ({ path: `entries[${i}].config.${f.path}`, message: f.message })),
      );
    return { ...e };
  });
}

export type Taken =
  | { kind: 'replaced'; count: number }
  | { kind: 'appended'; count: number }
  /** The logs hold another generation at this number: they went separate ways. */
  | { kind: 'diverged'; at: { number: number; hash: string } };

/**
 * Takes verified generations into this unit's log: the whole log when this unit joined the pair
 * and waits for it (its own goes to the archive), else on top of its latest. Entries already
 * here with the same hash (a retry after a lost answer) are fine; another hash is a divergence.
 */
export function takeEntries(
  store: Pick<ConfigStore, 'latest' | 'get' | 'appendReplicated' | 'replaceLog' | 'setPairing'>,
  p: PairingRecord,
  entries: readonly GenerationRecord[],
  replace: boolean,
): Taken {
  if (replace) {
    if (!p.awaitingLog)
      throw new TandemError(
        'conflict',
        'this unit already has the cluster log: it is not replaced',
      );
    if (entries[0]?.number !== 1 || entries[0].parentHash !== null)
      throw new TandemError('bad_request', 'a whole log starts at generation 1');
    store.replaceLog(entries, `paired with ${p.unit}: its log replaces this unit's`);
    store.setPairing({ ...p, awaitingLog: false });
    return { kind: 'replaced', count: entries.length };
  }
  if (p.awaitingLog)
    throw new TandemError('conflict', 'this unit waits for the whole cluster log first');
  const latest = store.latest()?.number ?? 0;
  const present = entries.filter((e) => e.number <= latest);
  const differs = present.find((e) => store.get(e.number)?.hash !== e.hash);
  if (differs) return { kind: 'diverged', at: { number: differs.number, hash: differs.hash } };
  const rest = entries.slice(present.length);
  if (rest.length > 0 && !store.appendReplicated(rest))
    throw new TandemError(
      'conflict',
      `generation ${rest[0]?.number} does not sit on this unit's generation ${latest}`,
    );
  return { kind: 'appended', count: rest.length };
}
