import { join } from 'node:path';
import { createHaproxyChecker } from '@tandem/agent/adapters/haproxyChecker';
import { renderAndCheck } from '@tandem/agent/services/renderAndCheck';
import { nodeUnder, parseApplianceConfig, parseNodeSettings, renderHaproxy } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes } from '../support/haproxyRuntimes.js';

/**
 * The pair's peers section (ADR 0015): each unit renders both units with itself as the local
 * peer, and its stick tables name the section. Every installed HAProxy must accept it with zero
 * warnings, on either unit's side.
 */
const config = (() => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'db',
        mode: 'tcp',
        binds: [{ address: '127.0.0.1', port: 15432 }],
        defaultBackend: 'pool',
        backends: [
          {
            name: 'pool',
            stickiness: { type: 'source' },
            servers: [{ name: 'p1', address: '198.18.0.21', port: 5432 }],
          },
        ],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
})();
const units = {
  a: { name: 'lab-a', address: '198.18.0.11' },
  b: { name: 'lab-b', address: '198.18.0.12' },
};
const nodeFor = (root: string, unit: 'a' | 'b') => {
  const other = unit === 'a' ? 'b' : 'a';
  const r = parseNodeSettings({
    ...nodeUnder(root, units[unit].name),
    pair: { port: 7480, local: units[unit], remote: units[other] },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
};

const runtimes = haproxyRuntimes();
const temps = new Map<string, { dir: string; cleanup: () => Promise<void> }>();
beforeAll(async () => {
  for (const rt of runtimes) temps.set(rt.label, await rt.tempDir('peers'));
});
afterAll(async () => {
  for (const t of temps.values()) await t.cleanup();
});

describe('the pair in haproxy.cfg', () => {
  it('names this unit as the local peer on each side, and the stick table the section', () => {
    for (const unit of ['a', 'b'] as const) {
      const text = renderHaproxy(config, { node: nodeFor('/srv/u', unit) }).config;
      expect(text).toContain(`    localpeer ${units[unit].name}\n`);
      expect(text).toContain(
        'peers tandem-pair\n    peer lab-a 198.18.0.11:7480\n    peer lab-b 198.18.0.12:7480\n',
      );
      expect(text).toMatch(/stick-table type ipv6 size 100000 expire 30m peers tandem-pair\n/);
    }
  });

  it('renders no peers without a pair', () => {
    const r = parseNodeSettings(nodeUnder('/srv/u', 'solo'));
    if (!r.ok) throw new Error('fixture');
    const text = renderHaproxy(config, { node: r.value }).config;
    expect(text).not.toContain('peers');
    expect(text).not.toContain('localpeer');
  });

  it.each(runtimes.map((rt) => [rt.label, rt] as const))(
    'is accepted by %s (-c -dW)',
    async (_l, rt) => {
      for (const unit of ['a', 'b'] as const) {
        const root = join(temps.get(rt.label)?.dir ?? '/nonexistent', unit);
        const r = await renderAndCheck(
          {
            files: rt.files,
            checker: createHaproxyChecker({ command: rt.command, zeroWarning: true }),
          },
          {
            config,
            node: nodeFor(root, unit),
            generation: 1,
            configPath: join(root, 'haproxy.cfg'),
          },
        );
        expect(r.diagnostics).toEqual([]);
        expect(r.ok).toBe(true);
      }
    },
  );
});
