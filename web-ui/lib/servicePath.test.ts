import { describe, expect, it } from 'vitest';
import { namedFieldPath, referenceHref } from './servicePath';

describe('namedFieldPath', () => {
  it('names the service a config path points into', () => {
    const names = ['api', 'web'];
    expect(namedFieldPath('config.services[1].binds[0].port', names)).toBe(
      'service "web": binds[0].port',
    );
    expect(namedFieldPath('services[0]', names)).toBe('service "api"');
    expect(namedFieldPath('services[7].name', names)).toBe('services[7].name');
    expect(namedFieldPath('config.global.maxconn', names)).toBe('global.maxconn');
  });

  it("links an error to the reference's row for its field", () => {
    expect(referenceHref('config.services[1].backends[0].servers[2].port')).toBe(
      '/reference#field-backends.servers.port',
    );
    expect(referenceHref('config.services[1]')).toBe('/reference');
    expect(referenceHref('config.global.maxconn')).toBeNull();
  });
});
