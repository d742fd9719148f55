#!/usr/bin/env node
/**
 * Composition root of `npm start` for now: renders every template example and seed recipe into the
 * state directory, gives each the certificates it names, and has the installed HAProxy check them.
 * (The agent issue turns `npm start` into a running unit.)
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exampleConfigs, nodeUnder, parseNodeSettings } from '@tandem/core';
import { createFileWriter } from '../adapters/atomicFiles.js';
import { createSelfSignedPem } from '../adapters/certificates.js';
import { createHaproxyChecker } from '../adapters/haproxyChecker.js';
import { readEnv } from '../env.js';
import { renderAndCheck } from '../services/renderAndCheck.js';

async function main(): Promise<number> {
  const env = readEnv(process.env, process.cwd());
  const root = join(dirname(env.stateDir), 'examples');
  const deps = {
    files: createFileWriter(),
    checker: createHaproxyChecker({ command: [env.haproxyBin], zeroWarning: true }),
  };
  let failed = 0;
  const examples = exampleConfigs();
  console.log(
    `Rendering ${examples.length} example configs into ${root} and checking them with ${env.haproxyBin} -c\n`,
  );
  for (const ex of examples) {
    const dir = join(root, ex.name);
    const node = parseNodeSettings(nodeUnder(dir));
    if (!node.ok) throw new Error(`bad node settings for ${dir}: ${JSON.stringify(node.errors)}`);
    for (const svc of ex.config.services) {
      if (!svc.tls) continue;
      const pem = join(node.value.paths.certDir, `${svc.tls.certificate}.pem`);
      if (!existsSync(pem)) await createSelfSignedPem(pem, `${svc.tls.certificate}.example.test`);
    }
    const r = await renderAndCheck(deps, {
      config: ex.config,
      node: node.value,
      generation: 1,
      configPath: join(dir, 'haproxy.cfg'),
    });
    const sections = r.bundle.sections.length;
    console.log(
      `${r.ok ? 'ok  ' : 'FAIL'}  ${ex.kind.padEnd(8)} ${ex.name.padEnd(26)} ${String(ex.config.services.length).padStart(2)} services ${String(sections).padStart(3)} sections  ${ex.title}`,
    );
    for (const e of r.errors) console.log(`        ${e.path || '(file)'}: ${e.message}`);
    if (!r.ok) failed++;
  }
  console.log(
    `\n${examples.length - failed} of ${examples.length} configs accepted by HAProxy. Each is in ${root}/<name>/haproxy.cfg`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
