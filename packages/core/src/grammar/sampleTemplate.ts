import { HEADER_NAME_RE } from './names.js';

/**
 * Dynamic header values (seed 002: `X-LB: %[req.hdr(Host),lower]%[req.uri,lower]`).
 *
 * HAProxy header values are log-format strings that may call any sample fetch, including
 * `env()` and `lua.*`. We accept a small allow-list of fetches and converters instead of passing
 * expressions through, so a header value can never read the agent's environment or call code.
 */
export const FETCHES_NO_ARG: ReadonlySet<string> = new Set([
  'src',
  'src_port',
  'dst',
  'dst_port',
  'url',
  'pathq',
  'path',
  'query',
  'base',
  'method',
  'ssl_fc',
  'ssl_fc_sni',
  'unique-id',
  'date',
]);
export const FETCHES_NAME_ARG: ReadonlySet<string> = new Set([
  'req.hdr',
  'req.fhdr',
  'res.hdr',
  'req.cook',
]);
export const CONVERTERS: ReadonlySet<string> = new Set([
  'lower',
  'upper',
  'host_only',
  'base64',
  'hex',
  'url_dec',
  'http_date',
]);

export interface TemplateProblem {
  message: string;
}

/** Returns null when `text` is an allowed template, or a problem naming what is wrong. */
export function checkSampleTemplate(text: string): TemplateProblem | null {
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('%', i);
    if (open < 0) break;
    const next = text[open + 1];
    if (next === '%') {
      i = open + 2;
      continue;
    }
    if (next !== '[') {
      return { message: 'a % must start %[fetch,...] or be written %%' };
    }
    const close = text.indexOf(']', open);
    if (close < 0) return { message: 'an expression %[ is not closed with ]' };
    const problem = checkExpression(text.slice(open + 2, close));
    if (problem) return problem;
    i = close + 1;
  }
  return null;
}

function checkExpression(expr: string): TemplateProblem | null {
  const [fetch, ...converters] = expr.split(',');
  if (fetch === undefined || fetch === '') return { message: 'an expression needs a fetch' };
  const call = /^([a-z_.-]+)\(([^()]*)\)$/.exec(fetch);
  if (call) {
    const [, name = '', arg = ''] = call;
    if (!FETCHES_NAME_ARG.has(name)) return { message: `fetch ${name}() is not allowed` };
    if (!HEADER_NAME_RE.test(arg)) return { message: `${name}() needs a header or cookie name` };
  } else if (!FETCHES_NO_ARG.has(fetch)) {
    return { message: `fetch ${fetch} is not allowed` };
  }
  for (const conv of converters) {
    if (!CONVERTERS.has(conv)) return { message: `converter ${conv} is not allowed` };
  }
  return null;
}

/** A literal header value must not be read as a log-format template: `%` becomes `%%`. */
export function escapeLogFormat(literal: string): string {
  return literal.replaceAll('%', '%%');
}
