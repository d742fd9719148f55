import { join } from 'node:path';
import { createFileWriter } from '@tandem/agent/adapters/atomicFiles';
import { createHaproxyChecker } from '@tandem/agent/adapters/haproxyChecker';
import { renderAndCheck } from '@tandem/agent/services/renderAndCheck';
import {
  checkSampleTemplate,
  CONVERTERS,
  FETCHES_NAME_ARG,
  FETCHES_NO_ARG,
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  type ServiceInput,
} from '@tandem/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTempDir } from '../support/tempDir.js';

/**
 * Every fetch and converter the dynamic-header grammar allows must exist in the installed HAProxy
 * (seed 002's `req.uri` did not: it was caught here). The lists come from core, so anything newly
 * allowed is checked here automatically.
 */
let tmp: Awaited<ReturnType<typeof withTempDir>>;
beforeAll(async () => {
  tmp = await withTempDir('samples');
});
afterAll(async () => {
  await tmp.cleanup();
});

async function renderAndCheckService(service: Partial<ServiceInput>, file: string) {
  const config = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      {
        name: 'probe',
        mode: 'http',
        binds: [{ address: '127.0.0.1', port: 18080 }],
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's', address: '127.0.0.1', port: 18081 }] }],
        ...service,
      },
    ],
  });
  const node = parseNodeSettings(nodeUnder(tmp.dir));
  if (!config.ok || !node.ok) throw new Error(JSON.stringify(!config.ok && config.errors));
  return renderAndCheck(
    { files: createFileWriter(), checker: createHaproxyChecker({ zeroWarning: true }) },
    { config: config.value, node: node.value, configPath: join(tmp.dir, file) },
  );
}

it('accepts every allow-listed fetch and converter in the real HAProxy', async () => {
  const values = [
    ...[...FETCHES_NO_ARG].map((f) => `%[${f}]`),
    ...[...FETCHES_NAME_ARG].map((f) => `%[${f}(x-name)]`),
    ...[...CONVERTERS].map((c) => `%[src,${c}]`),
  ];
  for (const v of values) expect(checkSampleTemplate(v), v).toBeNull();
  // Response-side fetches only make sense on responses; everything else is set on the request.
  const headers = values.map((value, i) => ({
    phase: value.startsWith('%[res.') ? ('response' as const) : ('request' as const),
    action: 'set' as const,
    name: `X-Probe-${i}`,
    value,
    dynamic: true,
  }));
  const r = await renderAndCheckService({ headers }, 'samples.cfg');
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
});

it('maps a real HAProxy rejection back to the model field', async () => {
  // A certificate that does not exist: the schema cannot know, HAProxy refuses the bind line.
  const r = await renderAndCheckService(
    {
      name: 'tls',
      binds: [{ address: '127.0.0.1', port: 18443, tls: true }],
      tls: { certificate: 'missing' },
    },
    'tls.cfg',
  );
  expect(r.ok).toBe(false);
  expect(
    r.errors.some((e) => e.path === 'services[0].binds[0]' && /missing\.pem/.test(e.message)),
  ).toBe(true);
});
