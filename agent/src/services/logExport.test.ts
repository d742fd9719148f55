import { describe, expect, it } from 'vitest';
import type { LogRow } from '@tandem/core';
import { LOG_EXPORT_COLUMNS, logsAsCsv, logsAsNdjson } from './logExport.js';

const row: LogRow = {
  id: 7,
  at: Date.UTC(2026, 11, 1, 4, 30, 5, 123),
  kind: 'http',
  frontend: 'web',
  backend: 'web.app',
  server: 's1',
  clientIp: '198.18.0.9',
  clientPort: 40000,
  status: 200,
  method: 'GET',
  url: 'http://shop.example/',
  host: '=HYPERLINK("x")',
  uri: '/',
  userAgent: 'curl/8, "quoted"\nnext',
  bytes: 120,
  timers: { request: 0, queue: 0, connect: 1, response: 4, total: 5 },
  termination: '----',
  retries: 0,
  tls: false,
  parseError: null,
  raw: null,
};

describe('log export', () => {
  it('writes every field with an ISO time, one JSON object a line', () => {
    const [line, end] = logsAsNdjson([row]).split('\n');
    expect(end).toBe('');
    const r = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(Object.keys(r)).toEqual([...LOG_EXPORT_COLUMNS]);
    expect(r).toMatchObject({ time: '2026-12-01T04:30:05.123Z', at: row.at, totalMs: 5 });
  });

  it('quotes CSV cells and keeps a client text from being a formula', () => {
    const [head, body] = logsAsCsv([row]).split('\r\n');
    expect(head).toBe(LOG_EXPORT_COLUMNS.join(','));
    expect(body).toContain(',2026-12-01T04:30:05.123Z,');
    // A user agent with a comma, quotes and a newline stays one cell.
    expect(body).toContain('"curl/8, ""quoted""\nnext"');
    // The Host header starts with `=`: prefixed, so a spreadsheet shows it instead of running it.
    expect(body).toContain(`,"'=HYPERLINK(""x"")",`);
    // HAProxy's own fields are left as they are.
    expect(body).toContain(',----,');
  });
});
