'use client';
import type { CertificatePair } from '@tandem/core';
import { DataTable } from '../ui';

const side = (c: CertificatePair['here']) =>
  c ? `${c.fingerprint.slice(0, 23)}… until ${c.notAfter.slice(0, 10)}` : 'not there';

/**
 * Both units' certificates side by side (ADR 0021): the fingerprint and end of each, and whether
 * the peer serves the same one. A certificate renewed on the VIP holder shows here first as
 * "differs", then the same once it has travelled.
 */
export function CertificatePairTable(p: { peer: string; certificates: CertificatePair[] }) {
  if (p.certificates.length === 0) return null;
  return (
    <div className="mt-3">
      <DataTable
        label="Certificates on both units"
        headers={['certificate', 'this unit', p.peer, '']}
      >
        {p.certificates.map((c) => (
          <tr key={c.name}>
            <td className="px-3 py-2 font-medium">{c.name}</td>
            <td className="px-3 py-2 font-mono text-xs">{side(c.here)}</td>
            <td className="px-3 py-2 font-mono text-xs">{side(c.peer)}</td>
            <td
              className={`px-3 py-2 font-medium ${c.same ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-700 dark:text-amber-400'}`}
            >
              {c.same ? 'the same' : 'differs'}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
