// The counting behind the one closing line CI reads, from vitest JSON reports. A test file that
// fails to load, a failing beforeAll/afterAll or an unhandled error fail no test by themselves:
// each counts as one failure here, so the line can never read green over a broken suite.
import { existsSync, readFileSync } from 'node:fs';

/** @param {string[]} files vitest JSON reports; a missing one is listed, not skipped silently. */
export function summarize(files) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const missing = [];
  const broken = [];
  for (const file of files) {
    if (!existsSync(file)) {
      missing.push(file);
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    let suiteFailures = 0;
    for (const t of r.testResults ?? []) {
      const failedTests = (t.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      // A file whose run failed although none of its tests did: it did not load, or a hook threw.
      if (t.status === 'failed' && failedTests === 0) {
        suiteFailures++;
        broken.push(`${t.name}: ${String(t.message ?? 'failed').split('\n')[0]}`);
      }
    }
    failed += suiteFailures;
    // Errors outside any test (unhandled rejections) fail the run without failing a file.
    if (r.success === false && r.numFailedTests === 0 && suiteFailures === 0) {
      failed++;
      broken.push(`${file}: the run failed outside any test (unhandled error)`);
    }
  }
  return { passed, failed, skipped, missing, broken };
}
