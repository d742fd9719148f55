import { join } from 'node:path';
import { serializeSections, type Section } from '@tandem/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaproxy, type RunningHaproxy } from '../support/haproxyProcess.js';
import { freePort } from '../support/ports.js';
import { haproxyRuntimes, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

/**
 * The renderer's quoting, checked against the real tokenizer: each word is written with quoteWord
 * into `http-request return ... string <word>`, and HAProxy must answer with exactly that word.
 * This is what makes the pure fuzz test's tokenizer a faithful stand-in for HAProxy.
 */
const FIXED = [
  'plain',
  'two words',
  "it's",
  '"double"',
  '$HOME',
  '${HOME}',
  '"$HOME"',
  '#not a comment',
  'a # b',
  'back\\slash',
  '\\x41',
  'tab\there',
  'crlf\r\nline',
  '\u0001\u001f\u007f',
  'ünïcødé ☃',
  'mix \'single\' "double" $VAR \\ # end',
  '{',
  '-f',
  '%[src]',
];
// Random words: any Unicode except NUL (C strings end there; every grammar refuses it anyway).
const RANDOM = fc.sample(
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 40 })
    .filter((s) => !s.includes('\u0000') && s.isWellFormed()),
  { numRuns: 150, seed: 20261121 },
);
const WORDS = [...FIXED, ...RANDOM];

function echoConfig(port: number): string {
  const section: Section = {
    kind: 'frontend',
    name: 'echo',
    comments: [],
    origin: '',
    directives: [
      { words: ['mode', 'http'], origin: '' },
      { words: ['bind', `127.0.0.1:${port}`], origin: '' },
      ...WORDS.map((w, i) => ({
        words: [
          'http-request',
          'return',
          'status',
          '200',
          'content-type',
          'text/plain',
          'string',
          w,
          'if',
          '{',
          'path',
          `/w/${i}`,
          '}',
        ],
        origin: '',
      })),
    ],
  };
  const defaults: Section = {
    kind: 'defaults',
    comments: [],
    origin: '',
    directives: ['connect', 'client', 'server'].map((t) => ({
      words: ['timeout', t, '5s'],
      origin: '',
    })),
  };
  return serializeSections(['quoting test'], [defaults, section]).text;
}

describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'quoteWord against the real %s',
  (_l, rt: HaproxyRuntime) => {
    let haproxy: RunningHaproxy | undefined;
    let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
    let port = 0;

    beforeAll(async () => {
      tmp = await rt.tempDir('quoting');
      port = await freePort();
      const cfg = join(tmp.dir, 'quoting.cfg');
      await rt.files.write(cfg, echoConfig(port));
      haproxy = await startHaproxy(cfg, port, rt.command);
    });

    afterAll(async () => {
      await haproxy?.stop();
      await tmp?.cleanup();
    });

    it(`returns each of ${WORDS.length} hostile words byte for byte`, async () => {
      const mismatches: { word: string; got: string }[] = [];
      for (const [i, word] of WORDS.entries()) {
        const res = await fetch(`http://127.0.0.1:${port}/w/${i}`);
        const got = Buffer.from(await res.arrayBuffer()).toString('utf8');
        if (res.status !== 200 || got !== word) mismatches.push({ word, got });
      }
      expect(mismatches).toEqual([]);
    });
  },
);
