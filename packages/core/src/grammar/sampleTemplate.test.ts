import { describe, expect, it } from 'vitest';
import { checkSampleTemplate, escapeLogFormat } from './sampleTemplate.js';

describe('checkSampleTemplate', () => {
  it.each([
    'plain text',
    '%[req.hdr(host),lower]%[url,lower]',
    '100%% sure',
    '%[src]:%[src_port]',
    '%[req.cook(session),base64]',
    '%[ssl_fc_sni,upper]',
  ])('accepts %j', (t) => {
    expect(checkSampleTemplate(t)).toBeNull();
  });

  it.each([
    ['%[env(SECRET)]', /not allowed/],
    ['%[lua.anything]', /not allowed/],
    ['%[req.hdr(host),lua.conv]', /converter/],
    ['%[req.hdr(a b)]', /header or cookie name/],
    ['%[req.hdr(host)', /not closed/],
    ['50% off', /%%/],
    ['%[]', /needs a fetch/],
    ['%{+Q}o', /%%/],
  ])('rejects %j', (t, why) => {
    expect(checkSampleTemplate(t)?.message).toMatch(why);
  });

  it('escapes literal percent signs', () => {
    expect(escapeLogFormat('100% %[src]')).toBe('100%% %%[src]');
  });
});
