'use client';
import type { CertificatePair } from '@tandem/core';

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
    <div className="mt-3 overflow-x-auto">
      <table
        aria-label="Certificates on both units"
        className="w-full rounded border border-slate-200 text-left text-sm dark:border-slate-800"
      >
        <thead className="bg-slate-100 text-xs uppercase text-slate-500 dark:text-slate-400 dark:bg-slate-900">
          <tr>
            {['certificate', 'this unit', p.peer, ''].map((h) => (
              <th key={h} className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200 bg-white dark:divide-slate-800 dark:bg-slate-950">
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
        </tbody>
      </table>
    </div>
  );
}
