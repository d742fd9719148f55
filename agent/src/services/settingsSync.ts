import { parseWith, SharedSettings, supersedes, TandemError } from '@tandem/core';
import type { Notifications } from './notifications.js';
import { sha256Hex } from './certificateRecords.js';
import type { PeerCall } from './peerCall.js';

/** The settings a pair shares beside the log (notifications), each stamped when it changed. */
export interface SharedSettingsSet {
  digest(): string;
  shared(): SharedSettings;
  /** The peer's newer documents taken; answers how many. */
  take(s: SharedSettings): Promise<number>;
}

export function sharedSettingsSet(
  notifications: Pick<Notifications, 'shared' | 'takeShared'>,
): SharedSettingsSet {
  const shared = (): SharedSettings => ({ notifications: notifications.shared() });
  return {
    // The stamps say it all: a document changes only with a new stamp.
    digest: () => {
      const n = shared().notifications;
      return sha256Hex(JSON.stringify({ notifications: n && [n.at, n.unit] }));
    },
    shared,
    async take(s) {
      return s.notifications && (await notifications.takeShared(s.notifications)) ? 1 : 0;
    },
  };
}

/**
 * Shared settings, when the two units' digests differ: this unit takes the peer's newer
 * documents, then gives the peer those of its own that are newer. Answers how many it took.
 */
export async function syncSettings(
  call: PeerCall,
  set: SharedSettingsSet,
  peer: { unit: string; digest: string },
): Promise<number> {
  if (set.digest() === peer.digest) return 0;
  const theirs = parseWith(SharedSettings, await call('GET', '/peer/v1/settings'));
  if (!theirs.ok)
    throw new TandemError('peer_unavailable', `${peer.unit} sent settings that are not ones`);
  const taken = await set.take(theirs.value);
  const mine = set.shared().notifications;
  if (mine && supersedes(mine, theirs.value.notifications))
    await call('POST', '/peer/v1/settings', { notifications: mine });
  return taken;
}
