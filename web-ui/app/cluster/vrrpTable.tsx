'use client';
import type { ClusterStatus, Takeover } from '@tandem/core';
import { DataTable } from '../ui';

const secs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;

/** Why a unit became master, in words (ADR 0010). */
const CAUSE: Record<Takeover['cause'], string> = {
  'peer-silent': 'the peer went silent',
  'peer-resigned': 'the peer handed over',
  election: 'initial election',
  unknown: 'reason unknown',
};

/** This unit's VRRP instances: state, priority, VIPs and the last takeover with its gap. */
export function VrrpTable({ status }: { status: ClusterStatus }) {
  return (
    <DataTable headers={['instance', 'VRID', 'state', 'priority', 'VIPs', 'last takeover']}>
      {status.instances.map((i) => (
        <tr key={i.name}>
          <td className="px-3 py-2 font-medium">{i.name}</td>
          <td className="px-3 py-2">{i.vrid}</td>
          {/* A handed-over unit is FAULT to keepalived on purpose (its ready file
                says not ready): say standby, not an alarm. */}
          {status.standby && i.state === 'FAULT' ? (
            <td className="px-3 py-2 font-medium" title="keepalived: FAULT (handed over)">
              standby
            </td>
          ) : (
            <td
              className={`px-3 py-2 font-medium ${i.state === 'MASTER' ? 'text-emerald-700 dark:text-emerald-400' : i.state === 'FAULT' ? 'text-red-700 dark:text-red-400' : ''}`}
            >
              {i.state}
            </td>
          )}
          <td className="px-3 py-2">{i.priority ?? '-'}</td>
          <td className="px-3 py-2">{i.vips.join(', ')}</td>
          <td className="px-3 py-2">
            {i.lastTakeover
              ? i.lastTakeover.gapMs === null
                ? CAUSE[i.lastTakeover.cause]
                : `${secs(i.lastTakeover.gapMs)} (${CAUSE[i.lastTakeover.cause]})`
              : '-'}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
