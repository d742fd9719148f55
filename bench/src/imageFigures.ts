/**
 * The appliance image's figures (npm run bench -- image): what the image builds and boot tests
 * recorded, per target. `npm run image` appends a line to .tandem/image/builds.jsonl per build
 * (cold: no downloaded packages to reuse; cached: the packages and the staged app from an earlier
 * build); `npm run image:test` writes <target>/boot.json (boot to console, memory on the booted
 * unit idle and in use, with a bare Node.js process on the same unit as the reference). Each
 * figure says when it was measured; run the build and the test first to measure afresh.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(process.cwd(), '.tandem/image');
const TARGETS = ['amd64-vm', 'arm64-efi', 'arm64-rpi'];

interface Build {
  target: string;
  cached: boolean;
  buildSeconds: number;
  installedMiB: number;
  imageMiB: number;
  compressedMiB: number;
  builtAt: string;
}
interface Memory {
  agentMiB: number;
  consoleMiB: number;
  tandemMiB: number;
  haproxyMiB: number;
  keepalivedMiB: number;
  bareNodeMiB?: number;
  consoleRunning?: boolean;
}
interface Boot {
  measuredAt: string;
  accel: string;
  bootToConsoleSeconds: number;
  afterPowerCutToAgentSeconds?: number;
  networkRollbackSeconds?: number;
  idle: Memory;
  consoleInUse: Memory;
}

const builds: Build[] = existsSync(join(DIR, 'builds.jsonl'))
  ? readFileSync(join(DIR, 'builds.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Build)
  : [];
const mark = (ok: boolean) => (ok ? 'within target' : 'OVER target');

let any = false;
for (const target of TARGETS) {
  const mine = builds.filter((b) => b.target === target);
  const cold = mine.filter((b) => !b.cached).at(-1);
  const warm = mine.filter((b) => b.cached).at(-1);
  const bootFile = join(DIR, target, 'boot.json');
  const boot = existsSync(bootFile) ? (JSON.parse(readFileSync(bootFile, 'utf8')) as Boot) : null;
  if (!cold && !warm && !boot) continue;
  any = true;
  console.log(`\n${target}`);
  if (cold) console.log(`  build, cold:    ${cold.buildSeconds} s   (${cold.builtAt})`);
  if (warm)
    console.log(
      `  build, cached:  ${warm.buildSeconds} s   (${warm.builtAt})${cold ? `   ratio to cold ${(warm.buildSeconds / cold.buildSeconds).toFixed(2)}` : ''}`,
    );
  const last = mine.at(-1);
  if (last)
    console.log(
      `  size:           ${last.compressedMiB} MiB compressed (.img.zst), ${last.imageMiB} MiB raw image, ${last.installedMiB} MiB installed root   (${last.builtAt})`,
    );
  if (!boot) continue;
  const limit = target === 'amd64-vm' ? 90 : Infinity;
  console.log(
    `  boot to console: ${boot.bootToConsoleSeconds} s (${boot.accel})${limit < Infinity ? `, target < ${limit} s: ${mark(boot.bootToConsoleSeconds < limit)}` : ''}; after a power cut, to the agent answering over SSH ${boot.afterPowerCutToAgentSeconds ?? '-'} s   (${boot.measuredAt})`,
  );
  const i = boot.idle;
  console.log(
    `  memory idle, nobody signed in: Tandem ${i.tandemMiB} MiB (agent ${i.agentMiB}, console ${i.consoleRunning ? i.consoleMiB : 'not running'}), target < 80: ${mark(i.tandemMiB < 80)}` +
      (i.bareNodeMiB
        ? `; a bare Node.js on the unit ${i.bareNodeMiB} MiB, agent/bare ${(i.agentMiB / i.bareNodeMiB).toFixed(2)}`
        : ''),
  );
  console.log(
    `                  HAProxy ${i.haproxyMiB} MiB, keepalived ${i.keepalivedMiB} MiB (the proxy itself, not counted)`,
  );
  const u = boot.consoleInUse;
  console.log(
    `  memory with the console in use: Tandem ${u.tandemMiB} MiB (agent ${u.agentMiB}, console ${u.consoleMiB}), target < 200: ${mark(u.tandemMiB < 200)}`,
  );
  if (boot.networkRollbackSeconds)
    console.log(`  a wrong static address undone by itself after ${boot.networkRollbackSeconds} s`);
}
if (!any) {
  console.log(
    'no image figures yet: run npm run image -- --target amd64-vm, then npm run image:test -- --target amd64-vm',
  );
  process.exitCode = 1;
}
