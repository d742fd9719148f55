import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleConfigs } from '../examples/exampleConfigs.js';
import { nodeUnder } from '../examples/nodes.js';
import { parseApplianceConfig, parseNodeSettings } from '../validate.js';
import { parseHaproxyConfig } from './parseConfig.js';
import { renderHaproxy } from './renderHaproxy.js';

/**
 * The renderer's safety proof. Every leaf of every example config is a target; each case
 * replaces one to three leaves with hostile or random values. Whatever the schema accepts must
 * render to exactly the sections and words the renderer built (read back by an independent
 * tokenizer that follows HAProxy's rules), using only keywords the renderer knows; whatever it
 * refuses must be refused with an error naming a field.
 */
const RUNS = Number(process.env.TANDEM_FUZZ_RUNS ?? 10_000);

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type Path = (string | number)[];

function leaves(value: Json, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

function getAt(root: Json, path: Path): Json {
  return path.reduce<Json>(
    (node, key) => (node as Record<string | number, Json>)[key] as Json,
    root,
  );
}

function setAt(root: Json, path: Path, value: Json): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, Json>;
  parent[path[path.length - 1] as string | number] = value;
}

function pathText(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The object a path belongs to for cross-field rules: a service, a VRRP instance, or global. */
function ownerOf(path: string): string {
  return /^(services\[\d+\]|cluster\.instances\[\d+\]|global)/.exec(path)?.[0] ?? path;
}

const HOSTILE: Json[] = [
  '\n    program x\n        command /bin/sh',
  'web\nprogram x',
  'a\r\nb',
  '#',
  'a # b',
  "'",
  '"',
  '\\',
  '$HOME',
  '${HOME}',
  '"$HOME"',
  ' ',
  'a b',
  '',
  '\u0000',
  '\t',
  'x'.repeat(100_000),
  'ünïcødé',
  '☃',
  '\u2028',
  '\u0085',
  '-f',
  '--',
  '{',
  '}',
  'if',
  '%[env(HOME)]',
  '%',
  '`id`',
  '127.0.0.1',
  '::1',
  '198.18.0.0/15',
  '/etc/shadow',
  '../../etc/passwd',
  'PING\r\n',
  '^a\'b"c$',
  0,
  -1,
  65536,
  1e9,
  1.5,
  true,
  null,
  [],
  {},
];

const examplesForPool = exampleConfigs().map((e) => JSON.parse(JSON.stringify(e.config)) as Json);
/** Every primitive value in the examples: valid somewhere, so often valid (or subtly wrong) elsewhere. */
const POOL: Json[] = [
  ...new Set(examplesForPool.flatMap((e) => leaves(e).map((p) => getAt(e, p)))),
];

const printable = fc.string({
  unit: fc.constantFrom(...'aZ09 .-_:/#$\'"\\%{}[]()!*,;=@^~|?<>`&+'.split('')),
  maxLength: 40,
});
const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 3, arbitrary: printable },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: -100_000, max: 10_000_000 }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 3, arbitrary: fc.constantFrom(...POOL) },
);

const examples = examplesForPool;
const targets = examples.map((e) => leaves(e));
const node = (() => {
  const r = parseNodeSettings(nodeUnder('/srv/fuzz'));
  if (!r.ok) throw new Error('bad node');
  return r.value;
})();

const SECTION_KINDS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'userlist',
  'resolvers',
]);
const KEYWORDS = new Set([
  'node',
  'maxconn',
  'nbthread',
  'hard-stop-after',
  'close-spread-time',
  'mworker-max-reloads',
  'server-state-file',
  'load-server-state-from-file',
  'stats',
  'log',
  'mode',
  'retries',
  'option',
  'no',
  'timeout',
  'bind',
  'http-request',
  'http-response',
  'user',
  'description',
  'capture',
  'log-format',
  'tcp-request',
  'acl',
  'use_backend',
  'default_backend',
  'balance',
  'hash-type',
  'source',
  'cookie',
  'stick-table',
  'stick',
  'http-check',
  'tcp-check',
  'default-server',
  'server',
  'server-template',
  'parse-resolv-conf',
  'nameserver',
  'accepted_payload_size',
  'resolve_retries',
  'hold',
]);

interface Mutation {
  example: number;
  changes: { path: Path; value: Json; append: boolean }[];
}

