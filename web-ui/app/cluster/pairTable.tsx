'use client';
import type { CertificatePair, DiscoveryPair } from '@tandem/core';
import { DataTable } from '../ui';

/** One thing both units have (or one lacks): what each side shows, and whether they agree. */
interface PairRow {
  key: string;
  here: string;
  peer: string;
  same: boolean;
}

/**
 * Something both units hold, side by side: a row per name with what this unit and the peer
 * have under it and whether they agree. A change that has not travelled yet (a renewal on the
 * VIP holder) or a unit that sees other members shows as "differs".
 */
function PairTable(p: { label: string; what: string; peer: string; rows: PairRow[] }) {
  if (p.rows.length === 0) return null;
  return (
    <div className="mt-3">
      <DataTable label={p.label} headers={[p.what, 'this unit', p.peer, '']}>
        {p.rows.map((r) => (
          <tr key={r.key}>
            <td className="px-3 py-2 font-medium">{r.key}</td>
            <td className="px-3 py-2 font-mono text-xs">{r.here}</td>
            <td className="px-3 py-2 font-mono text-xs">{r.peer}</td>
            <td
              className={`px-3 py-2 font-medium ${r.same ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}`}
            >
              {r.same ? 'the same' : 'differs'}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

const certificateSide = (c: CertificatePair['here']) =>
  c ? `${c.fingerprint.slice(0, 23)}… until ${c.notAfter.slice(0, 10)}` : 'not there';

/** Both units' certificates (ADR 0021): the fingerprint and end of each. */
export function CertificatePairTable(p: { peer: string; certificates: CertificatePair[] }) {
  return (
    <PairTable
      label="Certificates on both units"
      what="certificate"
      peer={p.peer}
      rows={p.certificates.map((c) => ({
        key: c.name,
        here: certificateSide(c.here),
        peer: certificateSide(c.peer),
        same: c.same,
      }))}
    />
  );
}

const membersSide = (m: DiscoveryPair['here']) =>
  m === null ? 'not discovered' : m.length === 0 ? 'no members' : m.join(', ');

/** Both units' servers from DNS (issue 19): each resolves on its own; do they see the same? */
export function DiscoveryPairTable(p: { peer: string; discovery: DiscoveryPair[] }) {
  return (
    <PairTable
      label="Servers from DNS on both units"
      what="backend (name)"
      peer={p.peer}
      rows={p.discovery.map((d) => ({
        key: `${d.backend} (${d.name})`,
        here: membersSide(d.here),
        peer: membersSide(d.peer),
        same: d.same,
      }))}
    />
  );
}
