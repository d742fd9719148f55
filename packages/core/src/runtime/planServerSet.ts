import { TandemError } from '../errors.js';
import type { ApplianceConfig } from '../model/applianceConfig.js';
import { backendName } from '../model/proxyNames.js';
import { Server } from '../model/server.js';
import { toFieldErrors } from '../validate.js';
import { revalidate } from './revalidate.js';
import { isIpServerAddress } from '../grammar/network.js';
import { formatDuration } from '../grammar/text.js';
import { findServer, type RuntimeCommand } from './planServerChange.js';

export interface ServerSetPlan {
  config: ApplianceConfig;
  /** Runtime commands, or null when the change can only go out by a reload. */
  commands: RuntimeCommand[] | null;
}

/**
 * Adds servers to a backend (scale-up). Live with `add server` when HAProxy can take them as
 * dynamic servers (IP addresses, no cookie stickiness, no source address); otherwise the model
 * changes and the answer is "reload". Dynamic servers do not inherit `default-server`, so the
 * check timing is passed explicitly, and they start in maintenance until told otherwise.
 */
export function planAddServers(
  config: ApplianceConfig,
  service: string,
  backend: string,
  inputs: readonly unknown[],
): ServerSetPlan {
  const si = config.services.findIndex((s) => s.name === service);
  const svc = config.services[si];
  if (!svc) throw new TandemError('not_found', `no service named ${service}`);
  const bi = svc.backends.findIndex((b) => b.name === backend);
  const be = svc.backends[bi];
  if (!be) throw new TandemError('not_found', `no backend ${backend} in service ${service}`);
  if (inputs.length === 0 || inputs.length > 1000)
    throw new TandemError('bad_request', 'add 1 to 1000 servers at a time');
  const servers = inputs.map((input, i) => {
    const r = Server.safeParse(input);
    if (!r.success)
      throw new TandemError(
        'invalid_config',
        'a server does not validate',
        toFieldErrors(r.error).map((e) => ({ ...e, path: `servers[${i}].${e.path}` })),
      );
    return r.data;
  });
  const next = JSON.parse(JSON.stringify(config)) as ApplianceConfig;
  next.services[si]!.backends[bi]!.servers.push(...servers);
  const validated = revalidate(next, `services[${si}].backends[${bi}].servers`);

  const live =
    be.stickiness?.type !== 'cookie' &&
    servers.every((s) => isIpServerAddress(s.address) && s.source === undefined);
  if (!live) return { config: validated, commands: null };
  const id = backendName(svc.name, be.name);
  const hc = be.healthCheck;
  const commands: RuntimeCommand[] = [];
  for (const s of servers) {
    const endpoint = s.address.includes(':')
      ? `[${s.address}]:${s.port}`
      : `${s.address}:${s.port}`;
    const options = [endpoint, 'weight', String(s.state === 'drain' ? 0 : s.weight)];
    if (s.maxconn !== undefined) options.push('maxconn', String(s.maxconn));
    if (s.backup) options.push('backup');
    const check = s.check && hc !== undefined;
    if (check)
      options.push(
        'check',
        'inter',
        formatDuration(hc.intervalMs),
        'rise',
        String(hc.rise),
        'fall',
        String(hc.fall),
      );
    else if (s.check) options.push('check');
    commands.push({ kind: 'add', backend: id, server: s.name, options });
    if (s.check) commands.push({ kind: 'enable-health', backend: id, server: s.name });
    if (s.state !== 'maint')
      commands.push({
        kind: 'state',
        backend: id,
        server: s.name,
        state: s.state === 'drain' ? 'drain' : 'ready',
      });
  }
  return { config: validated, commands };
}

/**
 * Removes a server: into maintenance, its sessions shut, then deleted. Live for any server;
 * the model loses it so the next render has it gone too.
 */
export function planRemoveServer(config: ApplianceConfig, ref: string): ServerSetPlan {
  const found = findServer(config, ref);
  const next = JSON.parse(JSON.stringify(config)) as ApplianceConfig;
  const be = next.services[found.path.service]!.backends[found.path.backend]!;
  be.servers.splice(found.path.server, 1);
  const validated = revalidate(
    next,
    `services[${found.path.service}].backends[${found.path.backend}].servers`,
  );
  const id = { backend: backendName(found.service, found.backend), server: found.server };
  return {
    config: validated,
    commands: [
      { kind: 'state', ...id, state: 'maint' },
      { kind: 'shutdown-sessions', ...id },
      { kind: 'del', ...id },
    ],
  };
}
