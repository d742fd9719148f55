import type { ClusterNode } from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import type { Clock } from '../adapters/clock.js';
import type { KeepalivedChecker } from '../adapters/keepalivedChecker.js';
import type { KeepalivedProcess } from '../adapters/keepalivedLauncher.js';
import type { EventStore } from '../store/eventStore.js';

/** What the VRRP service (vrrp.ts) is built from: composeVrrp.ts wires the real ones. */
export interface VrrpPaths {
  config: string;
  candidate: string;
  fifo: string;
  ready: string;
  /** Present while the unit is in standby (handed over): survives an agent restart. */
  standby: string;
}

export interface VrrpDeps {
  /** This unit's side (null until set): without it the unit takes no part in VRRP. */
  node: ClusterNode | null;
  unitName: string;
  paths: VrrpPaths;
  files: FileWriter;
  checker: KeepalivedChecker;
  keepalived: KeepalivedProcess;
  events: Pick<EventStore, 'add'>;
  clock: Clock;
  log: (m: string) => void;
  /** Process name for keepalived's own HAProxy tracking (appliance), null in the lab. */
  trackProcess: string | null;
  probes: {
    accepts(address: string, port: number): Promise<boolean>;
    duplicate(iface: string, address: string): Promise<boolean | null>;
    /** Whether this unit has the address on one of its interfaces right now. */
    holds(address: string): boolean;
  };
  /** The VIPs kept local on loopback for a moment after a handover (adapters/vipShadow.ts). */
  shadow: {
    add(address: string): Promise<void>;
    remove(address: string): Promise<void>;
    /** Why this unit's ARP could still announce a shadowed VIP (null: it cannot). */
    unsafe(): Promise<string | null>;
  };
  /** Ends TIME_WAIT sockets on a VIP this unit has just taken (adapters/timeWaitSockets.ts). */
  timeWait: { drop(address: string): Promise<void> };
  /** Reads keepalived's notify FIFO (adapters/notifyFifo.ts). */
  openFifo: (path: string, onLine: (line: string) => void) => Promise<{ close(): void }>;
  splitBrainIntervalMs?: number;
}
