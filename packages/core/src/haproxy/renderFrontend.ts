import { escapeLogFormat } from '../grammar/sampleTemplate.js';
import { compactLogFormat } from '../logs/compactLog.js';
import { certificatesOf, type Bind } from '../model/bind.js';
import type { Vip } from '../model/cluster.js';
import type { NodeSettings } from '../model/node.js';
import {
  acmeChallengeMapFile,
  backendName,
  certificateFile,
  frontendName,
  hostMapFile,
} from '../model/proxyNames.js';
import type { Service } from '../model/service.js';
import { formatEndpoint } from './format.js';
import { addTimeouts, FRONTEND_TIMEOUTS } from './renderTimeouts.js';
import { DirectiveList, type RenderedFile, type Section } from './ir.js';
import { conditionAcls } from './renderCondition.js';

export interface FrontendContext {
  base: string;
  node: NodeSettings;
  vips: ReadonlyMap<string, Vip>;
  idleCloseOnResponse: boolean;
  /** Render the ACME HTTP-01 responder (the unit has ACME set up). */
  acmeChallenges?: boolean;
}

function bindWords(s: Service, bind: Bind, ctx: FrontendContext): string[] {
  const address =
    bind.vip !== undefined ? (ctx.vips.get(bind.vip)?.address ?? '') : (bind.address ?? '*');
  const words = ['bind', address === '*' ? `*:${bind.port}` : formatEndpoint(address, bind.port)];
  if (bind.tls && s.tls) {
    // The first certificate is the default; HAProxy picks among all by the client's SNI.
    words.push('ssl');
    for (const c of certificatesOf(s.tls))
      words.push('crt', certificateFile(ctx.node.paths.certDir, c));
    words.push('alpn', (s.mode === 'http' ? s.tls.alpn : ['http/1.1']).join(','));
    words.push('ssl-min-ver', s.tls.minVersion);
  }
  return words;
}

/** An HTTP service listening without TLS somewhere: where an ACME CA's HTTP-01 request lands. */
export const acmeResponds = (s: Service): boolean =>
  s.mode === 'http' && s.binds.some((b) => !b.tls);

