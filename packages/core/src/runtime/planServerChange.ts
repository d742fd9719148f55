import { z } from 'zod';
import { TandemError } from '../errors.js';
import { Port, ServerAddress } from '../grammar/network.js';
import { IntRange } from '../grammar/text.js';
import type { ApplianceConfig } from '../model/applianceConfig.js';
import { backendName } from '../model/proxyNames.js';
import { SERVER_STATES, type ServerState } from '../model/server.js';
import { revalidate } from './revalidate.js';

/** What an operator asks of one server; every part is optional, at least one is required. */
export const ServerChange = z
  .object({
    state: z.enum(SERVER_STATES).optional(),
    weight: IntRange(0, 256).optional(),
    address: ServerAddress.optional(),
    port: Port.optional(),
  })
  .strict()
  .refine((c) => Object.keys(c).length > 0, {
    error: 'name at least one of state, weight, address, port',
  });
export type ServerChange = z.output<typeof ServerChange>;

/** A typed Runtime API command; formatRuntimeCommand turns it into the socket's text. */
export type RuntimeCommand =
  | { kind: 'state'; backend: string; server: string; state: ServerState }
  | { kind: 'weight'; backend: string; server: string; weight: number }
  | { kind: 'addr'; backend: string; server: string; address: string; port: number }
  | { kind: 'add'; backend: string; server: string; options: string[] }
  | { kind: 'enable-health'; backend: string; server: string }
  | { kind: 'shutdown-sessions'; backend: string; server: string }
  | { kind: 'del'; backend: string; server: string };

export interface ServerRef {
  service: string;
  backend: string;
  server: string;
  /** Where the server sits in the model, for error paths and edits. */
  path: { service: number; backend: number; server: number };
}

/**
 * Finds a server by `service/server` (unique within the service) or `service/backend/server`.
 */
export function findServer(config: ApplianceConfig, ref: string): ServerRef {
  const parts = ref.split('/');
  if (parts.length < 2 || parts.length > 3) {
    throw new TandemError(
      'bad_request',
      'name a server as <service>/<server> or <service>/<backend>/<server>',
    );
  }
  const [svcName, a, b] = parts as [string, string, string | undefined];
  const service = config.services.findIndex((s) => s.name === svcName);
  const svc = config.services[service];
  if (!svc) throw new TandemError('not_found', `no service named ${svcName}`);
  const matches: ServerRef[] = [];
  svc.backends.forEach((be, bi) => {
    if (b !== undefined && be.name !== a) return;
    const name = b ?? a;
    const si = be.servers.findIndex((s) => s.name === name);
    if (si >= 0)
      matches.push({
        service: svc.name,
        backend: be.name,
        server: name,
        path: { service, backend: bi, server: si },
      });
  });
  if (matches.length === 0) throw new TandemError('not_found', `no server ${ref}`);
  if (matches.length > 1) {
    throw new TandemError(
      'bad_request',
      `${ref} is ambiguous: name it as ${svc.name}/<backend>/${a} (${matches.map((m) => m.backend).join(', ')})`,
    );
  }
  return matches[0]!;
}

export interface ServerChangePlan {
  config: ApplianceConfig;
  ref: ServerRef;
  /** Commands that make the running HAProxy match `config` without a reload. */
  commands: RuntimeCommand[];
}

/**
 * Plans a change to one server: the new model (so the next render matches what runs) and the
 * Runtime API commands that apply it live. Every field a ServerChange can touch has a runtime
 * command, so the answer is always "live"; anything else is a config change and a reload.
 */
export function planServerChange(
  config: ApplianceConfig,
  ref: string,
  change: ServerChange,
): ServerChangePlan {
  const found = findServer(config, ref);
  const { service, backend, server } = found.path;
  // The config is plain JSON (that is how it is stored), so a JSON round trip is a deep copy.
  const next = JSON.parse(JSON.stringify(config)) as ApplianceConfig;
  const srv = next.services[service]!.backends[backend]!.servers[server]!;
  const id = { backend: backendName(found.service, found.backend), server: found.server };
  const commands: RuntimeCommand[] = [];
  if (change.address !== undefined || change.port !== undefined) {
    srv.address = change.address ?? srv.address;
    srv.port = change.port ?? srv.port;
    commands.push({ kind: 'addr', ...id, address: srv.address, port: srv.port });
  }
  if (change.weight !== undefined) {
    srv.weight = change.weight;
    // While draining, HAProxy's weight stays 0; the new weight applies on return to ready.
    if (srv.state !== 'drain' || change.state === 'ready')
      commands.push({ kind: 'weight', ...id, weight: change.weight });
  }
  if (change.state !== undefined && change.state !== srv.state) {
    srv.state = change.state;
    commands.push({ kind: 'state', ...id, state: change.state });
    if (change.state === 'ready') commands.push({ kind: 'weight', ...id, weight: srv.weight });
  }
  const owner = `services[${service}].backends[${backend}].servers[${server}]`;
  return { config: revalidate(next, owner), ref: found, commands: dedupe(commands) };
}

function dedupe(commands: RuntimeCommand[]): RuntimeCommand[] {
  // A later weight command for the same server wins; keep order otherwise.
  const lastWeight = commands.map((c) => c.kind).lastIndexOf('weight');
  return commands.filter((c, i) => c.kind !== 'weight' || i === lastWeight);
}

/** Names and addresses come from grammars without spaces or line breaks, so this is one line. */
export function formatRuntimeCommand(c: RuntimeCommand): string {
  const target = `${c.backend}/${c.server}`;
  switch (c.kind) {
    case 'state':
      return `set server ${target} state ${c.state}`;
    case 'weight':
      return `set server ${target} weight ${c.weight}`;
    case 'addr':
      return `set server ${target} addr ${c.address} port ${c.port}`;
    case 'add':
      return `add server ${target} ${c.options.join(' ')}`;
    case 'enable-health':
      return `enable health ${target}`;
    case 'shutdown-sessions':
      return `shutdown sessions server ${target}`;
    case 'del':
      return `del server ${target}`;
  }
}
