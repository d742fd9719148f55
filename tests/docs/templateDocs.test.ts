import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { templateDocs } from './templateDocs.js';

const DOC = join(dirname(fileURLToPath(import.meta.url)), '../../docs/templates.md');

it('docs/templates.md is generated from the current catalogue', async () => {
  const text = templateDocs();
  if (process.env.UPDATE_DOCS === '1') await writeFile(DOC, text);
  expect(await readFile(DOC, 'utf8')).toBe(text);
});
