import { TandemError, type PeerHead, type SyncAnswer } from '@tandem/core';
import type { ConfigStore } from '../store/configStore.js';

/**
 * The receiving side of "the peer runs what the sender runs": POST /peer/v1/apply runs this
 * unit's latest (the hash the peer runs) with the normal apply. A failure is answered to the
 * peer and raised here too (event, status) until this unit runs that generation.
 */
export function createPeerApply(d: {
  store: Pick<ConfigStore, 'latest' | 'running'>;
  apply: () => Promise<unknown>;
  head: () => PeerHead;
  event: (severity: 'error', message: string) => void;
}) {
  let failure: { generation: number; error: string } | null = null;
  return {
    async applyLatest(hash: string, peer: string): Promise<SyncAnswer> {
      const latest = d.store.latest();
      if (!latest || latest.hash !== hash)
        throw new TandemError('conflict', 'the generation to run is not the latest here');
      try {
        await d.apply();
        failure = null;
        return { head: d.head(), apply: { ok: true, running: d.store.running(), error: null } };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        failure = { generation: latest.number, error };
        d.event(
          'error',
          `could not apply generation ${latest.number}, which ${peer} runs: ${error}; this unit runs ${d.store.running() ?? 'none'}`,
        );
        return { head: d.head(), apply: { ok: false, running: d.store.running(), error } };
      }
    },
    /** This unit's failure to run what its peer runs, while it lasts (for the status). */
    failure(peer: string): { state: 'apply-failed'; error: string } | null {
      if (!failure || d.store.running() === failure.generation) return null;
      return {
        state: 'apply-failed',
        error: `this unit could not apply generation ${failure.generation}, which ${peer} runs: ${failure.error}; it runs ${d.store.running() ?? 'none'}`,
      };
    },
  };
}
