import { X509Certificate } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import {
  certificateFile,
  CertificateUpload,
  parseRequest,
  TandemError,
  type ApplianceConfig,
  type CertificateStored,
  type FieldError,
  type StoredCertificate,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import { Pkcs12Error } from '../adapters/certificates.js';
import { describeCertificate, parseCertificateBundle } from './certificateBundle.js';

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
  /** After a certificate was stored, replaced or removed (expiry is looked at again). */
  onChange?: () => void;
}

const NAME_FILE = /^([A-Za-z0-9][A-Za-z0-9_.:-]{0,63})\.pem$/;

/** The services of a configuration whose TLS uses certificate `name`. */
export const servicesUsing = (cfg: ApplianceConfig | null, name: string): string[] =>
  (cfg?.services ?? []).filter((s) => s.tls?.certificate === name).map((s) => s.name);

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

  return {
    /** Reads the directory once at start: every `<name>.pem` there is a stored certificate. */
    async load(): Promise<void> {
      const names = await readdir(d.hostPath(d.dir)).catch(() => [] as string[]);
      for (const f of names) {
        const m = NAME_FILE.exec(f);
        if (!m?.[1]) continue;
        const pem = await readFile(d.hostPath(path(m[1])), 'utf8').catch(() => null);
        if (pem === null) continue;
        try {
          stored.set(m[1], describe(m[1], pem));
        } catch {
          d.log(`certificate store: ${f} is not a certificate; left alone`);
        }
      }
    },
    has: (name: string) => stored.has(name),
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
      await d.files.write(path(u.name), bundle.pem, 0o600);
      const described = describe(u.name, bundle.pem);
      stored.set(u.name, described);
      let applied: CertificateStored['applied'] = 'stored';
      if (servicesUsing(d.running(), u.name).length > 0) {
        await d.replaceLive(path(u.name), bundle.pem);
        applied = 'live';
        d.log(`certificate ${u.name} replaced live`);
      }
      d.onChange?.();
      return {
        certificate: withUsers(described),
        applied,
      };
    },
    /** Removes one no service uses, in what is desired or what runs. */
    async remove(name: string): Promise<void> {
      if (!stored.has(name)) throw new TandemError('not_found', `no certificate named ${name}`);
      const users = [
        ...new Set([...servicesUsing(d.desired(), name), ...servicesUsing(d.running(), name)]),
      ];
      if (users.length > 0)
        throw new TandemError(
          'conflict',
          `certificate ${name} is used by ${users.join(', ')}: change ${users.length > 1 ? 'them' : 'it'} first`,
        );
      await rm(d.hostPath(path(name)), { force: true });
      stored.delete(name);
      d.onChange?.();
    },
    /** Field errors for a configuration's TLS services whose certificate is not stored. */
    missingIn(cfg: ApplianceConfig): FieldError[] {
      return cfg.services.flatMap((s, i) =>
        s.tls && !stored.has(s.tls.certificate)
          ? [
              {
                path: `services[${i}].tls.certificate`,
                message: `no certificate named ${s.tls.certificate} is stored (Settings → Certificates)`,
              },
            ]
          : [],
      );
    },
  };
}
export type CertificateStore = ReturnType<typeof createCertificateStore>;
