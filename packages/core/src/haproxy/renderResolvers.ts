import type { ApplianceConfig } from '../model/applianceConfig.js';
import { formatDuration } from '../grammar/text.js';
import { formatEndpoint } from './format.js';
import { DirectiveList, type Section } from './ir.js';

/** The one resolvers section's name: discovered servers name it. */
export const RESOLVERS = 'tandem';

/** Whether any enabled service has servers that follow DNS. */
export const usesDiscovery = (config: ApplianceConfig): boolean =>
  config.services.some((s) => s.enabled && s.backends.some((b) => b.serverTemplate?.dns));

/**
 * The unit's `resolvers` section (issue 19), only when a backend discovers its servers: the
 * name servers given, or the system's (`parse-resolv-conf`), and how long answers hold.
 */
export function renderResolvers(config: ApplianceConfig): Section[] {
  if (!usesDiscovery(config)) return [];
  const r = config.global.resolvers;
  const at = (f: string) => `global.resolvers.${f}`;
  const d = new DirectiveList(at(''));
  if (r.nameservers.length === 0) d.add(at('nameservers'), 'parse-resolv-conf');
  r.nameservers.forEach((n, i) =>
    d.add(at(`nameservers[${i}]`), 'nameserver', `ns${i + 1}`, formatEndpoint(n.address, n.port)),
  );
  d.add(at('acceptedPayloadSize'), 'accepted_payload_size', r.acceptedPayloadSize);
  d.add(at('resolveRetries'), 'resolve_retries', r.resolveRetries);
  d.add(at('timeoutRetryMs'), 'timeout', 'retry', formatDuration(r.timeoutRetryMs));
  // A query is sent again when its answer is older than `hold valid`.
  d.add(at('holdValidMs'), 'timeout', 'resolve', formatDuration(r.holdValidMs));
  d.add(at('holdValidMs'), 'hold', 'valid', formatDuration(r.holdValidMs));
  d.add(at('holdObsoleteMs'), 'hold', 'obsolete', formatDuration(r.holdObsoleteMs));
  // A name that no longer exists empties its slots like a record that went away; a name server
  // that fails (no answer, refused, garbage) must not: the last known servers keep serving.
  d.add(at('holdObsoleteMs'), 'hold', 'nx', formatDuration(r.holdObsoleteMs));
  for (const why of ['timeout', 'refused', 'other'])
    d.add(at('keepUnansweredMs'), 'hold', why, formatDuration(r.keepUnansweredMs));
  return [
    {
      kind: 'resolvers',
      name: RESOLVERS,
      comments: ['DNS for discovered servers (server-template with dns)'],
      directives: d.list(),
      origin: 'global.resolvers',
    },
  ];
}
