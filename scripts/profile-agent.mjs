/* global process, setTimeout */
// Profiles the agent's threads during a benchmark (issue 16: where a log line's cost goes).
// Node refuses --cpu-prof in NODE_OPTIONS, so this preload starts V8's sampling profiler through
// the inspector in the agent's main thread and its log writer thread, and writes each profile
// to .tandem/profiles/ after PROF_MS (default 25 s) of that thread's life. Usage:
//   NODE_OPTIONS="--import $PWD/scripts/profile-agent.mjs" BENCH_SECONDS=20 BENCH_CONNECTIONS=8 \
//     node bench/dist/logIngest.js && node scripts/profile-summary.mjs .tandem/profiles/*.cpuprofile
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { isMainThread, threadId, workerData } from 'node:worker_threads';

const agentMain = (process.argv[1] || '').endsWith('agent/dist/main.js');
const logWriter = !isMainThread && typeof workerData?.dbPath === 'string';
if (agentMain || logWriter) {
  const dir = join(process.cwd(), '.tandem', 'profiles');
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  setTimeout(
    () => {
      session.post('Profiler.stop', (err, r) => {
        if (err) return;
        mkdirSync(dir, { recursive: true });
        const name = `${process.pid}-${isMainThread ? 'main' : `thread${threadId}`}.cpuprofile`;
        writeFileSync(join(dir, name), JSON.stringify(r.profile));
      });
    },
    Number(process.env.PROF_MS || 25000),
  ).unref();
}
