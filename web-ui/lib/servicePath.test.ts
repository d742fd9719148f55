import { describe, expect, it } from 'vitest';
import { namedFieldPath } from './servicePath';

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
});
