import { describe, expect, it } from 'vitest';
import { exampleConfigs } from '../examples/exampleConfigs.js';
import { nodeUnder } from '../examples/nodes.js';
import { parseHaproxyConfig } from '../haproxy/parseConfig.js';
import { renderHaproxy } from '../haproxy/renderHaproxy.js';
import { TEMPLATES } from '../templates/catalogue.js';
import { instantiateTemplate } from '../templates/instantiateTemplate.js';
import { parseApplianceConfig, parseNodeSettings } from '../validate.js';

/**
 * The hardening catalogue, config input (issue 20; docs/security.md lists each case): every string
 * field of every template and of the model, given bytes that could end a config line or hide in
 * it, is refused with an error naming exactly that field; what is accepted renders as exactly the
 * words the renderer built. Deterministic, unlike the renderer's fuzz (renderFuzz.test.ts).
 */
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Path = (string | number)[];

const leaves = (v: Json, p: Path = []): Path[] =>
  Array.isArray(v)
    ? v.flatMap((x, i) => leaves(x, [...p, i]))
    : v !== null && typeof v === 'object'
      ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...p, k]))
      : [p];
const getAt = (root: Json, p: Path): Json =>
  p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k] as Json, root);
const setAt = (root: Json, p: Path, value: Json) => {
  (getAt(root, p.slice(0, -1)) as Record<string | number, Json>)[p[p.length - 1] as string] = value;
};
const pathText = (p: Path) =>
  p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
const stringLeaves = (v: Json) => leaves(v).filter((p) => typeof getAt(v, p) === 'string');

/** What must never reach a config line: each refused in every field. */
const LINE_BREAKERS: [string, string][] = [
  ['LF', 'a\nb'],
  ['CR', 'a\rb'],
  ['NUL', 'a\u0000b'],
  ['U+2028 line separator', 'a\u2028b'],
  ['U+2029 paragraph separator', 'a\u2029b'],
  ['U+0085 next line', 'a\u0085b'],
  ['a 100 kB value', 'a'.repeat(100_000)],
];
/** What is harmless when quoted: refused, or rendered as one word. */
const QUOTABLE: [string, string][] = [
  ['#', 'a#b'],
  ['a double quote', 'a"b'],
  ['a single quote', "a'b"],
  ['a backslash', 'a\\b'],
  ['a space and a comment', 'a # b'],
];
/** tcp-check send data: the protocol needs CR and LF (Redis' PING\r\n); rendered escaped. */
const WIRE_DATA = /\.healthCheck\.steps\[\d+\]\.data$/;

const node = (() => {
  const r = parseNodeSettings(nodeUnder('/var/lib/tandem'));
  if (!r.ok) throw new Error('the example node does not parse');
  return r.value;
})();
/** The rendered configuration read back: each section's words, as HAProxy would read them. */
function renderedFaithfully(config: Json): void {
  const parsed = parseApplianceConfig(config);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const bundle = renderHaproxy(parsed.value, { node, generation: 1 });
  const back = parseHaproxyConfig(bundle.config);
  expect(back.map((s) => s.directives.map((d) => d.words))).toEqual(
    bundle.sections.map((s) => s.directives.map((d) => d.words)),
  );
}

describe.each(TEMPLATES.map((t) => [t.name, t] as const))('template %s', (_name, t) => {
  const example = t.example as Json;
  const fields = stringLeaves(example);

  it.each(LINE_BREAKERS)('refuses %s in every text field, naming it', (_what, value) => {
    expect(fields.length).toBeGreaterThan(0);
    for (const p of fields) {
      const input = structuredClone(example);
      setAt(input, p, value);
      const r = instantiateTemplate(t.name, input);
      expect(r.ok, `params.${pathText(p)}`).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(`params.${pathText(p)}`);
    }
  });

  it.each(QUOTABLE)('takes %s in a text field only as one word, or names the field', (_w, v) => {
    for (const p of fields) {
      const input = structuredClone(example);
      setAt(input, p, (getAt(example, p) as string) + v);
      const r = instantiateTemplate(t.name, input);
      if (!r.ok) expect(r.errors.map((e) => e.path)).toContain(`params.${pathText(p)}`);
      else renderedFaithfully({ schemaVersion: 1, services: r.value } as unknown as Json);
    }
  });
});

describe.each(exampleConfigs().map((e) => [e.name, e] as const))('model, example %s', (_n, e) => {
  const example = JSON.parse(JSON.stringify(e.config)) as Json;
  const fields = stringLeaves(example).filter((p) => !WIRE_DATA.test(pathText(p)));

  it.each(LINE_BREAKERS)('refuses %s in every string field, naming it', (_what, value) => {
    for (const p of fields) {
      const input = structuredClone(example);
      setAt(input, p, value);
      const r = parseApplianceConfig(input);
      expect(r.ok, pathText(p)).toBe(false);
      if (!r.ok) expect(r.errors.map((x) => x.path)).toContain(pathText(p));
    }
  });
});

describe('model, fields with a form of their own', () => {
  const web = (o: object = {}) => ({
    schemaVersion: 1,
    services: [
      {
        name: 'web',
        mode: 'http',
        binds: [{ address: '*', port: 80 }],
        defaultBackend: 'app',
        backends: [{ name: 'app', servers: [{ name: 's1', address: '198.18.0.1', port: 8080 }] }],
        ...o,
      },
    ],
  });
  const refused = (config: object, path: string, message: RegExp) => {
    const r = parseApplianceConfig(config);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  };

  it.each([0, 65536, -1, 1.5])('refuses port %s, naming the field', (port) =>
    refused(web({ binds: [{ address: '*', port }] }), 'services[0].binds[0].port', /./),
  );

  it.each([
    ['[2001:db8::1]', 'brackets'],
    ['fe80::1%eth0', 'a zone'],
    ['0198.018.0.1', 'leading zeros (octal to some parsers)'],
    ['198.18.0.256', 'an octet past 255'],
    ['198.18.1', 'three octets'],
  ])('refuses the address %s (%s), naming the field', (address) =>
    refused(web({ binds: [{ address, port: 80 }] }), 'services[0].binds[0].address', /address/),
  );

  it('takes IPv6 in any case and with zeros written out, stored in canonical form', () => {
    const r = parseApplianceConfig(web({ binds: [{ address: '2001:DB8:0:0::1', port: 80 }] }));
    expect(r.ok && r.value.services[0]?.binds[0]?.address).toBe('2001:db8::1');
  });

  it.each([
    ['wеb', 'a Cyrillic е that looks like e'],
    ['web\u200b', 'a zero-width space'],
    ['tandem-web', 'the reserved prefix'],
    ['-web', 'a leading dash (an option to some programs)'],
    ['', 'nothing'],
  ])('refuses the service name %j (%s), naming the field', (name) =>
    refused(web({ name }), 'services[0].name', /./),
  );

  it.each([
    ['a\nb', 'a line break'],
    ['a\u0000b', 'a NUL'],
    ['a'.repeat(5000), 'a 5 kB value'],
  ])('refuses %j (%s) in stored template parameters, naming the field', (value) =>
    refused(
      web({ template: { name: 'http-load-balancing', params: { name: 'web', note: [value] } } }),
      'services[0].template.params.note[0]',
      /control characters|at most 4096/,
    ),
  );
});
