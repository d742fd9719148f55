import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CertificateRecord, parseWith, supersedes } from '@tandem/core';
import { z } from 'zod';

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const RecordFile = z.object({ records: z.array(CertificateRecord) });

/**
 * When and where each stored certificate last changed, removals included (ADR 0021): what a pair
 * compares to send each other only what is newer. Kept in a small JSON file written atomically
 * after the certificate's own file, so after a crash between the two the file on disk wins (a
 * record whose hash is not the file's is stamped again at start).
 */
export function createCertificateRecords(d: {
  file: string;
  write: (path: string, content: string, mode: number) => Promise<void>;
  unitName: string;
  now: () => number;
}) {
  const records = new Map<string, CertificateRecord>();
  const save = () =>
    d.write(d.file, `${JSON.stringify({ records: [...records.values()] }, null, 2)}\n`, 0o600);
  return {
    /**
     * Reads the records and squares them with the files there are (name → SHA-256): a file with
     * no record, or another content than its record says, is this unit's change of now; a
     * record of a file that is gone becomes a removal.
     */
    async load(files: ReadonlyMap<string, string>): Promise<void> {
      const text = await readFile(d.file, 'utf8').catch(() => null);
      const parsed = text === null ? null : parseWith(RecordFile, JSON.parse(text) as unknown);
      for (const r of parsed?.ok ? parsed.value.records : []) records.set(r.name, r);
      let changed = false;
      const stamp = (name: string, sha256: string | null) => {
        records.set(name, { name, sha256, at: d.now(), unit: d.unitName });
        changed = true;
      };
      for (const [name, sha] of files) if (records.get(name)?.sha256 !== sha) stamp(name, sha);
      for (const r of records.values())
        if (r.sha256 !== null && !files.has(r.name)) stamp(r.name, null);
      if (changed) await save();
    },
    list: (): CertificateRecord[] =>
      [...records.values()].sort((a, b) => a.name.localeCompare(b.name)),
    get: (name: string) => records.get(name),
    /** This unit stored (sha256) or removed (null) a certificate now. */
    async stamp(name: string, sha256: string | null): Promise<void> {
      records.set(name, { name, sha256, at: d.now(), unit: d.unitName });
      await save();
    },
    /** The peer's record, taken as it is (its time and unit), if it is the later change. */
    async take(r: CertificateRecord): Promise<boolean> {
      if (!supersedes(r, records.get(r.name))) return false;
      records.set(r.name, r);
      await save();
      return true;
    },
    supersedes: (r: CertificateRecord) => supersedes(r, records.get(r.name)),
  };
}
export type CertificateRecords = ReturnType<typeof createCertificateRecords>;
