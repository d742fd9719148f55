import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { renderInput } from './testRender.js';

describe('renderHaproxy', () => {
  it('skips disabled services and maps every line to the field that made it', () => {
    const { bundle, sections } = renderInput(
      configWith(
        webService(),
        webService({ name: 'off', enabled: false, binds: [{ address: '*', port: 81 }] }),
      ),
    );
    expect(sections.filter((s) => s.kind === 'frontend').map((s) => s.args[0])).toEqual([
      'tandem-admin',
      'web',
    ]);
    const lines = bundle.config.split('\n');
    const serverLine = lines.findIndex((l) => l.includes('server web2'));
    expect(bundle.lineOrigins[serverLine]).toBe('services[0].backends[0].servers[1]');
    expect(bundle.lineOrigins.length).toBe(lines.length - 1);
  });

  it('is deterministic', () => {
    const a = renderInput(configWith(webService())).bundle.config;
    const b = renderInput(configWith(webService())).bundle.config;
    expect(a).toBe(b);
  });
});
