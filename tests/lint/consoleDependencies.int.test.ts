import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

/** The console's dependency rule (design: web-ui -> core only) must actually fire. */
const WEB_UI = join(dirname(fileURLToPath(import.meta.url)), '../../web-ui');

const restricted = async (file: string, code: string) => {
  const eslint = new ESLint({ cwd: WEB_UI });
  const [result] = await eslint.lintText(code, { filePath: join(WEB_UI, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').length;
};

const AGENT = [
  "import { createAuthService } from '@tandem/agent/services/auth';",
  "import Database from 'better-sqlite3';",
  'export const a = [createAuthService, Database];',
  '',
].join('\n');

it('keeps the agent, its stores and Node out of the console pages', async () => {
  expect(await restricted('app/probe.tsx', AGENT)).toBe(2);
  expect(
    await restricted(
      'lib/probe.ts',
      "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
    ),
  ).toBe(1);
  expect(
    await restricted(
      'app/probe.tsx',
      "import type { Service } from '@tandem/core';\nexport type A = Service;\n",
    ),
  ).toBe(0);
});

it('keeps the agent out of the console server, and lets the tests use it', async () => {
  expect(await restricted('server/probe.ts', AGENT)).toBe(2);
  expect(await restricted('e2e/probe.test.ts', AGENT)).toBe(0);
});
