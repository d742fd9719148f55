import { z } from 'zod';
import { hint } from '../model/hints.js';
import { bindOn, endpoints, listenOn, toServers } from './params.js';
import { defineTemplate } from './serviceTemplate.js';

export const tcpPortMap = defineTemplate({
  name: 'tcp-port-map',
  title: 'TCP port map',
  summary:
    'Forward one TCP port to a server port, like a firewall port map, with failover to backups.',
  recipe: 'seed 001: App-Customer1 on *:35007 to one application server',
  params: z
    .object({
      ...listenOn(35007, 'Listen port'),
      servers: endpoints('Servers'),
      backupServers: hint(endpoints('Backup servers').optional(), {
        label: 'Backup servers',
        help: 'Used only while every main server is down',
      }),
    })
    .strict(),
  example: {
    name: 'app-customer1',
    port: 35007,
    servers: [{ address: '198.18.0.31', port: 35007 }],
    backupServers: [{ address: '198.18.0.32', port: 35007 }],
  },
  build: (p) => [
    {
      name: p.name,
      mode: 'tcp',
      binds: [bindOn(p, p.port)],
      defaultBackend: 'app',
      backends: [
        {
          name: 'app',
          servers: [
            ...toServers(p.servers, 'app'),
            ...toServers(p.backupServers ?? [], 'standby', { backup: true }),
          ],
          healthCheck: { type: 'tcp' },
        },
      ],
    },
  ],
});
