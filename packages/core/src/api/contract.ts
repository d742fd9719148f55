import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { Name } from '../grammar/names.js';
import { SafeText } from '../grammar/text.js';
import { ServerChange } from '../runtime/planServerChange.js';

/**
 * The agent API contract: request and response bodies of every route, shared by the agent (which
 * validates requests with them), tandemctl and the console (which read responses with them), and
 * the OpenAPI document served at /openapi.json.
 */
export const Author = z
  .string()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'must be 1-64 characters from A-Z a-z 0-9 _ . @ -' });

export const GENERATION_ORIGINS = ['change', 'rollback', 'runtime', 'restore'] as const;

export const GenerationSummary = z.object({
  number: z.number().int().min(1),
  hash: z.string(),
  parentHash: z.string().nullable(),
  author: z.string(),
  message: z.string(),
  origin: z.enum(GENERATION_ORIGINS),
  createdAt: z.string(),
  /** The unit the change was made on (null: made before the unit was paired, or restored). */
  unit: z.string().nullable(),
});
export type GenerationSummary = z.output<typeof GenerationSummary>;

export const GenerationDetail = GenerationSummary.extend({ config: z.unknown() });

/** `base` is the generation the change was made on; a stale base is a conflict, never an overwrite. */
const base = z.number().int().min(0).nullable();
const message = SafeText(500).default('');

export const ChangeRequest = z.object({ base, config: z.unknown(), message }).strict();
export const ServiceRequest = z.object({ base, service: z.unknown(), message }).strict();
export const TemplateServiceRequest = z
  .object({ base, template: Name, params: z.unknown(), message })
  .strict();
export const RemoveServiceRequest = z.object({ base, message }).strict();
export const RollbackRequest = z.object({ base, to: z.number().int().min(1), message }).strict();
export const ServerChangeRequest = z
  .object({ base: base.optional(), change: ServerChange, message })
  .strict();

export const AddServersRequest = z
  .object({ base: base.optional(), servers: z.array(z.unknown()).min(1).max(1000), message })
  .strict();
export const RemoveServerRequest = z.object({ base: base.optional(), message }).strict();

export const CommitResponse = z.object({ generation: GenerationSummary });

/** A dry run's answer (`?dryRun=true`): what the edit would render and change, nothing committed. */
export const EditPreview = z.object({
  haproxyCfg: z.string(),
  /** Rendered haproxy.cfg, running generation → proposed: what an apply would change. */
  haproxy: z.string(),
  /** Model JSON, desired generation → proposed: what this edit changes. */
  config: z.string(),
  /** What an apply of it would leave on the previous worker (ADR 0014). */
  reload: z.object({
    /** Connections open now (a second ago at most), which would finish on the previous worker. */
    openConnections: z.number().int().nullable(),
    /** How long the previous worker may keep them (hard-stop-after). */
    graceMs: z.number().int(),
  }),
});
export type EditPreview = z.output<typeof EditPreview>;
export const EditResponse = z.union([CommitResponse, z.object({ preview: EditPreview })]);
export type EditResponse = z.output<typeof EditResponse>;

/**
 * A change that could cut the operator off, applied from the console, waiting for the console
 * to confirm it still reaches the unit; undone at `until` otherwise.
 */
export const PendingConfirm = z.object({
  key: z.string(),
  until: z.number(),
  reasons: z.array(z.string()),
});
export type PendingConfirm = z.output<typeof PendingConfirm>;

export const ApplyResponse = z.object({
  generation: z.number().int(),
  outcome: z.enum(['reload', 'unchanged']),
  durationMs: z.number(),
  /** Checked servers HAProxy had no saved state for (new or renamed): they start as checks decide. */
  freshServers: z.array(z.string()).optional(),
  /** What stays on the previous worker after the reload (ADR 0014). */
  previousWorker: z
    .object({
      connectionsOnPreviousWorker: z.number().int(),
      previousWorkerStopsAt: z.number().nullable(),
    })
    .optional(),
  /** From the console, when the change could cut the operator off: confirm before `until`. */
  confirm: PendingConfirm.optional(),
  /**
   * What runs but may not do what it says yet, by field: a name servers follow that does not
   * resolve now (its slots start down and fill when it does). Not failures: the apply stands.
   */
  warnings: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type ApplyResponse = z.output<typeof ApplyResponse>;

export const OldWorkerEntry = z.object({
  pid: z.number().int(),
  connections: z.number().int(),
  retiredAt: z.number().nullable(),
  stopsAt: z.number().nullable(),
});

export const ServerChangeResponse = z.object({
  generation: GenerationSummary,
  applied: z.enum(['live', 'reload']),
  commands: z.array(z.string()),
});

export const DriftEntry = z.object({
  server: z.string(),
  field: z.enum(['state', 'weight', 'address', 'port', 'missing']),
  running: z.string(),
  live: z.string(),
});

export const StatusResponse = z.object({
  unit: z.string(),
  desired: z.number().int().nullable(),
  running: z.number().int().nullable(),
  pending: z.boolean(),
  haproxy: z.object({
    running: z.boolean(),
    version: z.string().nullable(),
    masterPid: z.number().nullable(),
    workerPid: z.number().nullable(),
    reloads: z.number().nullable(),
    /** Previous workers still finishing their connections after reloads. */
    oldWorkers: z.array(OldWorkerEntry),
  }),
  /** Differences between the model and what HAProxy runs; null when HAProxy could not be asked. */
  drift: z.array(DriftEntry).nullable(),
  lastApply: z
    .object({
      generation: z.number(),
      ok: z.boolean(),
      at: z.string(),
      error: z.string().optional(),
    })
    .nullable(),
  /** Log ingest counters since the agent started (null when ingest is off). */
  logs: z
    .object({
      received: z.number(),
      stored: z.number(),
      parseErrors: z.number(),
      dropped: z.number(),
      queued: z.number(),
      /** Lines HAProxy itself dropped because the agent fell behind (show info DroppedLogs). */
      droppedByHaproxy: z.number(),
    })
    .nullable(),
  /** Stats sampler counters since the agent started (null when sampling is off). */
  stats: z
    .object({
      ticks: z.number(),
      failures: z.number(),
      pointsWritten: z.number(),
      lastTickMs: z.number(),
    })
    .nullable(),
});
export type StatusResponse = z.output<typeof StatusResponse>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })),
    /** With `too_many_requests`: when to try again (the console counts it down). */
    retryAfterMs: z.number().int().nonnegative().optional(),
  }),
});
export type ErrorBody = z.output<typeof ErrorBody>;
