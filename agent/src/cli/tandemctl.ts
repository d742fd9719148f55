#!/usr/bin/env node
/**
 * tandemctl: the command line over the agent API. Every read takes --json; any error exits
 * non-zero with the agent's message and the fields it names.
 */
import { resolve } from 'node:path';
import type { ApplyResponse, EditResponse, GenerationSummary, StatusResponse } from '@tandem/core';
import { ApiError, createApiClient, type ApiClient } from './apiClient.js';
import { runLogs } from './logsCommand.js';
import { runEvents, runStats } from './statsCommand.js';
import { runCluster } from './clusterCommand.js';
import { runUser } from './userCommand.js';
import { runBackup } from './backupCommand.js';
import { describeEdit, runServiceCommand } from './serviceCommand.js';
import { table } from './table.js';
import { flag, parseArgs, UsageError } from './parseArgs.js';
import { runSshKeys } from './sshKeysCommand.js';
import { runCert } from './certCommand.js';
import { runDiscovery } from './discoveryCommand.js';
import { USAGE } from './usage.js';

type Out = (line: string) => void;

async function desired(api: ApiClient): Promise<number | null> {
  return (await api.get<StatusResponse>('/v1/status')).desired;
}

export async function run(
  argv: readonly string[],
  out: Out,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const a = parseArgs(argv);
  const [cmd, sub, ...rest] = a.positionals;
  if (!cmd || a.flags.has('help')) {
    out(USAGE);
    return cmd ? 0 : 2;
  }
  const api = createApiClient(
    resolve(flag(a, 'socket') ?? env.TANDEM_SOCKET ?? '.tandem/unit/agent.sock'),
  );
  const json = a.flags.has('json');
  const message = flag(a, 'message') ?? '';
  const print = (value: unknown, human: () => string) =>
    out(json ? JSON.stringify(value, null, 2) : human());
  const committed = (r: EditResponse) => print(r, () => describeEdit(r));

  // Only these commands have subcommands; for the others the second word is an argument.
  const key = ['service', 'template', 'server', 'config'].includes(cmd)
    ? `${cmd} ${sub ?? ''}`.trim()
    : cmd;
  switch (key) {
    case 'status': {
      const s = await api.get<StatusResponse>('/v1/status');
      print(s, () =>
        [
          `unit      ${s.unit}`,
          `desired   ${s.desired ?? '-'}${s.pending ? '  (not applied: run tandemctl apply)' : ''}`,
          `running   ${s.running ?? '-'}`,
          `haproxy   ${s.haproxy.running ? `running ${s.haproxy.version ?? ''}, master ${s.haproxy.masterPid ?? '-'}, worker ${s.haproxy.workerPid ?? '-'}, ${s.haproxy.reloads ?? 0} reloads` : 'not running'}`,
          ...s.haproxy.oldWorkers.map(
            (w) =>
              `  old worker ${w.pid}: ${w.connections} connection(s)${w.stopsAt === null ? '' : `, stopped by ${new Date(w.stopsAt).toISOString()} at the latest`}`,
          ),
          `drift     ${s.drift === null ? 'unknown (HAProxy did not answer)' : s.drift.length === 0 ? 'none' : s.drift.map((d) => `${d.server} ${d.field}: running ${d.running}, live ${d.live}`).join('\n          ')}`,
          ...(s.lastApply
            ? [
                `last apply generation ${s.lastApply.generation}: ${s.lastApply.ok ? 'ok' : `failed: ${s.lastApply.error ?? ''}`} at ${s.lastApply.at}`,
              ]
            : []),
        ].join('\n'),
      );
      return 0;
    }
    case 'service list':
    case 'service show':
    case 'service add':
    case 'service edit':
    case 'service rm':
    case 'template list':
    case 'template show':
      return runServiceCommand(key, rest, { api, a, out, json, message });
    case 'apply': {
      const r = await api.send<ApplyResponse>('POST', '/v1/apply', {});
      const warnings = (r.warnings ?? []).map((w) => `warning: ${w.path}: ${w.message}`);
      print(r, () =>
        (r.outcome === 'unchanged'
          ? [`generation ${r.generation} is already running`, ...warnings]
          : [
              `generation ${r.generation} is running (reload, ${r.durationMs} ms)`,
              ...(r.freshServers?.length
                ? [`started fresh (no saved state): ${r.freshServers.join(', ')}`]
                : []),
              ...warnings,
              ...(r.previousWorker?.connectionsOnPreviousWorker
                ? [
                    `${r.previousWorker.connectionsOnPreviousWorker} connection(s) finish on the previous worker`,
                  ]
                : []),
            ]
        ).join('\n'),
      );
      return 0;
    }
    case 'history': {
      const list = await api.get<GenerationSummary[]>(
        `/v1/generations?limit=${Number(flag(a, 'limit') ?? 20)}`,
      );
      print(list, () =>
        table([
          ['GEN', 'WHEN', 'WHO', 'ON', 'ORIGIN', 'MESSAGE'],
          ...list.map((g) => [
            String(g.number),
            g.createdAt,
            g.author,
            g.unit ?? '-',
            g.origin,
            g.message,
          ]),
        ]),
      );
      return 0;
    }
    case 'diff': {
      const [from, to] = [sub, rest[0]];
      if (!from || !to) throw new UsageError('diff needs two generation numbers');
      const d = await api.get<{ config: string; haproxy: string }>(
        `/v1/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      );
      print(d, () => (a.flags.has('config') ? d.config : d.haproxy) || 'no differences');
      return 0;
    }
    case 'rollback': {
      const to = Number(sub);
      if (!Number.isInteger(to)) throw new UsageError('rollback needs a generation number');
      committed(await api.send('POST', '/v1/rollback', { base: await desired(api), to, message }));
      return 0;
    }
    case 'server set': {
      const ref = rest[0] ?? '';
      const parts = ref.split('/');
      if (parts.length < 2 || parts.length > 3)
        throw new UsageError('server set needs SERVICE/SERVER or SERVICE/BACKEND/SERVER');
      const change: Record<string, unknown> = {};
      if (flag(a, 'state')) change.state = flag(a, 'state');
      if (flag(a, 'weight')) change.weight = Number(flag(a, 'weight'));
      const addr = flag(a, 'addr');
      if (addr) {
        const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(
          addr.includes('::') && !addr.startsWith('[') ? `[${addr}]` : addr,
        );
        change.address = m?.[1] ?? addr;
        if (m?.[2]) change.port = Number(m[2]);
      }
      if (flag(a, 'port')) change.port = Number(flag(a, 'port'));
      const [svc, ...srv] = parts;
      const query = srv.length === 2 ? `?backend=${encodeURIComponent(srv[0] ?? '')}` : '';
      const r = await api.send<{
        generation: GenerationSummary;
        applied: string;
        commands: string[];
      }>(
        'POST',
        `/v1/servers/${encodeURIComponent(svc ?? '')}/${encodeURIComponent(srv.at(-1) ?? '')}${query}`,
        { change, message },
      );
      print(
        r,
        () =>
          `generation ${r.generation.number}: ${r.applied === 'live' ? 'live, no reload' : 'applied by reload'}${r.commands.length ? ` (${r.commands.join('; ')})` : ''}`,
      );
      return 0;
    }
    case 'server add': {
      const [svc, backend] = (rest[0] ?? '').split('/');
      const name = rest[1];
      const addr = flag(a, 'addr');
      if (!svc || !backend || !name || !addr)
        throw new UsageError('server add needs SERVICE/BACKEND NAME --addr HOST:PORT');
      const i = addr.lastIndexOf(':');
      const server: Record<string, unknown> = {
        name,
        address: addr.slice(0, i).replace(/^\[|\]$/g, ''),
        port: Number(addr.slice(i + 1)),
      };
      if (flag(a, 'weight')) server.weight = Number(flag(a, 'weight'));
      const r = await api.send<{
        generation: GenerationSummary;
        applied: string;
        commands: string[];
      }>('POST', `/v1/backends/${encodeURIComponent(svc)}/${encodeURIComponent(backend)}/servers`, {
        servers: [server],
        message,
      });
      print(
        r,
        () =>
          `generation ${r.generation.number}: ${r.applied === 'live' ? 'live, no reload' : 'applied by reload'}`,
      );
      return 0;
    }
    case 'server rm': {
      const parts = (rest[0] ?? '').split('/');
      if (parts.length < 2 || parts.length > 3)
        throw new UsageError('server rm needs SERVICE/SERVER or SERVICE/BACKEND/SERVER');
      const query = parts.length === 3 ? `?backend=${encodeURIComponent(parts[1] ?? '')}` : '';
      const r = await api.send<{ generation: GenerationSummary; applied: string }>(
        'POST',
        `/v1/servers/${encodeURIComponent(parts[0] ?? '')}/${encodeURIComponent(parts.at(-1) ?? '')}/remove${query}`,
        { message },
      );
      print(
        r,
        () =>
          `generation ${r.generation.number}: ${r.applied === 'live' ? 'live, no reload' : 'applied by reload'}`,
      );
      return 0;
    }
    case 'config show': {
      const g = flag(a, 'generation');
      const text = await api.text(
        `/v1/config/haproxy.cfg${g ? `?generation=${encodeURIComponent(g)}` : ''}`,
      );
      print({ haproxyCfg: text }, () => text.trimEnd());
      return 0;
    }
    case 'logs':
      return runLogs(api, a, out, json);
    case 'stats':
      return runStats(api, a, out, json);
    case 'events':
      return runEvents(api, a, out, json);
    case 'cluster':
      return runCluster(api, a, out, json);
    case 'setup-token': {
      const r = await api.get<{ token: string | null }>('/v1/auth/setup-token');
      print(r, () =>
        r.token
          ? `one-time setup token: ${r.token}\n(open the console and create the first administrator with it)`
          : 'this unit has its administrator already: sign in to the console',
      );
      return 0;
    }
    case 'user':
      return runUser(api, a, out, json);
    case 'ssh-keys':
      return runSshKeys(api, a, out, json);
    case 'cert':
      return runCert(api, a, out, json);
    case 'discovery':
      return runDiscovery(api, out, json);
    case 'backup':
    case 'restore':
      return runBackup(api, a, out);
    default:
      throw new UsageError(`unknown command "${a.positionals.join(' ')}"`);
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv, (l) => console.log(l));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`tandemctl: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ApiError) {
      console.error(`error (${e.body.error.code}): ${e.body.error.message}`);
      for (const f of e.body.error.fields) console.error(`  ${f.path || '(config)'}: ${f.message}`);
      return 1;
    }
    console.error(`tandemctl: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
