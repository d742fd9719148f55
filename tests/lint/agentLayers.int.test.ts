import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { expect, it } from 'vitest';

/** The agent's layer rules must fire: a service, adapter or store importing from http/, a route reaching a store. */
const AGENT = join(dirname(fileURLToPath(import.meta.url)), '../../agent');

it.each(['src/services/probe.ts', 'src/adapters/probe.ts', 'src/store/probe.ts'])(
  'refuses an import from http/ in %s',
  async (file) => {
    const eslint = new ESLint({ cwd: AGENT });
    const [result] = await eslint.lintText(
      "import { parse } from '../http/routeParsing.js';\nexport const p = parse;\n",
      { filePath: join(AGENT, file) },
    );
    expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  },
);

it('lets routes import from http/', async () => {
  const eslint = new ESLint({ cwd: AGENT });
  const [result] = await eslint.lintText(
    "import { parse } from './routeParsing.js';\nexport const p = parse;\n",
    { filePath: join(AGENT, 'src/http/probe.ts') },
  );
  expect(result?.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
});

it('refuses a route that reaches a store', async () => {
  const eslint = new ESLint({ cwd: AGENT });
  const [result] = await eslint.lintText(
    "import type { LogStore } from '../store/logStore.js';\nexport type S = LogStore;\n",
    { filePath: join(AGENT, 'src/http/probe.ts') },
  );
  expect(result?.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
});
