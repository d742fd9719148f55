import { z } from 'zod';
import { parseCidr, parseIp } from './ip.js';

/** An IPv4 or IPv6 literal, stored in canonical form. */
export const IpAddress = z.string().transform((text, ctx) => {
  const ip = parseIp(text);
  if (!ip) {
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 or IPv6 address' });
    return z.NEVER;
  }
  return ip.canonical;
});

/** A network in CIDR notation (or a single address), stored in canonical form. */
export const Cidr = z.string().transform((text, ctx) => {
  const cidr = parseCidr(text);
  if (!cidr) {
    ctx.addIssue({ code: 'custom', message: 'must be a network like 198.18.0.0/15 or an address' });
    return z.NEVER;
  }
  return cidr.canonical;
});

export const Port = z
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be between 1 and 65535' })
  .max(65535, { error: 'must be between 1 and 65535' });

const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
export const HOSTNAME_RE = new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);

/** A DNS name (for server addresses and Host header values in checks). */
export const HostName = z
  .string()
  .regex(HOSTNAME_RE, { error: 'must be a DNS name like app.example.com' });

/**
 * An email address as the unit writes to one (ACME's contact, notifications): a plain address
 * with a DNS domain; no display name, no list, no spaces.
 */
export const EmailAddress = z
  .string()
  .max(254)
  .regex(new RegExp(`^[A-Za-z0-9.!#$%&'*+/=?^_\`{|}~-]+@${DNS_LABEL}(?:\\.${DNS_LABEL})+$`), {
    error: 'must be an email address (name@example.org)',
  });

/**
 * A server address: an IP literal (canonicalised) or a DNS name that HAProxy resolves at start.
 */
export const ServerAddress = z.string().transform((text, ctx) => {
  const ip = parseIp(text);
  if (ip) return ip.canonical;
  if (HOSTNAME_RE.test(text)) return text.toLowerCase();
  ctx.addIssue({ code: 'custom', message: 'must be an IP address or a DNS name' });
  return z.NEVER;
});

/**
 * Whether a validated server address is an IP literal rather than a DNS name (canonical IPv4 is
 * digits and dots, IPv6 has colons; a DNS name has neither shape). What HAProxy runs for a name
 * is whatever it resolved, so address comparisons and runtime changes apply to IPs only.
 */
export function isIpServerAddress(address: string): boolean {
  return /^[0-9.]+$|:/.test(address);
}

/**
 * A host pattern for Host/SNI matching: DNS characters only, with a leading or trailing dot
 * allowed so that prefix (`static.`) and suffix (`.example.com`) matches can be written.
 */
export const HostPattern = z
  .string()
  .regex(/^[A-Za-z0-9.-]{1,253}$/, { error: 'must be a host name or part of one (A-Z 0-9 . -)' })
  .refine((s) => !s.includes('..'), { error: 'must not contain ".."' })
  .transform((s) => s.toLowerCase());
