import {
  backendName,
  type ApplianceConfig,
  type DiscoveredMember,
  type DiscoveryStatus,
  type EventInput,
  type ServerStateRow,
} from '@tandem/core';
import type { DnsLookup } from '../adapters/dnsLookup.js';

/** Why a lookup failed, as a resolver says it (ENOTFOUND, ECONNREFUSED…). */
const lookupError = (e: unknown): string =>
  (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));

/** srv_admin_state bit: the slot has no address from DNS (resolution maintenance). */
const RMAINT = 0x20;

interface Watched {
  status: DiscoveryStatus;
  /** The last lookup error and overflow said as events: each said again only when it changes. */
  error: string | null;
  overflow: string | null;
}

/**
 * Servers that follow DNS, watched (issue 19): HAProxy's resolver fills the slots by itself;
 * the agent looks at its slots (`show servers state`) and asks the name itself, so the unit can
 * say which slots hold which address since when, what the name last answered, and tell members
 * joining and leaving, a name server that does not answer (HAProxy keeps the last known servers)
 * and more answers than slots, as events.
 */
export function createDiscovery(d: {
  running: () => ApplianceConfig | null;
  servers: () => Promise<ServerStateRow[]>;
  lookup: DnsLookup;
  events: { add: (e: EventInput) => void };
  now: () => number;
}) {
  const watched = new Map<string, Watched>();
  const event = (severity: EventInput['severity'], subject: string, message: string) =>
    d.events.add({ at: d.now(), kind: 'backend', severity, subject, message });

  /** Every discovered backend of a configuration: where it is (its field), the status to fill. */
  const discovered = (cfg: ApplianceConfig | null) =>
    (cfg?.services ?? []).flatMap((s, i) =>
      s.enabled
        ? s.backends.flatMap((b, j) => {
            const t = b.serverTemplate;
            return t?.dns
              ? [
                  {
                    service: s.name,
                    backend: b.name,
                    template: t,
                    dns: t.dns,
                    path: `services[${i}].backends[${j}].serverTemplate.dns.name`,
                  },
                ]
              : [];
          })
        : [],
    );

  return {
    /** One look: slots from HAProxy, the name from DNS, events for what changed. */
    async check(): Promise<void> {
      const cfg = d.running();
      const list = discovered(cfg);
      if (list.length === 0) {
        watched.clear();
        return;
      }
      const rows = await d.servers();
      const seen = new Set<string>();
      for (const x of list) {
        const key = backendName(x.service, x.backend);
        seen.add(key);
        const subject = `backend ${key}`;
        const { prefix } = x.template;
        const isSlot = (name: string) =>
          name.startsWith(prefix) && /^[0-9]+$/.test(name.slice(prefix.length));
        const first = !watched.has(key);
        const w: Watched = watched.get(key) ?? {
          status: {
            service: x.service,
            backend: x.backend,
            name: x.dns.name,
            type: x.dns.type,
            slots: x.template.count,
            members: [],
            answer: null,
          },
          error: null,
          overflow: null,
        };
        w.status.name = x.dns.name;
        w.status.slots = x.template.count;
        const before = new Map(w.status.members.map((m) => [`${m.address}:${m.port}`, m]));
        const members: DiscoveredMember[] = rows
          .filter((r) => r.backend === key && isSlot(r.server))
          .filter(
            (r) => (r.adminState & RMAINT) === 0 && r.address !== '0.0.0.0' && r.address !== '-',
          )
          .map((r) => ({
            slot: r.server,
            address: r.address,
            port: r.port,
            weight: r.userWeight,
            up: r.opState === 2,
            since: before.get(`${r.address}:${r.port}`)?.since ?? d.now(),
          }));
        const after = new Set(members.map((m) => `${m.address}:${m.port}`));
        // The first look is where things stand, not news.
        if (!first) {
          for (const m of members)
            if (!before.has(`${m.address}:${m.port}`))
              event(
                'info',
                subject,
                `${key}: ${m.address}:${m.port} joined from ${x.dns.type} ${x.dns.name}`,
              );
          for (const [id] of before)
            if (!after.has(id))
              event(
                'info',
                subject,
                `${key}: ${id} left (no longer in ${x.dns.type} ${x.dns.name})`,
              );
        }
        w.status.members = members;
        let error: string | null = null;
        let overflow: string | null = null;
        try {
          const answers = await d.lookup(x.dns, cfg?.global.resolvers.nameservers ?? []);
          w.status.answer = { at: d.now(), count: answers.length, error: null };
          if (answers.length > x.template.count)
            overflow = `${x.dns.name} answers ${answers.length} records for ${x.template.count} slots: ${answers.length - x.template.count} left out (raise the slots)`;
        } catch (e) {
          const why = lookupError(e);
          w.status.answer = { at: d.now(), count: 0, error: why };
          error = `${x.dns.name} not answered (${why}): HAProxy keeps the last known servers`;
        }
        if (error !== w.error) {
          if (error) event('warning', subject, `${key}: ${error}`);
          else if (w.error) event('info', subject, `${key}: ${x.dns.name} answers again`);
          w.error = error;
        }
        // Unknown while the name does not answer: the last overflow stands until it does.
        if (!error && overflow !== w.overflow) {
          if (overflow) event('warning', subject, `${key}: ${overflow}`);
          w.overflow = overflow;
        }
        watched.set(key, w);
      }
      for (const key of [...watched.keys()]) if (!seen.has(key)) watched.delete(key);
    },
    status: (): DiscoveryStatus[] => [...watched.values()].map((w) => w.status),
    /**
     * The names that do not resolve now, by field (issue 19): said after an apply as warnings,
     * not failures, since HAProxy starts their slots down and fills them when the name resolves.
     */
    async unresolved(cfg: ApplianceConfig): Promise<{ path: string; message: string }[]> {
      const asks = discovered(cfg);
      const why = await Promise.all(
        asks.map((a) =>
          d
            .lookup(a.dns, cfg.global.resolvers.nameservers)
            .then((found) => (found.length > 0 ? null : 'no records'), lookupError),
        ),
      );
      return asks.flatMap((a, k) =>
        why[k]
          ? [
              {
                path: a.path,
                message: `${a.dns.type} ${a.dns.name} does not resolve now (${why[k]}): its slots start down and fill when it does`,
              },
            ]
          : [],
      );
    },
  };
}
export type Discovery = ReturnType<typeof createDiscovery>;
