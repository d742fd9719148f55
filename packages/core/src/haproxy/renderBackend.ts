import type { Backend } from '../model/backend.js';
import type { Balance } from '../model/balance.js';
import { backendName } from '../model/proxyNames.js';
import type { SourceAddress } from '../model/server.js';
import type { Service } from '../model/service.js';
import { formatDuration, formatEndpoint } from './format.js';
import { RESOLVERS } from './renderResolvers.js';
import { isIpServerAddress } from '../grammar/network.js';
import { addTimeouts, BACKEND_TIMEOUTS } from './renderTimeouts.js';
import { DirectiveList, type Section } from './ir.js';
import { renderHealthCheck } from './renderHealthCheck.js';

function balanceWords(b: Balance): string[] {
  switch (b.algorithm) {
    case 'uri':
      return [
        'uri',
        ...(b.whole ? ['whole'] : []),
        ...(b.depth !== undefined ? ['depth', String(b.depth)] : []),
        ...(b.len !== undefined ? ['len', String(b.len)] : []),
      ];
    case 'url_param':
      return ['url_param', b.param];
    case 'hdr':
      return [`hdr(${b.header})`, ...(b.useDomainOnly ? ['use_domain_only'] : [])];
    default:
      return [b.algorithm];
  }
}

function sourceWord(s: SourceAddress): string {
  if (s.portFrom === undefined || s.portTo === undefined) return s.address;
  return formatEndpoint(s.address, `${s.portFrom}-${s.portTo}`);
}

export function renderBackend(
  svc: Service,
  b: Backend,
  base: string,
  /** The pair's peers section: stick tables name it, so the peer unit holds the same entries. */
  peers: string | null = null,
): Section {
  const at = (p: string) => `${base}.${p}`;
  const d = new DirectiveList(base);
  d.add(null, 'mode', svc.mode);
  d.add(at('balance'), 'balance', ...balanceWords(b.balance));
  d.addIf(b.hashType !== undefined, at('hashType'), 'hash-type', b.hashType ?? '');
  addTimeouts(d, b.timeouts, BACKEND_TIMEOUTS, (f) => at(`timeouts.${f}`));
  d.addIf(b.retries !== undefined, at('retries'), 'retries', b.retries ?? 0);
  if (b.redispatch !== undefined)
    d.add(at('redispatch'), ...(b.redispatch ? [] : ['no']), 'option', 'redispatch');
  d.addIf(b.source !== undefined, at('source'), 'source', b.source ? sourceWord(b.source) : '');

  const st = b.stickiness;
  if (st?.type === 'cookie') {
    d.add(
      at('stickiness'),
      'cookie',
      st.name,
      'insert',
      'indirect',
      'nocache',
      'httponly',
      ...(st.secure ? ['secure'] : []),
    );
  } else if (st?.type === 'source') {
    // type ipv6 also stores IPv4 clients (as mapped addresses), so one table serves both.
    d.add(
      at('stickiness'),
      'stick-table',
      'type',
      'ipv6',
      'size',
      st.tableSize,
      'expire',
      formatDuration(st.expireMs),
      ...(peers ? ['peers', peers] : []),
    );
    d.add(at('stickiness'), 'stick', 'on', 'src');
  }
  if (b.healthCheck) renderHealthCheck(d, b.healthCheck, at);

  b.servers.forEach((s, i) => {
    // Drain renders as weight 0; the model keeps the weight for the return to ready.
    const weight = s.state === 'drain' ? 0 : s.weight;
    const w = ['server', s.name, formatEndpoint(s.address, s.port), 'weight', String(weight)];
    if (s.maxconn !== undefined) w.push('maxconn', String(s.maxconn));
    if (s.check) w.push('check');
    if (s.backup) w.push('backup');
    if (s.state === 'maint') w.push('disabled');
    if (st?.type === 'cookie') w.push('cookie', s.name);
    if (s.source) w.push('source', sourceWord(s.source));
    // A DNS name that does not resolve must not stop a reload of the whole unit: start with the
    // last known address (from the state file) or none, and let the check mark the server down.
    if (!isIpServerAddress(s.address)) w.push('init-addr', 'last,libc,none');
    d.add(at(`servers[${i}]`), ...w);
  });
  const t = b.serverTemplate;
  if (t?.dns) {
    // HAProxy's resolver fills the slots and follows the records; `last` keeps the addresses
    // already known across a reload (the server-state file), and no answer yet starts them
    // empty rather than failing the load. SRV records bring their own ports and weights.
    const srv = t.dns.type === 'SRV';
    d.add(
      at('serverTemplate'),
      'server-template',
      t.prefix,
      `1-${t.count}`,
      srv ? t.dns.name : formatEndpoint(t.dns.name, t.port),
      'resolvers',
      RESOLVERS,
      ...(srv ? [] : ['resolve-prefer', t.dns.type === 'AAAA' ? 'ipv6' : 'ipv4']),
      'init-addr',
      'last,none',
      ...(b.healthCheck ? ['check'] : []),
    );
  } else if (t) {
    d.add(
      at('serverTemplate'),
      'server-template',
      t.prefix,
      `1-${t.count}`,
      `0.0.0.0:${t.port}`,
      'disabled',
      ...(b.healthCheck ? ['check'] : []),
    );
  }
  return {
    kind: 'backend',
    name: backendName(svc.name, b.name),
    comments: [`service ${svc.name}, backend ${b.name}`],
    directives: d.list(),
    origin: base,
  };
}
