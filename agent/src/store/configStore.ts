/**
 * The config DB: every accepted change is a generation. The store is the one writer's memory;
 * the agent process is its only user.
 */
export type GenerationOrigin = 'change' | 'rollback' | 'runtime' | 'restore';

export interface NewGeneration {
  hash: string;
  parentHash: string | null;
  author: string;
  message: string;
  origin: GenerationOrigin;
  createdAt: string;
  /** The validated ApplianceConfig, as JSON text. */
  config: string;
  /** The unit the change was made on (null: before pairing existed, or an older store). */
  unit: string | null;
}

export interface GenerationRecord extends NewGeneration {
  number: number;
}

export type GenerationSummaryRecord = Omit<GenerationRecord, 'config'>;

export interface ConfigStore {
  latest(): GenerationRecord | null;
  get(number: number): GenerationRecord | null;
  /** Newest first. */
  list(limit: number, before?: number): GenerationSummaryRecord[];
  /**
   * Appends a generation on top of `base` (null: the store is empty). Returns null, writing
   * nothing, when `base` is no longer the latest: the caller reports a conflict.
   */
  append(base: number | null, generation: NewGeneration): GenerationRecord | null;
  /**
   * Appends generations made on the peer, numbers and hashes as they are, in one transaction;
   * false (writing nothing) unless the first sits on this store's latest (number and hash).
   */
  appendReplicated(entries: readonly GenerationRecord[]): boolean;
  /**
   * This unit joined a pair: its own generations move to the archive (kept, never deleted) and
   * the cluster's log takes their place; nothing runs until the next apply.
   */
  replaceLog(entries: readonly GenerationRecord[], reason: string): void;
  /**
   * A conflict resolved against this unit's branch: its generations after `number` move to the
   * archive (kept, never deleted), so the kept branch can follow from `number`.
   */
  archiveAfter(number: number, reason: string): number;
  /** Hashes of every generation, oldest first (to find where two logs part). */
  hashes(): { number: number; hash: string }[];
  /** This unit's own cluster settings (ClusterNode JSON, validated by the reader); never synced. */
  clusterNode(): unknown;
  setClusterNode(node: unknown): void;
  /** The paired unit, pinned (null: not paired). */
  pairing(): PairingRecord | null;
  setPairing(p: PairingRecord | null): void;
  running(): number | null;
  /**
   * `loaded`: HAProxy was (re)loaded with this generation's file; `live`: it reached this one
   * through runtime commands on top of the last loaded one (a live server change), no reload.
   */
  setRunning(number: number, how?: 'loaded' | 'live'): void;
  /** The generation HAProxy's worker last loaded (its `description`); live changes go beyond it. */
  loaded(): number | null;
  /**
   * A live server change being sent to HAProxy (its generation and Runtime API commands), so a
   * crash between the first command and "running" is finished at start.
   */
  liveChange(): { generation: number; commands: string[] } | null;
  setLiveChange(change: { generation: number; commands: string[] } | null): void;
  /** The generation an apply is swapping in, so a crash mid-apply is noticed at start. */
  applying(): number | null;
  setApplying(number: number | null): void;
  close(): void;
}

/** What a unit keeps of its peer: where it is and the certificate it pinned at pairing. */
export interface PairingRecord {
  unit: string;
  address: string;
  port: number;
  /** SHA-256 of the peer's certificate (DER), lowercase hex. */
  fingerprint: string;
  cert: string;
  pairedAt: number;
  /** This unit joined the pair (it showed the code) and waits for the cluster's log. */
  awaitingLog: boolean;
  /** Which side of the pairing this unit was: the inviter is proposed the higher priority. */
  role: 'inviter' | 'joiner';
}
