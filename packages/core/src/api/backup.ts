import { z } from 'zod';

/**
 * A unit's backup: its whole configuration history as one JSON file. Restoring re-validates the
 * chosen generation's configuration like any untrusted input (a file may be old, edited or
 * hostile) and commits it as a new generation; nothing else of the file is trusted.
 */
export const BACKUP_FORMAT = 'tandem-backup';

export const Backup = z
  .object({
    format: z.literal(BACKUP_FORMAT, { error: `must be "${BACKUP_FORMAT}": not a Tandem backup` }),
    version: z.literal(1, {
      error: (i) =>
        typeof i.input === 'number' && i.input > 1
          ? `is ${i.input}: a backup from a newer Tandem, which this unit cannot read (it reads version 1); update this unit first`
          : 'must be 1',
    }),
    unit: z.string().max(64),
    createdAt: z.string().max(64),
    running: z.number().int().nullable(),
    generations: z
      .array(
        z.object({
          number: z.number().int().min(1),
          author: z.string().max(64),
          message: z.string().max(1000),
          origin: z.string().max(16),
          createdAt: z.string().max(64),
          config: z.unknown(),
        }),
      )
      .min(1)
      .max(100_000),
  })
  .strict();
export type Backup = z.output<typeof Backup>;

export const RestoreRequest = z
  .object({
    base: z.number().int().min(0).nullable(),
    backup: Backup,
    /** Which generation of the backup to restore; its newest when absent. */
    generation: z.number().int().min(1).optional(),
  })
  .strict();
