import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script of the repository, without type declarations
import { summarize } from '../../scripts/testSummary.mjs';

/**
 * The closing line `tests: N passed, N failed, N skipped` must count what breaks a suite without
 * failing a test: a file that does not load and a beforeAll that throws. A real vitest run of
 * such files proves it (like the lint probes: the check must actually fire).
 */
const HERE = dirname(fileURLToPath(import.meta.url));
// Inside the repository so the probe files resolve vitest; a dot directory so no run collects it.
const PROBE = join(HERE, `../.summary-probe-${process.pid}`);

afterAll(() => rm(PROBE, { recursive: true, force: true }));

it('counts a file that fails to load and a failing hook as failures', async () => {
  await mkdir(PROBE, { recursive: true });
  await writeFile(
    join(PROBE, 'loads.test.ts'),
    "import './does-not-exist.js';\nimport { it } from 'vitest';\nit('never runs', () => undefined);\n",
  );
  await writeFile(
    join(PROBE, 'hook.test.ts'),
    "import { beforeAll, it } from 'vitest';\nbeforeAll(() => { throw new Error('setup broke'); });\nit('is not run', () => undefined);\n",
  );
  await writeFile(
    join(PROBE, 'fine.test.ts'),
    "import { expect, it } from 'vitest';\nit('passes', () => expect(1).toBe(1));\n",
  );
  const report = join(PROBE, 'report.json');
  // Its own config, so the tests package's config (found by searching upward) does not apply.
  await writeFile(
    join(PROBE, 'probe.config.mjs'),
    "export default { test: { include: ['*.test.ts'], reporters: [['json', { outputFile: 'report.json' }]] } };\n",
  );
  const vitest = join(HERE, '../../node_modules/vitest/vitest.mjs');
  await new Promise<void>((resolve) =>
    execFile(
      process.execPath,
      [vitest, 'run', '--root', PROBE, '--config', join(PROBE, 'probe.config.mjs')],
      { cwd: PROBE, timeout: 120_000 },
      () => resolve(), // it exits non-zero, as it should
    ),
  );
  const s = summarize([report]) as { passed: number; failed: number; broken: string[] };
  expect(s.passed).toBe(1);
  expect(s.failed).toBeGreaterThanOrEqual(2);
  expect(s.broken.join('\n')).toMatch(/loads\.test\.ts/);
  expect(s.broken.join('\n')).toMatch(/hook\.test\.ts/);
}, 150_000);

it('lists a package that wrote no results instead of skipping it', () => {
  const s = summarize([join(PROBE, 'none.json')]) as { missing: string[]; failed: number };
  expect(s.missing).toEqual([join(PROBE, 'none.json')]);
});
