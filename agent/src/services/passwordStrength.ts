import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { TandemError } from '@tandem/core';

/**
 * Refuses passwords a guesser would try early (issue 17, ADR 0018): zxcvbn's estimate (the
 * maintained TypeScript port), with its common-password, word and keyboard-pattern lists, and the
 * user's own name and the product's as words a guesser knows. Score 3 of 4 or more passes ("safely
 * unguessable" against an online attack and a slow hash offline). The schema's length and
 * character rules come first; this says why a long enough password is still a weak one.
 *
 * The estimate runs in a thread of its own that exits after answering: loaded, the word lists
 * and the estimator's tables take some 25 MB of heap that module caching would keep for good, and
 * a unit sets a password a few times in its life (with them loaded in the agent, the appliance
 * image's agent idled at 92 MiB, against 75-79 MiB before).
 */
const require = createRequire(import.meta.url);
const LIBRARIES = {
  core: require.resolve('@zxcvbn-ts/core'),
  common: require.resolve('@zxcvbn-ts/language-common'),
  en: require.resolve('@zxcvbn-ts/language-en'),
};

/** The thread's body (CommonJS, given the libraries' resolved paths: it runs from src or dist). */
const ESTIMATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { ZxcvbnFactory } = require(workerData.libraries.core);
const common = require(workerData.libraries.common);
const en = require(workerData.libraries.en);
const z = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});
const r = z.check(workerData.password, workerData.related);
parentPort.postMessage({ score: r.score, warning: r.feedback.warning, hint: r.feedback.suggestions[0] ?? null });
`;

interface Estimate {
  score: number;
  warning: string | null;
  hint: string | null;
}

function estimate(password: string, related: readonly string[]): Promise<Estimate> {
  return new Promise((resolve, reject) => {
    const w = new Worker(ESTIMATOR, {
      eval: true,
      workerData: {
        libraries: LIBRARIES,
        password,
        related: [...related, 'tandem', 'haproxy', 'admin', 'console'],
      },
    });
    w.once('message', (m: Estimate) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) =>
      reject(new Error(`the password estimator stopped with code ${code} before answering`)),
    );
  });
}

export async function assertStrongPassword(
  password: string,
  field: string,
  related: readonly string[],
): Promise<void> {
  const r = await estimate(password, related);
  if (r.score >= 3) return;
  const why = r.warning ?? 'this password would be guessed early';
  const message = `too easy to guess: ${why.replace(/\.$/, '')}${r.hint ? `. ${r.hint}` : ''}`;
  throw new TandemError('bad_request', `${field}: ${message}`, [{ path: field, message }]);
}