export function renderFrontend(
  s: Service,
  ctx: FrontendContext,
): { section: Section; files: RenderedFile[] } {
  const at = (path: string) => `${ctx.base}.${path}`;
  const d = new DirectiveList(ctx.base);
  const http = s.mode === 'http';
  const files: RenderedFile[] = [];

  d.addIf(s.description !== undefined, at('description'), 'description', s.description ?? '');
  d.add(at('mode'), 'mode', s.mode);
  s.binds.forEach((b, i) => d.add(at(`binds[${i}]`), ...bindWords(s, b, ctx)));
  d.addIf(s.maxconn !== undefined, at('maxconn'), 'maxconn', s.maxconn ?? 0);
  addTimeouts(d, s.timeouts, FRONTEND_TIMEOUTS, (f) => at(`timeouts.${f}`));
  // Per frontend rather than in `defaults`: HAProxy warns about it on every TCP frontend.
  d.addIf(
    http && ctx.idleCloseOnResponse,
    'global.idleCloseOnResponse',
    'option',
    'idle-close-on-response',
  );

  const log = s.logging;
  // Without a log target HAProxy ignores (and warns about) log formats and captures.
  if (!log.enabled || ctx.node.logTarget === undefined)
    d.addIf(!log.enabled, at('logging.enabled'), 'no', 'log');
  else {
    // Tandem's own format (ADR 0017): fields in a fixed order, read with one split.
    d.add(
      at('logging'),
      'log-format',
      compactLogFormat(http ? 'http' : 'tcp', {
        host: log.captureHost,
        userAgent: log.captureUserAgent,
      }),
    );
    d.addIf(log.skipEmptyConnections, at('logging.skipEmptyConnections'), 'option', 'dontlognull');
    d.addIf(
      http && log.captureHost,
      at('logging.captureHost'),
      'capture',
      'request',
      'header',
      'Host',
      'len',
      64,
    );
    d.addIf(
      http && log.captureUserAgent,
      at('logging.captureUserAgent'),
      'capture',
      'request',
      'header',
      'User-Agent',
      'len',
      128,
    );
  }
  d.addIf(s.forwardFor, at('forwardFor'), 'option', 'forwardfor');

  const needsSniInspection =
    !http && s.rules.some((r) => r.conditions.some((c) => c.type === 'sni'));
  if (needsSniInspection) {
    // Wait (bounded) for the TLS ClientHello so req.ssl_sni can be read on a passthrough service.
    d.add(at('rules'), 'tcp-request', 'inspect-delay', '5s');
    d.add(
      at('rules'),
      'tcp-request',
      'content',
      'accept',
      'if',
      '{',
      'req.ssl_hello_type',
      '1',
      '}',
    );
  }
  // ACME HTTP-01 (issue 18): a CA asks http://<name>/.well-known/acme-challenge/<token> on port
  // 80; HAProxy answers from the challenge map before anything else (the HTTPS redirect too).
  // A token not in the map goes on to the service as any request would.
  if (ctx.acmeChallenges === true && acmeResponds(s)) {
    const lookup = `path,field(4,/),map(${acmeChallengeMapFile(ctx.node.paths.mapDir)})`;
    d.add(
      at('binds'),
      'http-request',
      'return',
      'status',
      200,
      'content-type',
      'text/plain',
      'lf-string',
      `%[${lookup}]`,
      'if',
      '{',
      'path_beg',
      '/.well-known/acme-challenge/',
      '}',
      '{',
      lookup,
      '-m',
      'found',
      '}',
    );
  }
  d.addIf(
    s.redirectToHttps,
    at('redirectToHttps'),
    'http-request',
    'redirect',
    'scheme',
    'https',
    'code',
    301,
    'unless',
    '{',
    'ssl_fc',
    '}',
  );

  s.headers.forEach((h, i) => {
    const verb = `${h.phase === 'request' ? 'http-request' : 'http-response'}`;
    if (h.action === 'del') d.add(at(`headers[${i}]`), verb, 'del-header', h.name);
    else {
      const value = h.dynamic ? (h.value ?? '') : escapeLogFormat(h.value ?? '');
      d.add(at(`headers[${i}]`), verb, `${h.action}-header`, h.name, value);
    }
  });

  s.rules.forEach((rule, i) => {
    const names: string[] = [];
    rule.conditions.forEach((c, j) => {
      const acl = `rule${i + 1}_${j + 1}`;
      for (const line of conditionAcls(c, s.mode))
        d.add(at(`rules[${i}].conditions[${j}]`), 'acl', acl, ...line);
      names.push(c.negate ? `!${acl}` : acl);
    });
    d.add(at(`rules[${i}]`), 'use_backend', backendName(s.name, rule.backend), 'if', ...names);
  });

  if (s.hostMap) {
    const path = hostMapFile(ctx.node.paths.mapDir, s.name);
    const fallback = backendName(s.name, s.defaultBackend);
    // Domain mode looks up ".host" against ".example.com" entries with map_end, so a name matches
    // itself and its subdomains but never "evilexample.com"; longest entries first so the most
    // specific domain wins.
    const lookup =
      s.hostMap.match === 'domain'
        ? `%[req.hdr(host),host_only,lower,regsub(^,.),map_end(${path},${fallback})]`
        : `%[req.hdr(host),host_only,lower,map_str(${path},${fallback})]`;
    d.add(at('hostMap'), 'use_backend', lookup);
    const entries = s.hostMap.entries.map((e) => ({
      key: s.hostMap?.match === 'domain' ? `.${e.host}` : e.host,
      value: backendName(s.name, e.backend),
    }));
    if (s.hostMap.match === 'domain') entries.sort((a, b) => b.key.length - a.key.length);
    const lines = entries.map((e) => `${e.key} ${e.value}`);
    files.push({ path, content: `# host map of service ${s.name}\n${lines.join('\n')}\n` });
  }
  d.add(at('defaultBackend'), 'default_backend', backendName(s.name, s.defaultBackend));

  const comments = [`service ${s.name}${s.template ? ` (template ${s.template.name})` : ''}`];
  return {
    section: {
      kind: 'frontend',
      name: frontendName(s.name),
      comments,
      directives: d.list(),
      origin: ctx.base,
    },
    files,
  };
}
