import { z } from 'zod';
import { Name } from '../grammar/names.js';
import { IntRange, SafeText } from '../grammar/text.js';
import { Backend } from './backend.js';
import { Bind, TlsSettings } from './bind.js';
import { HTTP_ONLY_CONDITIONS } from './condition.js';
import { HeaderAction } from './headerAction.js';
import { hint } from './hints.js';
import { ServiceLogging } from './logging.js';
import { HostMap, Rule } from './rule.js';
import { FrontendTimeouts } from './timeouts.js';

/** Control characters (CR, LF, NUL, tab…) and Unicode line and paragraph separators. */
const NOT_TEXT = /[\p{Cc}\u2028\u2029]/u;

/**
 * The bounds of a template's stored parameters: text without control characters or line
 * separators, at most 4096 characters a string and 1000 items a list, each problem named by its
 * path. They are never rendered, but they are stored, shipped to the peer and shown in the form
 * again, so they hold to what any form field holds to (the template checks its own grammar when
 * the form is sent).
 */
function checkParams(value: unknown, path: (string | number)[], ctx: z.RefinementCtx): void {
  const say = (message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (typeof value === 'string') {
    if (value.length > 4096) say('must be at most 4096 characters');
    else if (NOT_TEXT.test(value)) say('must not hold control characters or line separators');
  } else if (Array.isArray(value)) {
    if (value.length > 1000) say('must have at most 1000 items');
    else value.forEach((v, i) => checkParams(v, [...path, i], ctx));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkParams(v, [...path, k], ctx);
  }
}

/** Where a service came from, so the console can reopen it in its template form. Never rendered. */
export const TemplateOrigin = z
  .object({
    name: Name,
    params: z
      .record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.json())
      .superRefine((params, ctx) => checkParams(params, [], ctx)),
  })
  .strict();

/**
 * A service is what a user thinks of as "one thing the appliance serves": a frontend (binds,
 * TLS, routing rules, headers) and the backends it routes to. It renders as one `frontend` and one
 * `backend <service>.<backend>` section per backend.
 */
export const Service = z
  .object({
    name: hint(Name, { label: 'Service name', placeholder: 'web' }),
    description: hint(SafeText(200).optional(), { label: 'Description' }),
    mode: hint(z.enum(['http', 'tcp']), {
      label: 'Mode',
      help: 'http: parse requests (routing, headers, logs per request); tcp: forward bytes',
    }),
    enabled: hint(z.boolean().default(true), { label: 'Enabled' }),
    binds: z
      .array(Bind)
      .min(1, { error: 'a service needs at least one bind' })
      .max(32, { error: 'at most 32 binds' }),
    tls: TlsSettings.optional(),
    redirectToHttps: hint(z.boolean().default(false), {
      label: 'Redirect HTTP to HTTPS',
      help: 'Answer plain-HTTP requests with a 301 to the same URL over HTTPS',
    }),
    rules: z.array(Rule).max(256, { error: 'at most 256 rules' }).default([]),
    hostMap: HostMap.optional(),
    defaultBackend: hint(Name, { label: 'Default backend' }),
    backends: z
      .array(Backend)
      .min(1, { error: 'a service needs at least one backend' })
      .max(64, { error: 'at most 64 backends' }),
    headers: z.array(HeaderAction).max(64, { error: 'at most 64 header actions' }).default([]),
    forwardFor: hint(z.boolean().default(false), {
      label: 'Add X-Forwarded-For',
      help: 'Tell backends the client address',
    }),
    maxconn: hint(IntRange(1, 1_000_000).optional(), {
      label: 'Max connections',
      unit: 'connections',
    }),
    timeouts: FrontendTimeouts.default({}),
    logging: ServiceLogging.default({
      enabled: true,
      captureHost: true,
      captureUserAgent: true,
      skipEmptyConnections: true,
    }),
    template: TemplateOrigin.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = (path: PropertyKey[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const backendNames = new Set<string>();
    s.backends.forEach((b, i) => {
      if (backendNames.has(b.name))
        issue(['backends', i, 'name'], `duplicate backend name ${b.name}`);
      backendNames.add(b.name);
    });
    const mustExist = (name: string, path: PropertyKey[]) => {
      if (!backendNames.has(name)) issue(path, `no backend named ${name} in this service`);
    };
    mustExist(s.defaultBackend, ['defaultBackend']);
    s.rules.forEach((r, i) => mustExist(r.backend, ['rules', i, 'backend']));
    s.hostMap?.entries.forEach((e, i) =>
      mustExist(e.backend, ['hostMap', 'entries', i, 'backend']),
    );

    const tlsBinds = s.binds.filter((b) => b.tls).length;
    const plainBinds = s.binds.length - tlsBinds;
    if (!s.tls) {
      s.binds.forEach((b, i) => {
        if (b.tls) issue(['binds', i, 'tls'], 'needs the service TLS settings (a certificate)');
      });
    }
    if (tlsBinds === 0 && s.tls) issue(['tls'], 'is set but no bind has tls: true');

    if (s.mode === 'tcp') {
      s.rules.forEach((r, i) =>
        r.conditions.forEach((c, j) => {
          if (HTTP_ONLY_CONDITIONS.has(c.type)) {
            issue(['rules', i, 'conditions', j, 'type'], `${c.type} conditions need mode http`);
          }
        }),
      );
      if (s.hostMap) issue(['hostMap'], 'needs mode http');
      if (s.headers.length > 0) issue(['headers'], 'header actions need mode http');
      if (s.forwardFor) issue(['forwardFor'], 'needs mode http');
      if (s.redirectToHttps) issue(['redirectToHttps'], 'needs mode http');
      s.backends.forEach((b, i) => {
        if (b.stickiness?.type === 'cookie')
          issue(['backends', i, 'stickiness', 'type'], 'cookie stickiness needs mode http');
        if (
          b.balance.algorithm === 'uri' ||
          b.balance.algorithm === 'url_param' ||
          b.balance.algorithm === 'hdr'
        ) {
          issue(
            ['backends', i, 'balance', 'algorithm'],
            `${b.balance.algorithm} balancing needs mode http`,
          );
        }
      });
    }
    if (s.mode === 'http' && tlsBinds === 0) {
      s.rules.forEach((r, i) =>
        r.conditions.forEach((c, j) => {
          if (c.type === 'sni')
            issue(
              ['rules', i, 'conditions', j, 'type'],
              'sni conditions in mode http need a TLS bind',
            );
        }),
      );
    }
    if (s.redirectToHttps && (tlsBinds === 0 || plainBinds === 0)) {
      issue(['redirectToHttps'], 'needs at least one TLS bind and one plain bind');
    }
  });
export type Service = z.output<typeof Service>;
export type ServiceInput = z.input<typeof Service>;
