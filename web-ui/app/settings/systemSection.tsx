import type { SystemInfo } from '@tandem/core';

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const dur = (s: number) =>
  s > 86_400
    ? `${(s / 86_400).toFixed(1)} days`
    : s > 3_600
      ? `${(s / 3_600).toFixed(1)} h`
      : `${Math.round(s / 60)} min`;

/** What this unit runs on: versions, uptimes, load, memory, the state disk and databases. */
export function SystemSection({ system }: { system: SystemInfo }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 md:col-span-2 dark:border-slate-800 dark:bg-slate-900">
      <h2 className="mb-3 text-lg font-medium">System</h2>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 sm:grid-cols-4">
        <dt className="text-slate-500 dark:text-slate-400">Unit</dt>
        <dd>{system.unit}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Versions</dt>
        <dd>
          Tandem {system.versions.tandem}, HAProxy {system.versions.haproxy ?? 'not answering'},
          keepalived {system.versions.keepalived ?? 'not installed'}, Node.js {system.versions.node}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Kernel</dt>
        <dd>{system.kernel}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Up</dt>
        <dd>
          system {dur(system.systemUptimeSeconds)}, agent {dur(system.agentUptimeSeconds)}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Load</dt>
        <dd>{system.load.map((l) => l.toFixed(2)).join(' ')}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Memory</dt>
        <dd>
          {mb(system.memory.totalBytes - system.memory.freeBytes)} used of{' '}
          {mb(system.memory.totalBytes)}; agent {mb(system.memory.agentRssBytes)}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">State disk</dt>
        <dd>
          {mb(system.disk.freeBytes)} free of {mb(system.disk.totalBytes)}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Databases</dt>
        <dd>
          config {mb(system.databases.configBytes)}, telemetry {mb(system.databases.telemetryBytes)}
        </dd>
      </dl>
    </section>
  );
}
