import { describe, expect, it } from 'vitest';
import { TandemError } from '../errors.js';
import { parseApplianceConfig } from '../validate.js';
import { findTemplate, TEMPLATES } from './catalogue.js';
import { instantiateTemplate } from './instantiateTemplate.js';

describe('template catalogue', () => {
  it('has the eleven recipes with unique names', () => {
    expect(TEMPLATES.map((t) => t.name)).toEqual([
      'http-load-balancing',
      'https-offload',
      'tcp-port-map',
      'host-path-switching',
      'cache-farm',
      'dns-pool',
      'websocket-site',
      'redis-master',
      'mysql-read-write',
      'outbound-sidecar',
      'source-routed-tunnel',
    ]);
  });

  it.each(TEMPLATES.map((t) => [t.name, t] as const))(
    '%s builds valid services from its example',
    (_n, t) => {
      const r = instantiateTemplate(t.name, t.example);
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
      if (!r.ok) return;
      for (const s of r.value) expect(s.template?.name).toBe(t.name);
      expect(parseApplianceConfig({ schemaVersion: 1, services: r.value }).ok).toBe(true);
    },
  );

  it('names the parameter that is wrong', () => {
    const r = instantiateTemplate('http-load-balancing', {
      name: 'web',
      servers: [{ address: 'not an address', port: 80 }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { path: 'params.servers[0].address', message: 'must be an IP address or a DNS name' },
    ]);
  });

  it('reports a missing parameter object as params', () => {
    const r = instantiateTemplate('redis-master', null);
    expect(!r.ok && r.errors[0]?.path).toBe('params');
  });

  it('checks cross-parameter rules', () => {
    const r = instantiateTemplate('cache-farm', {
      name: 'c',
      caches: [{ address: '198.18.0.1', port: 80 }],
      hashOn: 'header',
    });
    expect(!r.ok && r.errors[0]?.path).toBe('params.header');
  });

  it('refuses an unknown template with a typed error', () => {
    expect(() => instantiateTemplate('nope', {})).toThrow(TandemError);
    expect(findTemplate('nope')).toBeUndefined();
  });

  it('reports a service the template could not build', () => {
    // A service name at the 64-character limit makes "<name>-write" too long: a template bug
    // surfaces as a field error on the built service, not as an exception.
    const r = instantiateTemplate('mysql-read-write', {
      name: 'x'.repeat(64),
      master: { address: '198.18.0.1', port: 3306 },
      replicas: [{ address: '198.18.0.2', port: 3306 }],
    });
    expect(!r.ok && r.errors[0]?.path).toBe('services[0].name');
  });

  it('spreads MySQL servers over source addresses', () => {
    const r = instantiateTemplate('mysql-read-write', findTemplate('mysql-read-write')?.example);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const servers = r.value[1]?.backends[0]?.servers ?? [];
    expect(servers.map((s) => s.source?.address)).toEqual([
      '198.18.1.1',
      '198.18.1.2',
      '198.18.1.1',
    ]);
    // Writes: every node is a candidate, the one that is not read-only passes the check.
    const write = r.value[0]?.backends[0];
    expect(write?.servers.filter((s) => s.backup)).toEqual([]);
    expect(write?.healthCheck).toMatchObject({ type: 'mysql', role: 'writable', fall: 1 });
    expect(r.value[1]?.backends[0]?.healthCheck).toMatchObject({ type: 'mysql', role: 'any' });
  });

  it('has a refuse backend when the tunnel has no default server', () => {
    const r = instantiateTemplate(
      'source-routed-tunnel',
      findTemplate('source-routed-tunnel')?.example,
    );
    expect(r.ok && r.value[0]?.defaultBackend).toBe('refuse');
  });
});
