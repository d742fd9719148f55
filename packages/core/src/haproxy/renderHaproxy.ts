import type { ApplianceConfig } from '../model/applianceConfig.js';
import type { Vip } from '../model/cluster.js';
import type { NodeSettings } from '../model/node.js';
import type { HaproxyBundle, RenderedFile, Section } from './ir.js';
import { renderBackend } from './renderBackend.js';
import { acmeResponds, renderFrontend } from './renderFrontend.js';
import { acmeChallengeMapFile } from '../model/proxyNames.js';
import { renderAdmin, renderDefaults, renderGlobal, renderLogRing } from './renderGlobal.js';
import { serializeSections } from './serialize.js';
import { oldWorkerPolicy } from './oldWorkerPolicy.js';
import { PAIR_PEERS, renderPeers } from './renderPeers.js';
import { renderResolvers } from './renderResolvers.js';

export interface RenderOptions {
  node: NodeSettings;
  /** The generation being rendered; shown in the header so a running file names its origin. */
  generation?: number;
  /**
   * Whether HTTP frontends answer ACME HTTP-01 challenges (the unit has ACME set up). Off by
   * default: with the rule and its map, HAProxy 2.6's request counters across reloads came out
   * short in the stats test (2026-12-01, not understood yet), so only units using ACME carry it.
   */
  acmeChallenges?: boolean;
}

/** The sections of haproxy.cfg for a validated config, before serialization. */
export function haproxySections(
  config: ApplianceConfig,
  options: RenderOptions,
): { sections: Section[]; files: RenderedFile[] } {
  const vips = new Map<string, Vip>();
  for (const inst of config.cluster.instances) for (const v of inst.vips) vips.set(v.name, v);
  const sections: Section[] = [
    renderGlobal(config.global, options.node, options.generation, oldWorkerPolicy(config).graceMs),
    ...renderLogRing(options.node),
    ...renderPeers(options.node),
    ...renderResolvers(config),
    renderDefaults(config.global),
  ];
  sections.push(...renderAdmin(config.global));
  const files: RenderedFile[] = [];
  config.services.forEach((svc, i) => {
    if (!svc.enabled) return;
    const base = `services[${i}]`;
    const fe = renderFrontend(svc, {
      base,
      node: options.node,
      vips,
      idleCloseOnResponse: config.global.idleCloseOnResponse,
      acmeChallenges: options.acmeChallenges === true,
    });
    sections.push(fe.section);
    files.push(...fe.files);
    const peers = options.node.pair ? PAIR_PEERS : null;
    svc.backends.forEach((b, j) =>
      sections.push(renderBackend(svc, b, `${base}.backends[${j}]`, peers)),
    );
  });
  // The challenge map must exist for HAProxy to load the frontends that read it; empty on
  // disk, filled at run time (a reload in the middle of an issuance only makes the CA retry).
  if (options.acmeChallenges === true && config.services.some((s) => s.enabled && acmeResponds(s)))
    files.push({
      path: acmeChallengeMapFile(options.node.paths.mapDir),
      content: '# ACME HTTP-01 challenges: token key-authorization, added at run time\n',
    });
  return { sections, files };
}

/**
 * Renders haproxy.cfg and its companion files from a config that has been through
 * `parseApplianceConfig`. Pure and deterministic: the same inputs give the same bytes.
 */
export function renderHaproxy(config: ApplianceConfig, options: RenderOptions): HaproxyBundle {
  const { sections, files } = haproxySections(config, options);
  const header = [
    'haproxy.cfg rendered by Tandem. Do not edit: changes go through the Tandem agent.',
    `unit ${options.node.unitName}${options.generation === undefined ? '' : `, generation ${options.generation}`}`,
  ];
  const { text, lineOrigins } = serializeSections(header, sections);
  return {
    config: text,
    files,
    lineOrigins,
    sections,
    serverStateFile: options.node.paths.serverState,
  };
}
