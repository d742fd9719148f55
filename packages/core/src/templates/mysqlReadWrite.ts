import { z } from 'zod';
import { UserName } from '../grammar/names.js';
import { IpAddress } from '../grammar/network.js';
import { hint } from '../model/hints.js';
import { bindOn, Endpoint, endpoints, listenParams, port, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const mysqlReadWrite = defineTemplate({
  name: 'mysql-read-write',
  title: 'MySQL read/write split',
  summary:
    'Two ports: writes go to the node that is not read-only (the master, or the replica promoted in its place), reads are weighted over all nodes. ' +
    'Optional source addresses spread connections to avoid TCP source-port exhaustion.',
  recipe: 'seed 002: MySQL replication behind HAProxy at thousands of requests per second',
  params: z
    .object({
      ...listenParams(),
      writePort: port(3306, 'Write port'),
      readPort: port(3307, 'Read port'),
      master: hint(Endpoint, { label: 'Master' }),
      replicas: endpoints('Replicas'),
      checkUser: hint(UserName.default('haproxy_check'), {
        label: 'Check user',
        help: 'A MySQL user without password that may connect from the unit',
      }),
      sourceAddresses: hint(z.array(IpAddress).max(16).default([]), {
        label: 'Source addresses',
        help: 'Spread server connections over these local addresses (64k ports each)',
        advanced: true,
      }),
    })
    .strict(),
  example: {
    name: 'db',
    master: { address: '198.18.0.81', port: 3306, weight: 1 },
    replicas: [
      { address: '198.18.0.82', port: 3306, weight: 3 },
      { address: '198.18.0.83', port: 3306, weight: 3 },
    ],
    sourceAddresses: ['198.18.1.1', '198.18.1.2'],
  },
  build: (p) => {
    const withSource = <T extends object>(servers: T[]) =>
      servers.map((s, i) => {
        const src = p.sourceAddresses[i % Math.max(1, p.sourceAddresses.length)];
        return src === undefined ? s : { ...s, source: { address: src } };
      });
    const check = { type: 'mysql' as const, user: p.checkUser };
    // Writes follow whichever node is not read-only: after a switch of primary the demoted one
    // fails at once and its clients are disconnected, so their next write finds the new primary.
    const writable = {
      ...check,
      role: 'writable' as const,
      intervalMs: 1_000,
      rise: 1,
      fall: 1,
      closeOnDown: true,
    };
    return [
      {
        name: `${p.name}-write`,
        mode: 'tcp',
        binds: [bindOn(p, p.writePort)],
        defaultBackend: 'master',
        backends: [
          {
            name: 'master',
            // Writes must reach exactly one node: the one that is not read-only (the master, or
            // the replica promoted in its place); `first` keeps a split brain on the first.
            balance: { algorithm: 'first' },
            servers: withSource([
              ...toServers([p.master], 'master'),
              ...toServers(p.replicas, 'replica'),
            ]),
            healthCheck: writable,
          },
        ],
      },
      {
        name: `${p.name}-read`,
        mode: 'tcp',
        binds: [bindOn(p, p.readPort)],
        defaultBackend: 'all',
        backends: [
          {
            name: 'all',
            balance: { algorithm: 'leastconn' },
            servers: withSource([
              ...toServers([p.master], 'master'),
              ...toServers(p.replicas, 'replica'),
            ]),
            healthCheck: check,
          },
        ],
      },
    ];
  },
});
