import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createIssueBanner } from './setupBanner.js';

describe('the setup banner', () => {
  it('puts the token in the login banner and takes it away, redrawing the prompt each time', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'banner-')), 'issue.d', '60-tandem-setup.issue');
    let reloads = 0;
    const banner = createIssueBanner(path, () => reloads++);
    banner.show('tok_abc');
    expect(readFileSync(path, 'utf8')).toContain('One-time setup token: tok_abc');
    expect(readFileSync(path, 'utf8')).toContain('https://\\4/');
    banner.clear();
    expect(existsSync(path)).toBe(false);
    banner.clear();
    expect(reloads).toBe(3);
  });
});
