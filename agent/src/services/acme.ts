import { readFile } from 'node:fs/promises';
import { get as httpsGet } from 'node:https';
import type * as AcmeClient from 'acme-client';
import {
  AcmeCertificateRequest,
  AcmeSettings,
  ACME_RENEW_DAYS,
  daysLeft,
  parseRequest,
  supersedes,
  TandemError,
  type AcmeIssuer,
  type AcmeManaged,
  type AcmeShared,
  type AcmeStatus,
  type CertificateStored,
  type EventInput,
} from '@tandem/core';
import type { CertificateStore } from './certificateStore.js';

/** What the agent keeps of ACME (a 0600 file in its state directory): the account key too. */
interface AcmeState {
  settings: AcmeSettings | null;
  /** PEM; made on first use, kept for the account's life (the CA knows the account by it). */
  accountKey: string | null;
  /** The account's URL at the CA, once known: later orders use it instead of registering again. */
  accountUrl?: string | null;
  certificates: AcmeManaged[];
  /** When and where the settings or the list last changed (what the pair compares); null: never. */
  changed?: { at: number; unit: string } | null;
}

/** Where HTTP-01 challenges are answered: HAProxy's challenge map, through its Runtime API. */
export interface ChallengeMap {
  add(token: string, keyAuthorization: string): Promise<void>;
  remove(token: string): Promise<void>;
}

/**
 * acme-client, loaded on first use: with its HTTP client and X.509 libraries it adds ~27 MiB to
 * the agent's RSS (measured 2026-12-01), which a unit that never uses ACME should not carry
 * (ADR 0018's lesson: module caching keeps an import for good).
 */
let loaded: Promise<typeof AcmeClient> | null = null;
const acmeClient = () => (loaded ??= import('acme-client'));

const HOUR = 3_600_000;

/**
 * The CA's directory answers (within 10 s): checked first so an unreachable or untrusted CA is
 * said as such (acme-client reports a network failure without its cause).
 */
function reachable(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { timeout: 10_000 }, (res) => {
      res.resume();
      if ((res.statusCode ?? 0) === 200) resolve();
      else reject(new Error(`the ACME directory ${url} answered ${res.statusCode ?? 0}`));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(`the ACME directory ${url} cannot be reached: ${e.code ?? e.message}`)),
    );
  });
}
/** A failed attempt waits an hour, doubling to a day. */
const backoff = (failures: number) => Math.min(24 * HOUR, HOUR * 2 ** Math.max(0, failures - 1));

/**
 * Certificates from an ACME CA (RFC 8555; issue 18) through acme-client: an account per unit,
 * HTTP-01 answered by HAProxy itself (the challenge map), the issued certificate stored like an
 * upload (live when in use), renewed ACME_RENEW_DAYS before its end with backoff on failure and
 * an event either way.
 */
