import { TandemError, type FieldError } from '../errors.js';
import type { ClusterNode, ClusterShared, VrrpInstance } from '../model/cluster.js';

/** What a unit's keepalived.conf is made of: the shared instances and this unit's own side. */
export interface KeepalivedInput {
  shared: ClusterShared;
  node: ClusterNode;
  unitName: string;
  /** keepalived writes every state change here (`INSTANCE "web" MASTER 150`); the agent reads it. */
  notifyFifo: string;
  /**
   * The agent's verdict on this unit (0 = ready to serve, 1 = not): HAProxy down, or put in
   * standby for a handover. keepalived watches it with inotify, so a change acts at once.
   */
  readyFile: string;
  /**
   * Also track the HAProxy process by name through the kernel's process events, so keepalived
   * notices a dead HAProxy even when the agent is down. The kernel sends those events only in
   * the initial network namespace: on for the appliance, off in the lab (ADR 0010).
   */
  trackProcess?: string | null;
  generation?: number;
}

/** Seconds between gratuitous ARP refreshes while master (stale ARP caches, keepalived #20). */
const GARP_REFRESH_S = 10;

/**
 * keepalived.conf for one unit. Pure: the same shared input renders on both units and only the
 * node part (priority, interface, unicast addresses) differs. Every value reaching the text has
 * passed an allow-list grammar (names, interface names, canonical IPs, absolute paths), none of
 * which admits a space, quote, `#`, `!`, `$` or a brace, so no word needs quoting; the checks below
 * are the cross-field ones the schema cannot make because shared and node parts are separate.
 */
export function renderKeepalived(input: KeepalivedInput): string {
  const { shared, node } = input;
  const errors: FieldError[] = [];
  const family = (a: string) => (a.includes(':') ? 6 : 4);
  for (const inst of shared.instances) {
    if (node.priorities[inst.name] === undefined)
      errors.push({
        path: `cluster.priorities.${inst.name}`,
        message: `this unit needs a priority (1-254) for VRRP instance ${inst.name}`,
      });
    const vip = inst.vips[0];
    if (vip && family(vip.address) !== family(node.unicastSource))
      errors.push({
        path: 'cluster.unicastSource',
        message: `must be IPv${family(vip.address)} to carry instance ${inst.name}'s adverts`,
      });
  }
  node.peers.forEach((p, i) => {
    if (family(p) !== family(node.unicastSource))
      errors.push({
        path: `cluster.peers[${i}]`,
        message: 'must be the same family as unicastSource',
      });
    if (p === node.unicastSource)
      errors.push({ path: `cluster.peers[${i}]`, message: "must not be this unit's own address" });
  });
  for (const [name] of Object.entries(node.priorities))
    if (!shared.instances.some((i) => i.name === name))
      errors.push({
        path: `cluster.priorities.${name}`,
        message: `no VRRP instance named ${name}`,
      });
  if (errors.length > 0)
    throw new TandemError('invalid_config', 'the cluster settings do not fit together', errors);

  const lines = [
    `# keepalived.conf for unit ${input.unitName}${input.generation === undefined ? '' : `, generation ${input.generation}`}.`,
    '# Rendered by the tandem agent from the cluster settings; edits here are overwritten.',
    'global_defs {',
    `  router_id ${input.unitName}`,
    `  notify_fifo ${input.notifyFifo}`,
    '  vrrp_version 3',
    // One GARP burst on becoming master, a second one a second later, then a refresh while
    // master: a switch or client that missed the first (stale ARP) catches up within seconds.
    '  vrrp_garp_master_delay 1',
    '  vrrp_garp_master_repeat 3',
    `  vrrp_garp_master_refresh ${GARP_REFRESH_S}`,
    // A master that hears a lower-priority advert (two masters: the end of a split brain, a
    // frozen unit thawing) announces itself at once: it never became master again, so nothing
    // else would move the clients' ARP entries back from the unit that stood in for it.
    '  vrrp_garp_lower_prio_delay 0',
    '  vrrp_garp_lower_prio_repeat 3',
    // Adverts every 100-200 ms must not be late because the CPU is busy with proxying:
    // real-time scheduling for the VRRP process, capped at 40 (ADR 0010, false failovers).
    '  max_auto_priority 40',
    '}',
    '',
    // `track_file`: 2.2 logs `vrrp_track_file` as deprecated at start-up (which `-t` does not show).
    'track_file tandem_ready {',
    `  file ${input.readyFile}`,
    // Not ready until the agent has seen HAProxy serve: a unit never claims VIPs it cannot serve.
    '  init_file 1',
    '}',
  ];
  if (input.trackProcess) {
    lines.push(
      '',
      'vrrp_track_process tandem_haproxy {',
      `  process ${input.trackProcess}`,
      '  quorum 1',
      '}',
    );
  }
  for (const inst of shared.instances) lines.push('', ...instance(inst, input));
  return `${lines.join('\n')}\n`;
}

function instance(inst: VrrpInstance, input: KeepalivedInput): string[] {
  const { node } = input;
  const out = [
    `vrrp_instance ${inst.name} {`,
    // Both units start as backup: the one with the higher priority wins the election, and with
    // nopreempt a unit that comes back does not take the VIPs again (one interruption, not two).
    '  state BACKUP',
    `  interface ${node.interface}`,
    `  virtual_router_id ${inst.vrid}`,
    `  priority ${String(node.priorities[inst.name])}`,
    `  advert_int ${(inst.advertIntervalMs / 1000).toString()}`,
  ];
  if (!inst.preempt) out.push('  nopreempt');
  out.push(
    `  unicast_src_ip ${node.unicastSource}`,
    '  unicast_peer {',
    ...node.peers.map((p) => `    ${p}`),
    '  }',
    '  virtual_ipaddress {',
    ...inst.vips.map((v) => `    ${v.address}/${v.prefixLength} dev ${node.interface}`),
    '  }',
    '  track_file {',
    '    tandem_ready weight 0',
    '  }',
  );
  if (input.trackProcess) out.push('  track_process {', '    tandem_haproxy weight 0', '  }');
  out.push('}');
  return out;
}
