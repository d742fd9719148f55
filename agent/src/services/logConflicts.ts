import { TandemError } from '@tandem/core';
import type { ConfigStore, PairingRecord } from '../store/configStore.js';
import type { PeerCall } from './peerCall.js';

/**
 * After a partition with changes on both units (ADR 0015): the operator keeps one unit's
 * branch; the other unit's generations since the common ancestor go to its archive (never
 * deleted), and it takes the kept ones with the next sync round.
 */
export function createConflictResolution(d: {
  unitName: string;
  store: Pick<ConfigStore, 'hashes' | 'get' | 'latest' | 'archiveAfter'>;
  event: (severity: 'warning', message: string) => void;
}) {
  const hashAt = (n: number) => (n === 0 ? null : (d.store.get(n)?.hash ?? null));

  /** The last generation both logs hold with the same hash (0: none). */
  const commonAncestor = async (call: PeerCall): Promise<number> => {
    const body = await call('GET', '/peer/v1/hashes');
    const theirs = new Map(
      (Array.isArray(body) ? body : []).map((h: { number: number; hash: string }) => [
        h.number,
        h.hash,
      ]),
    );
    let n = 0;
    for (const h of d.store.hashes()) {
      if (theirs.get(h.number) !== h.hash) break;
      n = h.number;
    }
    return n;
  };
  const archiveBranch = (after: number, winner: string) => {
    const moved = d.store.archiveAfter(after, `conflict resolved: ${winner}'s branch kept`);
    d.event(
      'warning',
      `conflict resolved: ${winner}'s branch kept; this unit's ${moved} generation(s) after ${after} archived`,
    );
  };

  return {
    /** On the unit where the operator chose: `keep` is this unit or its peer. */
    async resolve(p: PairingRecord, call: PeerCall, keep: string, author: string): Promise<void> {
      if (keep !== d.unitName && keep !== p.unit)
        throw new TandemError('bad_request', `keep must be ${d.unitName} or ${p.unit}`, [
          { path: 'keep', message: `must be ${d.unitName} or ${p.unit}` },
        ]);
      const ancestor = await commonAncestor(call);
      if (keep === d.unitName) {
        await call('POST', '/peer/v1/resolve', {
          keep,
          ancestor,
          ancestorHash: hashAt(ancestor),
          author,
        });
        d.event(
          'warning',
          `${author} resolved the conflict: this unit's branch (generation ${d.store.latest()?.number ?? 0}) kept`,
        );
      } else archiveBranch(ancestor, `${p.unit} (chosen by ${author})`);
    },
    /** On the other unit: its peer's operator kept the peer's branch; this one's goes. */
    peerResolved(
      p: PairingRecord | null,
      r: { keep: string; ancestor: number; ancestorHash: string | null; author: string },
    ): void {
      if (!p || r.keep !== p.unit)
        throw new TandemError(
          'conflict',
          'only the kept unit may tell this one to archive its branch',
        );
      if (hashAt(r.ancestor) !== r.ancestorHash)
        throw new TandemError(
          'conflict',
          `generation ${r.ancestor} differs here: not a common ancestor`,
        );
      archiveBranch(r.ancestor, `${p.unit} (chosen by ${r.author} there)`);
    },
  };
}
