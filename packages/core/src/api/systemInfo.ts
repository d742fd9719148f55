import { z } from 'zod';

/** GET /v1/system: what the unit runs and on what (the console's Settings page, support). */
export const SystemInfo = z.object({
  unit: z.string(),
  versions: z.object({
    tandem: z.string(),
    node: z.string(),
    /** Null when HAProxy does not answer. */
    haproxy: z.string().nullable(),
    /** Null when keepalived is not installed. */
    keepalived: z.string().nullable(),
  }),
  kernel: z.string(),
  systemUptimeSeconds: z.number(),
  agentUptimeSeconds: z.number(),
  load: z.array(z.number()),
  memory: z.object({ totalBytes: z.number(), freeBytes: z.number(), agentRssBytes: z.number() }),
  disk: z.object({ path: z.string(), totalBytes: z.number(), freeBytes: z.number() }),
  databases: z.object({ configBytes: z.number(), telemetryBytes: z.number() }),
});
export type SystemInfo = z.output<typeof SystemInfo>;

/** GET/POST /v1/console/certificate: the console's certificate as a user reads it. */
export const CertificateInfo = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** ISO 8601. */
  notAfter: z.string(),
  /** The subjectAltName entries, as openssl prints them. */
  names: z.string(),
  selfSigned: z.boolean(),
});
export type CertificateInfo = z.output<typeof CertificateInfo>;
