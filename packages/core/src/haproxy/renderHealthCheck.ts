import type { HealthCheck } from '../model/healthCheck.js';
import { formatDuration } from './format.js';
import { mysqlWritableCheck } from './mysqlWritableCheck.js';
import type { DirectiveList } from './ir.js';

/** The check directives of a backend, and the timing every server inherits via default-server. */
export function renderHealthCheck(
  d: DirectiveList,
  hc: HealthCheck,
  at: (p: string) => string,
): void {
  switch (hc.type) {
    case 'tcp':
      break;
    case 'http': {
      d.add(at('healthCheck'), 'option', 'httpchk');
      const send = ['http-check', 'send', 'meth', hc.method, 'uri', hc.path];
      if (hc.host !== undefined || hc.headers.length > 0) send.push('ver', 'HTTP/1.1');
      if (hc.host !== undefined) send.push('hdr', 'Host', hc.host);
      for (const h of hc.headers) send.push('hdr', h.name, h.value);
      d.add(at('healthCheck.path'), ...send);
      const e = hc.expect;
      d.add(at('healthCheck.expect'), 'http-check', 'expect', e.kind, e.value);
      break;
    }
    case 'tcp-script':
      d.add(at('healthCheck'), 'option', 'tcp-check');
      hc.steps.forEach((step, i) => {
        const here = at(`healthCheck.steps[${i}]`);
        if (step.action === 'connect') {
          d.add(
            here,
            'tcp-check',
            'connect',
            ...(step.port ? ['port', String(step.port)] : []),
            ...(step.tls ? ['ssl'] : []),
          );
        } else if (step.action === 'send') d.add(here, 'tcp-check', 'send', step.data);
        else d.add(here, 'tcp-check', 'expect', step.match, step.value);
      });
      break;
    case 'mysql':
      if (hc.role === 'writable') {
        d.add(at('healthCheck'), 'option', 'tcp-check');
        for (const words of mysqlWritableCheck(hc.user))
          d.add(at('healthCheck.user'), 'tcp-check', ...words);
      } else d.add(at('healthCheck.user'), 'option', 'mysql-check', 'user', hc.user, 'post-41');
      break;
    case 'redis':
      d.add(at('healthCheck'), 'option', 'redis-check');
      break;
  }
  d.add(
    at('healthCheck'),
    'default-server',
    'inter',
    formatDuration(hc.intervalMs),
    'rise',
    hc.rise,
    'fall',
    hc.fall,
    ...(hc.closeOnDown ? ['on-marked-down', 'shutdown-sessions'] : []),
  );
}
