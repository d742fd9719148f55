import { cacheFarm } from './cacheFarm.js';
import { dnsPool } from './dnsPool.js';
import { hostPathSwitching } from './hostPathSwitching.js';
import { httpLoadBalancing } from './httpLoadBalancing.js';
import { httpsOffload } from './httpsOffload.js';
import { mysqlReadWrite } from './mysqlReadWrite.js';
import { outboundSidecar } from './outboundSidecar.js';
import { redisMaster } from './redisMaster.js';
import type { ServiceTemplate } from './serviceTemplate.js';
import { sourceRoutedTunnel } from './sourceRoutedTunnel.js';
import { tcpPortMap } from './tcpPortMap.js';
import { websocketSite } from './websocketSite.js';

/** Every template, in the order the console's gallery shows them. */
export const TEMPLATES: readonly ServiceTemplate[] = [
  httpLoadBalancing,
  httpsOffload,
  tcpPortMap,
  hostPathSwitching,
  cacheFarm,
  dnsPool,
  websocketSite,
  redisMaster,
  mysqlReadWrite,
  outboundSidecar,
  sourceRoutedTunnel,
] as readonly ServiceTemplate[];

export function findTemplate(name: string): ServiceTemplate | undefined {
  return TEMPLATES.find((t) => t.name === name);
}
