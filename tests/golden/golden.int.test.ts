import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSelfSignedPem } from '@tandem/agent/adapters/certificates';
import { createHaproxyChecker } from '@tandem/agent/adapters/haproxyChecker';
import { renderAndCheck } from '@tandem/agent/services/renderAndCheck';
import {
  exampleConfigs,
  GOLDEN_ROOT,
  nodeUnder,
  parseNodeSettings,
  renderHaproxy,
  type NodeSettings,
} from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes } from '../support/haproxyRuntimes.js';

/**
 * Goldens: every template example and seed recipe, rendered for a unit rooted at GOLDEN_ROOT, is
 * stored under golden/files/ (review diffs there like code). Each is also rendered for a unit
 * rooted in a temp dir, where its certificates exist, and every installed HAProxy (the host's 2.6
 * and Debian 13's 3.0, see support/haproxyRuntimes.ts) must accept that render with zero warnings;
 * the two texts must differ only by the root.
 * `npm run golden:update -w @tandem/tests` rewrites the stored files.
 */
const FILES = join(dirname(fileURLToPath(import.meta.url)), 'files');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const examples = exampleConfigs();

function node(root: string): NodeSettings {
  const r = parseNodeSettings(nodeUnder(root));
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const runtimes = haproxyRuntimes();
const temps = new Map<string, { dir: string; cleanup: () => Promise<void> }>();
beforeAll(async () => {
  for (const rt of runtimes) temps.set(rt.label, await rt.tempDir('golden'));
});
afterAll(async () => {
  for (const t of temps.values()) await t.cleanup();
});

describe.each(examples.map((e) => [`${e.kind}/${e.name}`, e] as const))('golden %s', (id, ex) => {
  const golden = renderHaproxy(ex.config, { node: node(GOLDEN_ROOT), generation: 1 });
  const stored = [
    { file: join(FILES, `${id}.cfg`), content: golden.config },
    ...golden.files.map((f) => ({
      file: join(FILES, `${id}.${basename(f.path)}`),
      content: f.content,
    })),
  ];

  it('matches the stored golden files', async () => {
    for (const s of stored) {
      if (UPDATE) {
        await mkdir(dirname(s.file), { recursive: true });
        await writeFile(s.file, s.content);
      }
      expect(
        existsSync(s.file),
        `${s.file} missing: run npm run golden:update -w @tandem/tests`,
      ).toBe(true);
      expect(await readFile(s.file, 'utf8')).toBe(s.content);
    }
  });

  it.each(runtimes.map((rt) => [rt.label, rt] as const))(
    'is accepted by %s (-c -dW)',
    async (_l, rt) => {
      const root = join(temps.get(rt.label)?.dir ?? '/nonexistent', ex.name);
      const n = node(root);
      for (const svc of ex.config.services) {
        if (svc.tls) {
          const pem = join(n.paths.certDir, `${svc.tls.certificate}.pem`);
          await createSelfSignedPem(rt.hostPath(pem), 'golden.example.test');
        }
      }
      const checker = createHaproxyChecker({ command: rt.command, zeroWarning: true });
      const r = await renderAndCheck(
        { files: rt.files, checker },
        { config: ex.config, node: n, generation: 1, configPath: join(root, 'haproxy.cfg') },
      );
      expect(r.diagnostics).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.bundle.config.replaceAll(root, GOLDEN_ROOT)).toBe(golden.config);
    },
  );
});

it('keeps no stale golden files', async () => {
  const expected = new Set(
    examples.flatMap((e) => {
      const g = renderHaproxy(e.config, { node: node(GOLDEN_ROOT) });
      return [
        `${e.kind}/${e.name}.cfg`,
        ...g.files.map((f) => `${e.kind}/${e.name}.${basename(f.path)}`),
      ];
    }),
  );
  const onDisk = (
    await Promise.all(
      ['template', 'recipe'].map(async (k) =>
        (await readdir(join(FILES, k))).map((f) => `${k}/${f}`),
      ),
    )
  ).flat();
  expect(onDisk.filter((f) => !expected.has(f))).toEqual([]);
});
