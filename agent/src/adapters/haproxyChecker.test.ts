import { describe, expect, it } from 'vitest';
import { createHaproxyChecker, parseCheckOutput } from './haproxyChecker.js';

describe('parseCheckOutput', () => {
  it('reads alerts and warnings with their file and line, and drops the summary lines', () => {
    const out = [
      '[NOTICE]   (2601) : haproxy version is 2.6.12-1+deb12u4',
      "[ALERT]    (3018) : config : parsing [/x/h.cfg:48] : error detected in frontend 'www' while parsing 'http-request set-header' rule",
      "[WARNING]  (3012) : config : [/x/h.cfg:56] : 'server a/b' : could not resolve address 'x', disabling server.",
      "[WARNING]  (2601) : config : 'option idle-close-on-response' ignored for frontend 't' as it requires HTTP mode.",
      "[ALERT]    (2601) : config : Some warnings were found and 'zero-warning' is set. Aborting.",
      '[ALERT]    (3018) : config : Error(s) found in configuration file : /x/h.cfg',
      '[ALERT]    (9) : config : Fatal errors found in configuration.',
    ].join('\n');
    expect(parseCheckOutput(out)).toEqual([
      {
        severity: 'alert',
        file: '/x/h.cfg',
        line: 48,
        message: "error detected in frontend 'www' while parsing 'http-request set-header' rule",
      },
      {
        severity: 'warning',
        file: '/x/h.cfg',
        line: 56,
        message: "'server a/b' : could not resolve address 'x', disabling server.",
      },
      {
        severity: 'warning',
        message:
          "'option idle-close-on-response' ignored for frontend 't' as it requires HTTP mode.",
      },
    ]);
  });
});

describe('createHaproxyChecker', () => {
  it('reports a missing binary as haproxy_unavailable', async () => {
    const checker = createHaproxyChecker({ command: ['/nonexistent/haproxy'] });
    await expect(checker.check('/tmp/x.cfg')).rejects.toMatchObject({
      code: 'haproxy_unavailable',
    });
  });
});
