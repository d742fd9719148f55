import { describe, expect, it } from 'vitest';
import { mapCheckDiagnostics } from './mapDiagnostics.js';

describe('mapCheckDiagnostics', () => {
  const origins = ['', 'global', 'services[0].binds[0]', 'services[0].headers[0]'];

  it('maps a line of the rendered file to the field that produced it', () => {
    expect(
      mapCheckDiagnostics(
        [
          {
            severity: 'alert',
            file: '/x/haproxy.cfg',
            line: 4,
            message: "unknown fetch method 'req.uri'",
          },
        ],
        '/x/haproxy.cfg',
        origins,
      ),
    ).toEqual([
      { path: 'services[0].headers[0]', message: "HAProxy alert: unknown fetch method 'req.uri'" },
    ]);
  });

  it('keeps the location when the line has no origin or is in another file', () => {
    expect(
      mapCheckDiagnostics(
        [
          { severity: 'warning', file: '/x/haproxy.cfg', line: 1, message: 'odd' },
          { severity: 'alert', file: '/x/maps/web.map', line: 2, message: 'bad map' },
          { severity: 'alert', message: 'Fatal errors found' },
          { severity: 'alert', message: '' },
        ],
        '/x/haproxy.cfg',
        origins,
      ),
    ).toEqual([
      { path: '', message: 'HAProxy warning: odd (/x/haproxy.cfg line 1)' },
      { path: '', message: 'HAProxy alert: bad map (/x/maps/web.map line 2)' },
      { path: '', message: 'HAProxy alert: Fatal errors found' },
    ]);
  });
});
