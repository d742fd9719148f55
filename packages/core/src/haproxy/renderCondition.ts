import type { Condition } from '../model/condition.js';

/**
 * Turns one typed condition into one or more `acl` lines with the same name (HAProxy ORs lines
 * that share a name). Every pattern list is preceded by `--` so a value that looks like a flag
 * (`-f /etc/shadow`) is matched as text, never read as an option.
 */
export interface AclLine {
  words: string[];
}

const HOST = 'req.hdr(host),host_only,lower';
const MATCH: Record<string, string> = {
  exact: 'str',
  prefix: 'beg',
  suffix: 'end',
  substring: 'sub',
  regex: 'reg',
};

function hostLines(fetch: string, match: string, values: readonly string[]): string[][] {
  if (match !== 'domain') return [[fetch, '-m', MATCH[match] ?? 'str', '-i', '--', ...values]];
  // "example.com or any subdomain": HAProxy's own `-m dom` would also match
  // example.com.attacker.net, so render an exact match OR'ed with a dot-anchored suffix match.
  return [
    [fetch, '-m', 'str', '-i', '--', ...values],
    [fetch, '-m', 'end', '-i', '--', ...values.map((v) => `.${v.replace(/^\.+/, '')}`)],
  ];
}

export function conditionAcls(c: Condition, mode: 'http' | 'tcp'): string[][] {
  switch (c.type) {
    case 'host':
      return hostLines(HOST, c.match, c.values);
    case 'sni':
      return hostLines(mode === 'tcp' ? 'req.ssl_sni' : 'ssl_fc_sni', c.match, c.values);
    case 'path':
      return [
        ['path', '-m', MATCH[c.match] ?? 'str', ...(c.ignoreCase ? ['-i'] : []), '--', ...c.values],
      ];
    case 'header':
      // req.fhdr reads the full value; req.hdr would split it on commas.
      if (c.match === 'present') return [[`req.fhdr(${c.name})`, '-m', 'found']];
      return [
        [
          `req.fhdr(${c.name})`,
          '-m',
          MATCH[c.match] ?? 'str',
          ...(c.ignoreCase ? ['-i'] : []),
          '--',
          ...c.values,
        ],
      ];
    case 'source':
      return [['src', '--', ...c.networks]];
    case 'method':
      return [['method', '-m', 'str', '--', ...c.methods]];
    case 'websocket':
      return [['req.hdr(upgrade)', '-m', 'str', '-i', '--', 'websocket']];
  }
}
