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
  running(): number | null;
  setRunning(number: number): void;
  /** The generation an apply is swapping in, so a crash mid-apply is noticed at start. */
  applying(): number | null;
  setApplying(number: number | null): void;
  close(): void;
}
