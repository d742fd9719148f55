import type { ApplianceConfigInput } from './applianceConfig.js';
import type { ServiceInput } from './service.js';

/** A small valid config for tests to start from and break one field at a time. */
export function webService(overrides: Partial<ServiceInput> = {}): ServiceInput {
  return {
    name: 'web',
    mode: 'http',
    binds: [{ address: '*', port: 80 }],
    defaultBackend: 'app',
    backends: [
      {
        name: 'app',
        servers: [
          { name: 'web1', address: '198.18.0.11', port: 8080 },
          { name: 'web2', address: '198.18.0.12', port: 8080 },
        ],
      },
    ],
    ...overrides,
  };
}

export function configWith(...services: ServiceInput[]): ApplianceConfigInput {
  return { schemaVersion: 1, services };
}
