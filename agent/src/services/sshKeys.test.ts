import { describe, expect, it } from 'vitest';
import { createFakeFileWriter } from '../adapters/atomicFiles.js';
import { createSshKeys } from './sshKeys.js';

// A throwaway key's public half, and its fingerprint as `ssh-keygen -l` prints it.
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOYG0nzIU3VxtqR1Hv0NYYFx4mUcwd9pRu6b7SvcyGEp';
const FINGERPRINT = 'SHA256:NwcyNHENovSCfQmYci4kwr35gZN0lwAbuPGT1tef5HE';
const PATH = '/state/ssh/authorized_keys';

describe('SSH login keys', () => {
  it('adds a key as one line of authorized_keys, lists it with the fingerprint ssh-keygen shows', async () => {
    const { writer, files } = createFakeFileWriter();
    const keys = createSshKeys({ files: writer, path: PATH });
    expect(await keys.list()).toEqual([]);
    expect(await keys.add({ key: `${KEY} ops@example` })).toEqual({
      type: 'ssh-ed25519',
      comment: 'ops@example',
      fingerprint: FINGERPRINT,
    });
    expect(files.get(PATH)).toBe(`${KEY} ops@example\n`);
    expect(await keys.list()).toEqual([expect.objectContaining({ fingerprint: FINGERPRINT })]);
  });

  it('refuses the same key twice and a bad key, naming the field', async () => {
    const { writer } = createFakeFileWriter();
    const keys = createSshKeys({ files: writer, path: PATH });
    await keys.add({ key: KEY });
    await expect(keys.add({ key: `${KEY} again` })).rejects.toMatchObject({
      code: 'conflict',
      fields: [{ path: 'key' }],
    });
    await expect(keys.add({ key: 'ssh-ed25519 AAAA' })).rejects.toMatchObject({
      code: 'bad_request',
      fields: [{ path: 'key', message: 'the key data is not a valid public key' }],
    });
  });

  it('removes a key by fingerprint and keeps lines it did not write', async () => {
    const { writer, files } = createFakeFileWriter();
    files.set(PATH, '# kept by hand\n');
    const keys = createSshKeys({ files: writer, path: PATH });
    await keys.add({ key: KEY });
    expect(await keys.remove(FINGERPRINT)).toEqual({ removed: FINGERPRINT });
    expect(files.get(PATH)).toBe('# kept by hand\n');
    await expect(keys.remove(FINGERPRINT)).rejects.toMatchObject({ code: 'not_found' });
    await expect(keys.remove('../../etc/shadow')).rejects.toMatchObject({ code: 'bad_request' });
  });
});
