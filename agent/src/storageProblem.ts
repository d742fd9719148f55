import { TandemError } from '@tandem/core';

type Trouble = 'full' | 'read-only' | 'failing';

/**
 * What the OS or SQLite says when the state directory cannot take a write: a full disk, or one
 * the kernel remounted read-only (what a failing SD card does). Not a bug: the operator can act.
 */
function troubleOf(e: unknown): Trouble | null {
  const code = String((e as { code?: unknown } | null)?.code ?? '');
  if (/^(ENOSPC|EDQUOT|SQLITE_FULL)$/.test(code)) return 'full';
  if (/^(EROFS|SQLITE_READONLY)/.test(code)) return 'read-only';
  // SQLite says IOERR for any write the OS refused on a file it holds open: EROFS after the kernel
  // remounted the card read-only under it, or EIO from the card itself.
  if (/^(EIO|SQLITE_IOERR)/.test(code)) return 'failing';
  return null;
}

const SAID: Record<Trouble, string> = {
  full: "the unit's storage is full",
  'read-only': "the unit's storage is read-only (a failing card or disk is remounted read-only)",
  failing:
    "the unit's storage refused a write (an I/O error: a failing card or disk, or one the kernel made read-only)",
};

/** The API's answer to a write the storage refused (HTTP 507); null for any other error. */
export function storageProblem(e: unknown): TandemError | null {
  const t = troubleOf(e);
  if (!t) return null;
  return new TandemError(
    'storage_unavailable',
    `${SAID[t]}: nothing was saved and what runs is unchanged${t === 'full' ? '; free space and try again' : ''}`,
  );
}

/** The agent's last words when its storage keeps it from starting; null for any other error. */
export function storageStartError(e: unknown, stateDir: string): string | null {
  const t = troubleOf(e);
  return t ? `cannot start: ${SAID[t]}: ${stateDir} (${String(e)})` : null;
}