export function createAcme(d: {
  /** The state file (host path) and an atomic writer for it. */
  stateFile: string;
  write: (path: string, content: string, mode: number) => Promise<void>;
  challenges: ChallengeMap;
  store: Pick<CertificateStore, 'put' | 'has' | 'list'>;
  now: () => number;
  events: { add: (e: EventInput) => void };
  log: (m: string) => void;
  unitName: string;
  /** Whether this unit is the one of its pair to ask the CA for `name` (the VIP holder). */
  issuer: (name: string) => AcmeIssuer;
}) {
  let state: AcmeState = { settings: null, accountKey: null, certificates: [], changed: null };
  /** Hear of changes; what they return is awaited (the apply that adds the responder). */
  const listeners = new Set<() => void | Promise<void>>();
  const tell = async () => {
    await Promise.all([...listeners].map((l) => l()));
  };
  /** The settings or the list changed here: stamped, saved, and the pair told. */
  const changedHere = async () => {
    state.changed = { at: d.now(), unit: d.unitName };
    await save();
    await tell();
  };
  const failures = new Map<string, number>();
  const save = () => d.write(d.stateFile, `${JSON.stringify(state, null, 2)}\n`, 0o600);
  const event = (severity: EventInput['severity'], name: string, message: string) =>
    d.events.add({
      at: d.now(),
      kind: 'certificate',
      severity,
      subject: `certificate ${name}`,
      message,
    });

  const settings = (): AcmeSettings => {
    if (!state.settings)
      throw new TandemError(
        'conflict',
        'ACME is not set up: give the CA directory URL and agree to its terms first',
      );
    return state.settings;
  };
  const client = async () => {
    const acme = await acmeClient();
    if (!state.accountKey) {
      state.accountKey = (await acme.crypto.createPrivateEcdsaKey()).toString();
      await save();
    }
    // Network failures are retried a few times, not acme-client's default of minutes: the
    // operator waits for the answer, and the renewal loop has its own backoff.
    const c = new acme.Client({
      directoryUrl: settings().directoryUrl,
      accountKey: state.accountKey,
      ...(state.accountUrl ? { accountUrl: state.accountUrl } : {}),
      backoffAttempts: 3,
      backoffMin: 1_000,
      backoffMax: 5_000,
    });
    // Registering an account the CA already has turns into an "update" of nothing, which CAs
    // may refuse (pebble does, without a contact): an existing account is looked up instead.
    if (!state.accountUrl) {
      const found = await c.createAccount({ onlyReturnExisting: true }).then(
        () => true,
        () => false,
      );
      if (found) state.accountUrl = c.getAccountUrl();
    }
    return c;
  };

  /** One issuance for `name`: a new key and certificate, stored (and live if in use). */
  const issue = async (name: string, domains: string[]): Promise<CertificateStored> => {
    const s = settings();
    await reachable(s.directoryUrl);
    const c = await client();
    const acme = await acmeClient();
    const key = await acme.crypto.createPrivateEcdsaKey();
    const [, csr] = await acme.crypto.createCsr({ commonName: domains[0], altNames: domains }, key);
    const pem = await c.auto({
      csr,
      ...(s.email ? { email: s.email } : {}),
      termsOfServiceAgreed: true,
      challengePriority: ['http-01'],
      // The CA checks the challenge; acme-client's own check would ask port 80 of the name from
      // here, which a unit behind NAT or split DNS cannot, and would retry for minutes.
      skipChallengeVerification: true,
      challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
        if (challenge.type !== 'http-01')
          throw new Error(`no ${challenge.type} here: HTTP-01 only`);
        await d.challenges.add(challenge.token, keyAuthorization);
      },
      challengeRemoveFn: async (_authz, challenge) => {
        if (challenge.type === 'http-01') await d.challenges.remove(challenge.token);
      },
    });
    state.accountUrl = c.getAccountUrl();
    return d.store.put({
      name,
      pem: `${pem.trim()}\n${key.toString()}`,
      replace: d.store.has(name),
    });
  };

  /** Issues (or renews) one managed certificate, recording how it went; throws on failure. */
  const attempt = async (m: AcmeManaged): Promise<CertificateStored> => {
    m.lastAttempt = d.now();
    try {
      const stored = await issue(m.name, m.domains);
      m.lastError = null;
      m.nextAttempt = null;
      failures.delete(m.name);
      event(
        'info',
        m.name,
        `certificate ${m.name} issued by ACME for ${m.domains.join(', ')}, until ${stored.certificate.notAfter.slice(0, 10)}${stored.applied === 'live' ? ' (served now, no reload)' : ''}`,
      );
      return stored;
    } catch (e) {
      const n = (failures.get(m.name) ?? 0) + 1;
      failures.set(m.name, n);
      m.lastError = e instanceof Error ? e.message : String(e);
      m.nextAttempt = d.now() + backoff(n);
      event(
        'error',
        m.name,
        `ACME could not issue ${m.name}: ${m.lastError}; trying again at ${new Date(m.nextAttempt).toISOString()}`,
      );
      throw e instanceof TandemError
        ? e
        : new TandemError('acme_failed', `ACME could not issue ${m.name}: ${m.lastError}`);
    } finally {
      await save();
    }
  };
  const managed = (name: string) => {
    const m = state.certificates.find((c) => c.name === name);
    if (!m) throw new TandemError('not_found', `no ACME certificate named ${name}`);
    return m;
  };
  /** Another CA is another account: a new key on first use. */
  const forgetAccount = () => {
    state.accountKey = null;
    state.accountUrl = null;
  };
  /** Only the VIP holder asks the CA: its HAProxy is the one the CA's check reaches. */
  const mustIssueHere = (name: string) => {
    const i = d.issuer(name);
    if (!i.here) throw new TandemError('conflict', `not issued here: ${i.why}`);
  };

  return {
    async load(): Promise<void> {
      const text = await readFile(d.stateFile, 'utf8').catch(() => null);
      if (text) state = JSON.parse(text) as AcmeState;
    },
    status: (): AcmeStatus => ({
      settings: state.settings,
      certificates: state.certificates.map((c) => {
        const i = d.issuer(c.name);
        return i.here ? c : { ...c, elsewhere: i.why };
      }),
    }),
    async setSettings(body: unknown): Promise<AcmeSettings> {
      const s = parseRequest(AcmeSettings, body);
      // Another CA is another account: a new key is made on first use.
      if (state.settings?.directoryUrl !== s.directoryUrl) forgetAccount();
      state.settings = s;
      await changedHere();
      return s;
    },
    /**
     * Hears of a change of the settings or the list, here or from the peer; the change answers
     * once what a listener returns has settled (ACME set up: the responder is rendered first).
     */
    onChanged(l: () => void | Promise<void>): () => void {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    /** What the pair shares (settings, names and domains); null: ACME never set up here. */
    shared(): AcmeShared | null {
      if (!state.changed) return null;
      return {
        settings: state.settings,
        certificates: state.certificates.map((c) => ({ name: c.name, domains: c.domains })),
        ...state.changed,
      };
    },
    /**
     * The peer's settings and list, when the later change: this unit's own attempts are kept for
     * the names still listed; another CA means another account (a new key on first use here).
     */
    async takeShared(s: AcmeShared): Promise<boolean> {
      if (!supersedes(s, state.changed)) return false;
      if (state.settings?.directoryUrl !== s.settings?.directoryUrl) forgetAccount();
      const mine = new Map(state.certificates.map((c) => [c.name, c]));
      state.settings = s.settings;
      state.certificates = s.certificates.map((c) => ({
        lastAttempt: null,
        lastError: null,
        nextAttempt: null,
        ...mine.get(c.name),
        name: c.name,
        domains: c.domains,
      }));
      state.changed = { at: s.at, unit: s.unit };
      await save();
      await tell();
      return true;
    },
    /** A certificate to issue now and keep renewed. */
    async add(body: unknown): Promise<CertificateStored> {
      const r = parseRequest(AcmeCertificateRequest, body);
      settings();
      mustIssueHere(r.name);
      const m: AcmeManaged = state.certificates.find((c) => c.name === r.name) ?? {
        name: r.name,
        domains: r.domains,
        lastAttempt: null,
        lastError: null,
        nextAttempt: null,
      };
      m.domains = r.domains;
      if (!state.certificates.includes(m)) state.certificates.push(m);
      await changedHere();
      return attempt(m);
    },
    renew(name: string): Promise<CertificateStored> {
      const m = managed(name);
      mustIssueHere(name);
      return attempt(m);
    },
    async remove(name: string): Promise<void> {
      managed(name);
      state.certificates = state.certificates.filter((c) => c.name !== name);
      await changedHere();
    },
    /**
     * The renewal round: each managed certificate within ACME_RENEW_DAYS of its end (or not
     * stored at all) is renewed, unless a failure's backoff says to wait.
     */
    async renewDue(): Promise<number> {
      if (!state.settings) return 0;
      const stored = new Map(d.store.list().map((c) => [c.name, c]));
      let renewed = 0;
      for (const m of state.certificates) {
        const c = stored.get(m.name);
        const due = !c || daysLeft(c.notAfter, d.now()) <= ACME_RENEW_DAYS;
        if (!due || (m.nextAttempt !== null && m.nextAttempt > d.now())) continue;
        // The peer holds the VIP: it renews, and the certificate comes here through the pair.
        if (!d.issuer(m.name).here) continue;
        await attempt(m).then(
          () => renewed++,
          (e: unknown) =>
            d.log(`ACME renewal of ${m.name}: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
      return renewed;
    },
  };
}
export type Acme = ReturnType<typeof createAcme>;
