import { acmeIssuer, type EventInput, type NodeSettings as Node } from '@tandem/core';
import { writeFileAtomic, type FileWriter } from './adapters/atomicFiles.js';
import { pkcs12ToPem } from './adapters/certificates.js';
import type { RuntimeApi } from './adapters/runtimeApi.js';
import { join } from 'node:path';
import { acmeChallengeMapFile } from '@tandem/core';
import { createAcme } from './services/acme.js';
import { createCertificateExpiry } from './services/certificateExpiry.js';
import { createCertificateRecords } from './services/certificateRecords.js';
import { createCertificateStore } from './services/certificateStore.js';
import type { GenerationService } from './services/generations.js';
import type { ConfigStore } from './store/configStore.js';

/**
 * Part of the agent's composition root (main.ts): the certificate store over the node's
 * certificate directory, read before the sockets open, replacing live through the Runtime API;
 * certificates near their end said as events.
 */
export async function composeCertificates(o: {
  node: Node;
  /** The agent's state directory (host path): ACME's account and state live there. */
  stateDir: string;
  /** HAProxy's filesystem root ('' for the host). */
  root: string;
  files: FileWriter;
  store: Pick<ConfigStore, 'running' | 'pairing'>;
  generations: GenerationService;
  runtime: RuntimeApi;
  events: { add: (e: EventInput) => void };
  log: (m: string) => void;
  unitName: string;
  /** This unit's VRRP state per instance (none: it runs no keepalived). */
  vrrp: () => readonly { name: string; state: string }[];
}) {
  const running = () => o.generations.runningConfig();
  /** Which unit of a pair issues `name` and speaks for it (ADR 0021). */
  const issuer = (name: string) => {
    const p = o.store.pairing();
    return acmeIssuer({
      name,
      config: running(),
      vrrp: o.vrrp(),
      paired: p !== null,
      peer: p?.unit ?? 'the peer',
    });
  };
  const certificates = createCertificateStore({
    dir: o.node.paths.certDir,
    hostPath: (p) => (o.root === '' ? p : `${o.root}${p}`),
    files: o.files,
    now: Date.now,
    pkcs12ToPem,
    desired: () => o.generations.latest()?.config ?? null,
    running,
    replaceLive: (file, pem) => o.runtime.replaceCertificate(file, pem),
    log: o.log,
    records: createCertificateRecords({
      file: join(o.stateDir, 'certificate-records.json'),
      write: (path, content, mode) => writeFileAtomic(path, content, mode),
      unitName: o.unitName,
      now: Date.now,
    }),
    onChange: () => expiry.check(),
  });
  await certificates.load();
  // Expiry events: at start, after each change, then hourly (days are the unit).
  const expiry = createCertificateExpiry({
    list: () => certificates.list(),
    now: Date.now,
    events: o.events,
    speaksFor: (name) => issuer(name).here,
  });
  expiry.check();
  setInterval(() => expiry.check(), 3_600_000).unref();

  const map = acmeChallengeMapFile(o.node.paths.mapDir);
  const acme = createAcme({
    stateFile: join(o.stateDir, 'acme.json'),
    write: (path, content, mode) => writeFileAtomic(path, content, mode),
    challenges: {
      add: (token, keyAuthorization) => o.runtime.setMapEntry(map, token, keyAuthorization),
      remove: (token) => o.runtime.setMapEntry(map, token, null),
    },
    store: certificates,
    now: Date.now,
    events: o.events,
    log: o.log,
    unitName: o.unitName,
    issuer,
  });
  await acme.load();
  // Renewals: hourly; each certificate is due ACME_RENEW_DAYS before its end.
  setInterval(() => void acme.renewDue(), 3_600_000).unref();
  return { certificates, acme };
}
