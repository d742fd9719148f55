import { z } from 'zod';
import { AbsolutePath, Name } from '../grammar/names.js';
import { IpAddress, Port } from '../grammar/network.js';
import { ClusterNode } from './cluster.js';

/**
 * Node-specific settings: this unit's identity, where its files and sockets live, and its side of
 * the cluster. Supplied by the agent from its environment, never synced, never edited from a peer.
 */
export const LogTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unix'), path: AbsolutePath }).strict(),
  z.object({ kind: z.literal('udp'), address: IpAddress, port: Port }).strict(),
  // HAProxy's ring buffer forwarded over TCP: flow-controlled, so a slow reader makes HAProxy
  // buffer instead of the kernel silently dropping datagrams (ADR 0008).
  z.object({ kind: z.literal('ring'), address: IpAddress, port: Port }).strict(),
]);
export type LogTarget = z.output<typeof LogTarget>;

/**
 * The pair as HAProxy's peers protocol sees it (stick tables replicated between the units):
 * this unit's own name and address, and its peer's. Each unit renders the same two peers with
 * itself as the local one, so neither ever declares the other's name as its own.
 */
export const PairPeers = z
  .object({
    port: Port,
    local: z.object({ name: Name, address: IpAddress }).strict(),
    remote: z.object({ name: Name, address: IpAddress }).strict(),
  })
  .strict();
export type PairPeers = z.output<typeof PairPeers>;

export const NodeSettings = z
  .object({
    unitName: Name,
    paths: z
      .object({
        statsSocket: AbsolutePath,
        // Where the agent saves `show servers state` before a reload and HAProxy reads it back,
        // so health, operator states, weights and addresses survive reloads and restarts.
        serverState: AbsolutePath,
        mapDir: AbsolutePath,
        certDir: AbsolutePath,
      })
      .strict(),
    logTarget: LogTarget.optional(),
    cluster: ClusterNode.optional(),
    pair: PairPeers.optional(),
  })
  .strict();
export type NodeSettings = z.output<typeof NodeSettings>;
export type NodeSettingsInput = z.input<typeof NodeSettings>;
