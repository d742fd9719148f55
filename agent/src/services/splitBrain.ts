/**
 * Split-brain watch: while this unit is MASTER for an instance it probes the instance's first VIP
 * with ARP duplicate address detection. Two answered probes in a row (a few seconds) raise the
 * flag, one clean probe or leaving MASTER clears it. Two in a row, because during a normal
 * takeover the old master may still answer for a moment.
 */
export function watchSplitBrain(o: {
  intervalMs: number;
  masters: () => { name: string; address: string }[];
  probe: (address: string) => Promise<boolean | null>;
  onChange: (instance: string, on: boolean) => void;
}) {
  const strikes = new Map<string, number>();
  const flagged = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let busy = false;

  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const masters = o.masters().filter((m) => m.address !== '' && !m.address.includes(':'));
      for (const name of [...flagged])
        if (!masters.some((m) => m.name === name)) {
          flagged.delete(name);
          strikes.delete(name);
          o.onChange(name, false);
        }
      for (const m of masters) {
        const dup = await o.probe(m.address);
        if (dup === null) continue;
        const n = dup ? (strikes.get(m.name) ?? 0) + 1 : 0;
        strikes.set(m.name, n);
        if (n >= 2 && !flagged.has(m.name)) {
          flagged.add(m.name);
          o.onChange(m.name, true);
        } else if (n === 0 && flagged.has(m.name)) {
          flagged.delete(m.name);
          o.onChange(m.name, false);
        }
      }
    } finally {
      busy = false;
    }
  };

  return {
    start() {
      timer = setInterval(() => void tick(), o.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
    tick,
    active: () => [...flagged],
  };
}
