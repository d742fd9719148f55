import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTraverse, lookupGroup, lookupUser } from './systemUsers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tandem-users-'));
  await writeFile(
    join(dir, 'passwd'),
    'root:x:0:0:root:/root:/bin/bash\ntandem-console:x:998:997::/nonexistent:/usr/sbin/nologin\n',
  );
  await writeFile(join(dir, 'group'), 'root:x:0:\ntandem-console:x:997:\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('system users', () => {
  it('reads users and groups by name, and says when they are absent', () => {
    expect(lookupUser('tandem-console', join(dir, 'passwd'))).toEqual({ uid: 998, gid: 997 });
    expect(lookupUser('nobody-here', join(dir, 'passwd'))).toBeNull();
    expect(lookupUser('root', join(dir, 'missing'))).toBeNull();
    expect(lookupGroup('tandem-console', join(dir, 'group'))).toBe(997);
    expect(lookupGroup('1234', join(dir, 'group'))).toBe(1234);
    expect(lookupGroup('nope', join(dir, 'group'))).toBeNull();
  });

  it('knows whether another user can reach a path through every directory above it', async () => {
    const inner = join(dir, 'closed', 'open');
    await mkdir(inner, { recursive: true });
    await chmod(dir, 0o755);
    const stranger = { uid: 4242, gid: 4242 };
    await chmod(join(dir, 'closed'), 0o700);
    expect(canTraverse(inner, stranger)).toBe(false);
    await chmod(join(dir, 'closed'), 0o711);
    expect(canTraverse(inner, stranger)).toBe(true);
  });
});