const mutation: fc.Arbitrary<Mutation> = fc
  .integer({ min: 0, max: examples.length - 1 })
  .chain((example) =>
    fc.record({
      example: fc.constant(example),
      changes: fc.array(
        fc.record({
          path: fc.constantFrom(...(targets[example] ?? [])),
          value: hostileValue,
          // Appending to a valid value yields many strange-but-valid inputs (quotes, $, # in
          // descriptions, header values, regexes, payloads) that must render faithfully.
          append: fc.boolean(),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  );

describe('renderer under hostile input', () => {
  it(`accepts only what renders faithfully (${RUNS} cases)`, () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(mutation, ({ example, changes }) => {
        const input = structuredClone(examples[example]) as Json;
        const originals = changes.map((c) => getAt(input, c.path));
        for (const [i, c] of changes.entries()) {
          const orig = originals[i];
          const value =
            c.append && typeof orig === 'string' && typeof c.value === 'string'
              ? orig + c.value
              : c.value;
          c.value = structuredClone(value);
          setAt(input, c.path, c.value);
        }
        const result = parseApplianceConfig(input);

        if (!result.ok) {
          rejected++;
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) expect(e.message).toMatch(/\w/);
          // At least one error is about the change: it names the mutated field (or its parent,
          // for union mismatches), or a field of the same service / VRRP instance / global block
          // (cross-field rules such as "redirectToHttps needs a plain bind"), or it names the value
          // that moved (a reference such as defaultBackend that now points nowhere).
          const related = result.errors.some((e) =>
            changes.some((c, i) => {
              const p = pathText(c.path);
              return (
                e.path === p ||
                e.path.startsWith(`${p}.`) ||
                e.path.startsWith(`${p}[`) ||
                (e.path !== '' && p.startsWith(e.path)) ||
                ownerOf(e.path) === ownerOf(p) ||
                (typeof originals[i] !== 'object' && e.message.includes(String(originals[i]))) ||
                (typeof c.value !== 'object' &&
                  String(c.value) !== '' &&
                  e.message.includes(String(c.value)))
              );
            }),
          );
          expect(
            related,
            JSON.stringify({
              changes: changes.map((c) => pathText(c.path)),
              errors: result.errors,
            }).slice(0, 2000),
          ).toBe(true);
          return;
        }

        accepted++;
        const bundle = renderHaproxy(result.value, { node, generation: 1 });
        const parsed = parseHaproxyConfig(bundle.config);
        // Exactly the sections the renderer built, in order, each with exactly its words.
        expect(parsed.map((s) => [s.kind, ...s.args])).toEqual(
          bundle.sections.map((s) => [s.kind, ...(s.name === undefined ? [] : [s.name])]),
        );
        parsed.forEach((s, i) => {
          expect(SECTION_KINDS.has(s.kind)).toBe(true);
          expect(s.directives.map((d) => d.words)).toEqual(
            bundle.sections[i]?.directives.map((d) => d.words),
          );
          for (const d of s.directives) expect(KEYWORDS.has(d.words[0] ?? '')).toBe(true);
        });
        // One frontend per enabled service plus the admin endpoint; one backend per pool.
        const enabled = result.value.services.filter((s) => s.enabled);
        expect(parsed.filter((s) => s.kind === 'frontend').length).toBe(
          enabled.length + (result.value.global.admin.enabled ? 1 : 0),
        );
        expect(parsed.filter((s) => s.kind === 'backend').length).toBe(
          enabled.reduce((n, s) => n + s.backends.length, 0),
        );
        // Map files: one `key value` pair per line, nothing that HAProxy would read as more.
        for (const f of bundle.files) {
          for (const line of f.content.trimEnd().split('\n').slice(1))
            expect(line).toMatch(/^[a-z0-9.-]+ [A-Za-z0-9_.:-]+$/);
        }
      }),
      { numRuns: RUNS },
    );
    console.log(
      `fuzz: ${accepted + rejected} cases, ${accepted} accepted and rendered faithfully, ${rejected} rejected with a field error`,
    );
    // Both outcomes must actually be exercised, or the property proves nothing.
    expect(accepted).toBeGreaterThan(RUNS / 20);
    expect(rejected).toBeGreaterThan(RUNS / 20);
  }, 300_000);
});
