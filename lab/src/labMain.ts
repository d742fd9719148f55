#!/usr/bin/env node
/**
 * npm run lab -- up | down | status [--json] | fail <a|b> <link|haproxy|keepalived|agent|freeze|partition> | heal <a|b>
 * Two full units in network namespaces (root only). See docs/lab.md.
 */
import { down, status, up } from './lab.js';
import { defaultLab, UNITS, type UnitId } from './labSpec.js';
import { fail, FAULTS, heal, type Fault } from './faults.js';

const USAGE =
  'usage: npm run lab -- up [--advert MS] [--preempt] | down | status [--json] | fail <a|b> <link|haproxy|keepalived|agent|freeze|partition> | heal <a|b>';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const json = rest.includes('--json');
  const o = defaultLab(process.env.TANDEM_LAB_PREFIX ?? 'tl');
  const unitArg = (s: string | undefined): UnitId => {
    if (!UNITS.includes(s as UnitId)) throw new Error(`unit must be a or b\n${USAGE}`);
    return s as UnitId;
  };
  switch (cmd) {
    case 'up': {
      const i = rest.indexOf('--advert');
      if (i >= 0) o.advertIntervalMs = Number(rest[i + 1]);
      o.preempt = rest.includes('--preempt');
      await up(o);
      const s = await status(o);
      console.log(
        `lab ${o.prefix} is up: VIP ${s.vip} held by unit ${s.vipHolders.join(', ')}; try: npm run lab -- status`,
      );
      return 0;
    }
    case 'down': {
      const removed = await down(o);
      console.log(
        removed.length === 0 ? 'no lab namespaces found' : `removed ${removed.join(', ')}`,
      );
      return 0;
    }
    case 'status': {
      const s = await status(o);
      if (json) console.log(JSON.stringify(s, null, 2));
      else if (!s.up) console.log(`lab ${o.prefix} is down`);
      else {
        console.log(
          `lab ${s.prefix}: VIP ${s.vip} held by ${s.vipHolders.length === 0 ? 'nobody' : s.vipHolders.join(' and ')}`,
        );
        for (const u of s.units)
          console.log(
            `  unit ${u.unit} (${u.namespace}, ${u.address}): ${u.processes} processes; ${u.cluster ? u.cluster.instances.map((i) => `${i.name} ${i.state}${i.lastTakeover?.gapMs != null ? `, took over in ${(i.lastTakeover.gapMs / 1000).toFixed(2)} s` : ''}`).join('; ') : 'agent not answering'}`,
          );
      }
      return 0;
    }
    case 'fail': {
      const unit = unitArg(rest[0]);
      const how = rest[1] as Fault;
      if (!FAULTS.includes(how))
        throw new Error(`fault must be one of ${FAULTS.join(', ')}\n${USAGE}`);
      await fail(o, unit, how);
      console.log(`unit ${unit}: ${how} fault injected; heal with: npm run lab -- heal ${unit}`);
      return 0;
    }
    case 'heal':
      await heal(o, unitArg(rest[0]));
      console.log(`unit ${rest[0] ?? ''} healed`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
