import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The unit's files. Writes are whole-file and atomic, so a reader (or a power cut) sees the old
 * content or the new, never half.
 */
export interface FileWriter {
  write(path: string, content: string, mode?: number): Promise<void>;
  /** The file's text, or null if it does not exist. */
  read(path: string): Promise<string | null>;
  /** Moves a file; a missing source is not an error. */
  rename(from: string, to: string): Promise<void>;
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

/**
 * The unit's files on this machine. `root` is where HAProxy's filesystem starts when it runs in
 * a chroot (the Debian 13 test root): paths given here are the ones HAProxy sees, and the writer
 * puts them under `root`. Empty for the normal case.
 */
export function createFileWriter(root = ''): FileWriter {
  const host = (p: string) => (root === '' ? p : join(root, p));
  return {
    write: (path, content, mode) => writeFileAtomic(host(path), content, mode),
    read: (path) => readFile(host(path), 'utf8').catch(() => null),
    rename: (from, to) => rename(host(from), host(to)).catch(() => undefined),
  };
}

export function createFakeFileWriter() {
  const files = new Map<string, string>();
  const writer: FileWriter = {
    write(path, content) {
      files.set(path, content);
      return Promise.resolve();
    },
    read: (path) => Promise.resolve(files.get(path) ?? null),
    rename(from, to) {
      const content = files.get(from);
      if (content !== undefined) {
        files.set(to, content);
        files.delete(from);
      }
      return Promise.resolve();
    },
  };
  return { writer, files };
}
