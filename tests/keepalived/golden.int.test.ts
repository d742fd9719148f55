import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKeepalivedChecker } from '@tandem/agent/adapters/keepalivedChecker';
import { CLUSTER_EXAMPLES, GOLDEN_ROOT, renderKeepalived } from '@tandem/core';
import { addNetns, addVeth, ip, removeNetns } from '@tandem/lab/netns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * keepalived goldens: each cluster example rendered for both units is stored under
 * keepalived-templates/golden/ and must pass `keepalived -t` with no output at all (any warning
 * fails) on Debian 12's keepalived 2.2 and, when the Debian 13 root is built, on 2.3. The test
 * runs in a namespace of its own with the `eth0` the configs name, since `-t` checks interfaces.
 * `UPDATE_GOLDEN=1` rewrites the stored files.
 */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GOLDEN = join(REPO, 'keepalived-templates/golden');
const COMPAT_ROOT = join(REPO, '.tandem/compat/trixie');
const NS = `tk${process.pid % 100_000}`;
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const runtimes: { label: string; root: string; command: string[] }[] = [
  { label: 'keepalived 2.2 (host)', root: '', command: ['ip', 'netns', 'exec', NS, 'keepalived'] },
];
if (existsSync(join(COMPAT_ROOT, 'usr/sbin/keepalived')))
  runtimes.push({
    label: 'keepalived 2.3 (Debian 13)',
    root: COMPAT_ROOT,
    command: ['ip', 'netns', 'exec', NS, 'chroot', COMPAT_ROOT, 'keepalived'],
  });
else if (process.env.CI)
  throw new Error('Debian 13 root without keepalived: run scripts/ensure-compat-root.sh');

/** Each case rendered with its unit's run files under `root` (GOLDEN_ROOT for the stored text). */
const render = (root: string) =>
  CLUSTER_EXAMPLES.flatMap((ex) =>
    (['a', 'b'] as const).map((unit) => ({
      file: `${ex.name}.${unit}.conf`,
      text: renderKeepalived({
        shared: ex.shared,
        node: ex.units[unit],
        unitName: `tandem-${unit}`,
        notifyFifo: `${root}/run/vrrp.fifo`,
        readyFile: `${root}/run/ready`,
        trackProcess: 'haproxy',
      }),
    })),
  );
const cases = render(GOLDEN_ROOT);

beforeAll(async () => {
  await removeNetns(NS);
  await addNetns(NS);
  await ip('netns', 'add', `${NS}p`).catch(() => undefined);
  await addVeth({ ns: NS, ifname: 'eth0', peerNs: `${NS}p`, peer: 'p0' });
});
afterAll(async () => {
  await removeNetns(NS);
  await removeNetns(`${NS}p`);
});

describe('keepalived goldens', () => {
  it.each(cases)('$file matches the stored golden', async ({ file, text }) => {
    const path = join(GOLDEN, file);
    if (UPDATE) await writeFile(path, text);
    expect(text).toBe(await readFile(path, 'utf8'));
  });

  for (const rt of runtimes)
    it.each(cases.map((c) => c.file))(`%s passes ${rt.label} -t with zero output`, async (file) => {
      const base = join(rt.root === '' ? '/tmp' : join(rt.root, 'tmp'));
      await mkdir(base, { recursive: true });
      const dir = await mkdtemp(join(base, 'tandem-ka-'));
      try {
        // The same render rooted where its run files exist (keepalived 2.3 resolves the ready
        // file's path); it must differ from the stored golden only by that root.
        const inside = rt.root === '' ? dir : dir.slice(rt.root.length);
        const text = render(inside).find((c) => c.file === file)?.text ?? '';
        expect(text.replaceAll(inside, GOLDEN_ROOT)).toBe(cases.find((c) => c.file === file)?.text);
        await mkdir(join(dir, 'run'));
        await writeFile(join(dir, 'run/ready'), '1\n');
        await writeFile(join(dir, 'keepalived.conf'), text);
        const r = await createKeepalivedChecker(rt.command).check(join(inside, 'keepalived.conf'));
        expect(r.messages).toEqual([]);
        expect(r.ok).toBe(true);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

  it('fails the check on a warning keepalived would only log', async () => {
    const dir = await mkdtemp('/tmp/tandem-ka-');
    try {
      const bad = `${cases[0]?.text ?? ''}vrrp_instance extra {\n  interface eth9\n  virtual_router_id 9\n  priority 300\n}\n`;
      await writeFile(join(dir, 'keepalived.conf'), bad);
      const r = await createKeepalivedChecker(runtimes[0]?.command).check(
        join(dir, 'keepalived.conf'),
      );
      expect(r.ok).toBe(false);
      expect(r.messages.join('\n')).toMatch(/priority|interface/i);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
