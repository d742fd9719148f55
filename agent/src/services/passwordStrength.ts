import { TandemError } from '@tandem/core';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/**
 * Refuses passwords a guesser would try early (issue 17): zxcvbn's estimate (the maintained
 * TypeScript port), with its common-password, word and keyboard-pattern lists, and the user's own
 * name and the product's as words a guesser knows. Score 3 of 4 or more passes ("safely
 * unguessable" against an online attack and a slow hash offline). The schema's length and
 * character rules come first; this says why a long enough password is still a weak one.
 */
let estimator: ZxcvbnFactory | null = null;

/** Built on first use: loading the dictionaries takes a fifth of a second, not at agent start. */
function estimate(password: string, related: readonly string[]) {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return estimator.check(password, [...related, 'tandem', 'haproxy', 'admin', 'console']);
}

export function assertStrongPassword(
  password: string,
  field: string,
  related: readonly string[],
): void {
  const r = estimate(password, related);
  if (r.score >= 3) return;
  const why = r.feedback.warning ?? 'this password would be guessed early';
  const hint = r.feedback.suggestions[0];
  const message = `too easy to guess: ${why.replace(/\.$/, '')}${hint ? `. ${hint}` : ''}`;
  throw new TandemError('bad_request', `${field}: ${message}`, [{ path: field, message }]);
}
