import { vrrpTimers, type Takeover, type VrrpInstance } from '@tandem/core';

const PROBE_LIMIT_MS = 5_000;

/** Why keepalived made this unit master, from its own detail log lines just before the notice. */
export function takeoverCause(
  lines: readonly { at: number; text: string }[],
  instance: string,
  at: number,
): Takeover['cause'] {
  const recent = lines
    .filter((l) => l.at >= at - 2_000 && l.text.includes(`(${instance})`))
    .map((l) => l.text);
  if (recent.some((t) => /priority 0 advert/i.test(t))) return 'peer-resigned';
  if (recent.some((t) => /advertisement timeout/i.test(t))) return 'peer-silent';
  return 'unknown';
}

/**
 * How a unit became master for an instance, and how long the service was away: detection (the
 * RFC 5798 interval that applies to keepalived's reason) plus the time until HAProxy accepted a
 * connection on the VIP (a local probe every 10 ms, at most 5 s).
 */
export async function measureTakeover(o: {
  instance: VrrpInstance;
  priority: number;
  at: number;
  from: string;
  /** When the instance's first BACKUP after keepalived's start-up was seen, if it was. */
  initAt: number | undefined;
  endpoints: { address: string; port: number }[];
  recentLog: readonly { at: number; text: string }[];
  accepts: (address: string, port: number) => Promise<boolean>;
  now: () => number;
  stopped: () => boolean;
}): Promise<{ takeover: Takeover; message: string; severity: 'info' | 'warning' }> {
  const { instance: inst, at, from } = o;
  const { skewMs, masterDownMs } = vrrpTimers(inst.advertIntervalMs, o.priority);
  let served: number | null = null;
  const ep = o.endpoints[0];
  const probe = ep ? `${ep.address}:${ep.port}` : null;
  while (ep && served === null && o.now() - at < PROBE_LIMIT_MS && !o.stopped()) {
    if (await o.accepts(ep.address, ep.port)) served = o.now();
    else await new Promise((r) => setTimeout(r, 10));
  }
  // keepalived's log lines travel a pipe and may arrive after the FIFO notice: read them now.
  // A unit that has just started and heard no master within the first master-down interval is
  // electing itself, not taking over from anyone.
  const cause =
    from === 'UNKNOWN' || (o.initAt !== undefined && at - o.initAt < masterDownMs + 500)
      ? 'election'
      : takeoverCause(o.recentLog, inst.name, at);
  const detectMs =
    cause === 'peer-silent' ? masterDownMs : cause === 'peer-resigned' ? skewMs : null;
  const serveMs = served === null ? null : served - at;
  const gapMs = detectMs !== null && serveMs !== null ? Math.round(detectMs + serveMs) : null;
  const took =
    gapMs !== null
      ? `took over in ${(gapMs / 1000).toFixed(2)} s`
      : serveMs !== null
        ? `serving ${(serveMs / 1000).toFixed(2)} s after the decision`
        : 'no VIP endpoint answered';
  const why = {
    'peer-silent': 'the peer went silent',
    'peer-resigned': 'the peer resigned',
    election: 'initial election',
    unknown: 'reason not logged',
  }[cause];
  return {
    takeover: {
      at,
      cause,
      detectMs: detectMs === null ? null : Math.round(detectMs),
      serveMs,
      gapMs,
      probe,
    },
    message: `${inst.name}: MASTER (was ${from}); ${why}; ${took}${probe ? ` (probe ${probe})` : ''}`,
    severity: served === null && ep ? 'warning' : 'info',
  };
}
