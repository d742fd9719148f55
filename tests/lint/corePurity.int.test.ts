import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

/** The lint rule that keeps @tandem/core pure must actually fire; otherwise it proves nothing. */
const CORE = join(dirname(fileURLToPath(import.meta.url)), '../../packages/core');

it('refuses I/O, environment and clock in @tandem/core sources', async () => {
  const eslint = new ESLint({ cwd: CORE });
  const code = [
    "import { readFileSync } from 'node:fs';",
    "import path from 'path';",
    'export const a = [readFileSync, path];',
    'export const b = Date.now();',
    'export const c = process.env.HOME;',
    'export const d = Math.random();',
    '',
  ].join('\n');
  const [result] = await eslint.lintText(code, { filePath: join(CORE, 'src/probe.ts') });
  const rules = (result?.messages ?? []).map((m) => m.ruleId);
  expect(rules.filter((r) => r === 'no-restricted-imports')).toHaveLength(2);
  expect(rules).toContain('no-restricted-globals');
  expect(rules.filter((r) => r === 'no-restricted-syntax')).toHaveLength(2);
});

it('lets core tests use Node', async () => {
  const eslint = new ESLint({ cwd: CORE });
  const [result] = await eslint.lintText(
    "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
    {
      filePath: join(CORE, 'src/probe.test.ts'),
    },
  );
  expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
});
