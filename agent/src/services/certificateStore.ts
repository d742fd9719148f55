import { X509Certificate } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import {
  certificateFile,
  certificatesOf,
  CertificateUpload,
  parseRequest,
  TandemError,
  type ApplianceConfig,
  type CertificateRecord,
  type CertificateStored,
  type CertificateWithFile,
  type FieldError,
  type StoredCertificate,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import { Pkcs12Error } from '../adapters/certificates.js';
import { describeCertificate, parseCertificateBundle } from './certificateBundle.js';
import { sha256Hex, type CertificateRecords } from './certificateRecords.js';

export interface CertificateStoreDeps {
  /** The node's certificate directory as HAProxy sees it: `<name>.pem` each (one-file form). */
  dir: string;
  /** Where this process finds a path HAProxy sees (they differ when HAProxy runs in a chroot). */
  hostPath: (path: string) => string;
  /** Writes atomically (temp file, fsync, rename), at the path HAProxy sees. */
  files: Pick<FileWriter, 'write'>;
  now: () => number;
  pkcs12ToPem: (file: Buffer, password: string) => Promise<string>;
  /** The desired and the running configuration (null: none yet). */
  desired: () => ApplianceConfig | null;
  running: () => ApplianceConfig | null;
  /** HAProxy's Runtime API: a loaded file's certificate replaced in place. */
  replaceLive: (file: string, pem: string) => Promise<void>;
  log: (m: string) => void;
  /** When and where each certificate last changed: what a pair compares (ADR 0021). */
  records: CertificateRecords;
  /** After a certificate was stored, replaced or removed, here or by the peer. */
  onChange?: () => void;
}

const NAME_FILE = /^([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})\.pem$/;

/** The services of a configuration whose TLS uses certificate `name`. */
export const servicesUsing = (cfg: ApplianceConfig | null, name: string): string[] =>
  (cfg?.services ?? []).filter((s) => certificatesOf(s.tls).includes(name)).map((s) => s.name);

type Described = Omit<StoredCertificate, 'usedBy'>;

/** What the console lists of a stored certificate (never its key), but who uses it. */
function describe(name: string, pem: string): Described {
  const certs = [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)];
  const leaf = certs[0]?.[0] ?? '';
  const x = new X509Certificate(leaf);
  return {
    name,
    ...describeCertificate(leaf),
    notBefore: new Date(x.validFrom).toISOString(),
    fingerprint: x.fingerprint256,
    chain: Math.max(0, certs.length - 1),
  };
}

/**
 * The unit's certificates (issue 18): uploaded as PEM or PKCS#12, checked (parses, key matches,
 * chain in order, not expired), kept as `<name>.pem` readable by root only (the agent, and
 * HAProxy's master, which loads them), listed with the services that use them. A certificate a
 * running service uses is replaced live through the Runtime API, no reload; one in use is not
 * removed. The names are known synchronously, so a configuration naming a missing one is
 * refused when it is validated, not when HAProxy fails to load it.
 */
