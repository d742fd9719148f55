import type { CheckResult, HaproxyChecker } from './haproxyChecker.js';

/** A checker for unit tests: answers with a scripted result and records what it was asked. */
export function createFakeHaproxyChecker(result: CheckResult = { ok: true, diagnostics: [] }) {
  const calls: string[] = [];
  const checker: HaproxyChecker = {
    check(configPath) {
      calls.push(configPath);
      return Promise.resolve(result);
    },
  };
  return { checker, calls };
}
