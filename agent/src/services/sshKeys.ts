import { createHash } from 'node:crypto';
import {
  AddSshKeyRequest,
  parseRequest,
  parseSshPublicKey,
  SshFingerprint,
  TandemError,
  type SshKeyInfo,
  type SshKeyParts,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';

/** OpenSSH's fingerprint: SHA-256 of the key blob, base64 without padding. */
export function sshFingerprint(blob: string): string {
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

const info = (k: SshKeyParts): SshKeyInfo => ({
  type: k.type,
  comment: k.comment,
  fingerprint: sshFingerprint(k.blob),
});

/**
 * The unit's SSH login keys: the authorized_keys file on the data partition that sshd reads
 * (appliance/rootfs/etc/ssh/sshd_config.d/tandem.conf), written whole and atomically (0600, as
 * sshd's StrictModes wants). Lines this service did not write (an administrator's edit in the
 * terminal) are kept as they are; only keys it can parse are listed and removable.
 */
export function createSshKeys(d: { files: FileWriter; path: string }) {
  const lines = async () =>
    ((await d.files.read(d.path)) ?? '').split('\n').filter((l) => l.trim() !== '');
  const keys = (all: string[]) =>
    all.flatMap((line) => {
      const k = parseSshPublicKey(line);
      return typeof k === 'string' ? [] : [{ line, key: k, fingerprint: sshFingerprint(k.blob) }];
    });
  const save = (all: string[]) =>
    d.files.write(d.path, all.length ? `${all.join('\n')}\n` : '', 0o600);

  return {
    async list(): Promise<SshKeyInfo[]> {
      return keys(await lines()).map((k) => info(k.key));
    },
    async add(body: unknown): Promise<SshKeyInfo> {
      const { key } = parseRequest(AddSshKeyRequest, body);
      const all = await lines();
      const fingerprint = sshFingerprint(key.blob);
      if (keys(all).some((k) => k.fingerprint === fingerprint))
        throw new TandemError('conflict', `this key (${fingerprint}) may already log in`, [
          { path: 'key', message: 'already added' },
        ]);
      await save([...all, [key.type, key.blob, key.comment].filter(Boolean).join(' ')]);
      return info(key);
    },
    async remove(fingerprint: string): Promise<{ removed: string }> {
      const fp = parseRequest(SshFingerprint, fingerprint);
      const all = await lines();
      const gone = new Set(
        keys(all)
          .filter((k) => k.fingerprint === fp)
          .map((k) => k.line),
      );
      if (gone.size === 0) throw new TandemError('not_found', `no SSH key ${fp} on this unit`);
      await save(all.filter((l) => !gone.has(l)));
      return { removed: fp };
    },
  };
}
export type SshKeys = ReturnType<typeof createSshKeys>;