export function createCertificateStore(d: CertificateStoreDeps) {
  // Each certificate parsed once, when read or stored: the list is asked for every few seconds
  // (the dashboard's expiry warning) and must not parse X.509 each time.
  const stored = new Map<string, Described>();
  const listeners = new Set<() => void>();
  const changed = () => {
    d.onChange?.();
    for (const l of listeners) l();
  };
  const path = (name: string) => certificateFile(d.dir, name);
  const withUsers = (c: Described): StoredCertificate => ({
    ...c,
    usedBy: servicesUsing(d.desired(), c.name),
  });

  /** The upload as one checked PEM: PKCS#12 read by openssl first. */
  const bundleOf = async (u: ReturnType<typeof parseUpload>) => {
    if (u.pkcs12 === undefined)
      return parseCertificateBundle({ certs: u.pem ?? '', key: u.key }, d.now());
    let pem: string;
    try {
      pem = await d.pkcs12ToPem(Buffer.from(u.pkcs12, 'base64'), u.password ?? '');
    } catch (e) {
      if (!(e instanceof Pkcs12Error)) throw e;
      throw new TandemError('bad_request', e.message, [
        e.reason === 'password'
          ? { path: 'password', message: 'is not the password of this PKCS#12 file' }
          : { path: 'pkcs12', message: 'is not a PKCS#12 file' },
      ]);
    }
    return parseCertificateBundle({ certs: pem }, d.now(), 'pkcs12', 'pkcs12');
  };
  const parseUpload = (body: unknown) => parseRequest(CertificateUpload, body);
  /** Services that use `name` in what is desired or what runs. */
  const inUse = (name: string) => [
    ...new Set([...servicesUsing(d.desired(), name), ...servicesUsing(d.running(), name)]),
  ];
  /**
   * Writes a checked PEM as `name` (atomically: HAProxy's next load sees the old or the new)
   * and, when a running service uses it, puts it in place in HAProxy at once.
   */
  const install = async (name: string, pem: string): Promise<CertificateStored['applied']> => {
    await d.files.write(path(name), pem, 0o600);
    stored.set(name, describe(name, pem));
    if (servicesUsing(d.running(), name).length === 0) return 'stored';
    await d.replaceLive(path(name), pem);
    d.log(`certificate ${name} replaced live`);
    return 'live';
  };
  const drop = async (name: string) => {
    await rm(d.hostPath(path(name)), { force: true });
    stored.delete(name);
  };

  return {
    /** Reads the directory once at start: every `<name>.pem` there is a stored certificate. */
    async load(): Promise<void> {
      const names = await readdir(d.hostPath(d.dir)).catch(() => [] as string[]);
      const files = new Map<string, string>();
      for (const f of names) {
        const m = NAME_FILE.exec(f);
        if (!m?.[1]) continue;
        const pem = await readFile(d.hostPath(path(m[1])), 'utf8').catch(() => null);
        if (pem === null) continue;
        try {
          stored.set(m[1], describe(m[1], pem));
          files.set(m[1], sha256Hex(pem));
        } catch {
          d.log(`certificate store: ${f} is not a certificate; left alone`);
        }
      }
      await d.records.load(files);
    },
    has: (name: string) => stored.has(name),
    /** Hears of every change, here or from the peer (the replication ships them). */
    onChanged(l: () => void): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    list: (): StoredCertificate[] =>
      [...stored.values()].sort((a, b) => a.name.localeCompare(b.name)).map(withUsers),
    get(name: string): StoredCertificate {
      const c = stored.get(name);
      if (!c) throw new TandemError('not_found', `no certificate named ${name}`);
      return withUsers(c);
    },
    /**
     * Stores an upload under its name (a taken name only with `replace`). In use by what runs,
     * it is put in place in HAProxy at once (`live`); the file is written first, so a restart
     * or a reload keeps it either way.
     */
    async put(body: unknown): Promise<CertificateStored> {
      const u = parseUpload(body);
      if (stored.has(u.name) && !u.replace)
        throw new TandemError('conflict', `a certificate named ${u.name} exists`, [
          { path: 'name', message: 'is taken: replace it, or choose another name' },
        ]);
      const bundle = await bundleOf(u);
      const applied = await install(u.name, bundle.pem);
      await d.records.stamp(u.name, sha256Hex(bundle.pem));
      changed();
      return { certificate: this.get(u.name), applied };
    },
    /** Removes one no service uses, in what is desired or what runs. */
    async remove(name: string): Promise<void> {
      if (!stored.has(name)) throw new TandemError('not_found', `no certificate named ${name}`);
      const users = inUse(name);
      if (users.length > 0)
        throw new TandemError(
          'conflict',
          `certificate ${name} is used by ${users.join(', ')}: change ${users.length > 1 ? 'them' : 'it'} first`,
        );
      await drop(name);
      await d.records.stamp(name, null);
      changed();
    },
    /** Every certificate's record, removals included (what the pair compares). */
    records: (): CertificateRecord[] => d.records.list(),
    /** A stored certificate's file, with its record (for the peer; the key is in it). */
    async withFile(name: string): Promise<CertificateWithFile> {
      const r = d.records.get(name);
      if (!r) throw new TandemError('not_found', `no certificate named ${name}`);
      const pem =
        r.sha256 === null ? null : await readFile(d.hostPath(path(name)), 'utf8').catch(() => null);
      // The file changed since its record (an upload under way): the record waits for the next round.
      if (r.sha256 !== null && (pem === null || sha256Hex(pem) !== r.sha256))
        throw new TandemError('conflict', `certificate ${name} is being changed: ask again`);
      return { ...r, pem };
    },
    /**
     * The peer's certificate (or removal), when it is the later change: its file checked like an
     * upload as of when it was stored (a certificate that has expired since still travels, so
     * both units show the same), written, live when a running service here uses it. A removal
     * waits while a service here still uses the certificate (this unit runs an older generation).
     */
    async take(r: CertificateWithFile, peer: string): Promise<boolean> {
      const { pem, ...record } = r;
      if (!d.records.supersedes(record)) return false;
      if (record.sha256 === null) {
        const users = stored.has(r.name) ? inUse(r.name) : [];
        if (users.length > 0) {
          d.log(`certificate ${r.name}: removed on ${peer}, kept while ${users.join(', ')} use it`);
          return false;
        }
        await drop(r.name);
      } else {
        if (pem === null || sha256Hex(pem) !== record.sha256)
          throw new TandemError(
            'bad_request',
            `${peer} sent certificate ${r.name} with a file that is not the one its record names`,
          );
        parseCertificateBundle({ certs: pem }, record.at);
        await install(r.name, pem);
      }
      await d.records.take(record);
      d.log(`certificate ${r.name} ${record.sha256 === null ? 'removed' : 'taken'} from ${peer}`);
      changed();
      return true;
    },
    /** Field errors for a configuration's TLS services whose certificate is not stored. */
    missingIn(cfg: ApplianceConfig): FieldError[] {
      const missing = (name: string, path: string) =>
        stored.has(name)
          ? []
          : [{ path, message: `no certificate named ${name} is stored (Settings → Certificates)` }];
      return cfg.services.flatMap((s, i) =>
        s.tls
          ? [
              ...missing(s.tls.certificate, `services[${i}].tls.certificate`),
              ...s.tls.sniCertificates.flatMap((c, j) =>
                missing(c, `services[${i}].tls.sniCertificates[${j}]`),
              ),
            ]
          : [],
      );
    },
  };
}
export type CertificateStore = ReturnType<typeof createCertificateStore>;
