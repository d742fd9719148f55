import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes whole files so that a reader (or a power cut) sees the old content or the new, never half. */
export interface FileWriter {
  write(path: string, content: string, mode?: number): Promise<void>;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Temp file in the same directory (rename is only atomic within a filesystem), fsync the data,
 * rename over the target, then fsync the directory so the rename itself survives a power cut.
 */
export async function writeFileAtomic(path: string, content: string, mode = 0o644): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  await rename(tmp, path);
  await fsyncDir(dir);
}

export function createFileWriter(): FileWriter {
  return { write: writeFileAtomic };
}

export function createFakeFileWriter() {
  const files = new Map<string, string>();
  const writer: FileWriter = {
    write(path, content) {
      files.set(path, content);
      return Promise.resolve();
    },
  };
  return { writer, files };
}
