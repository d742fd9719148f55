import { z } from 'zod';

/**
 * Allow-list grammars for identifiers. Every value that lands in a config line is either one of
 * these, a number in a range, or a string the renderer quotes; nothing is free text by accident.
 */

/** Names of services, backends, servers, VIPs, certificates: they become HAProxy proxy names. */
export const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const Name = z.string().regex(NAME_RE, {
  error: 'must be 1-64 characters from A-Z a-z 0-9 _ . : -, starting with a letter or digit',
});

/** HTTP header field names (RFC 9110 token, minus the characters that need shell-like quoting). */
export const HEADER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9!#%&*+.^_|~-]{0,63}$/;
export const HeaderName = z
  .string()
  .regex(HEADER_NAME_RE, { error: 'must be a header name: 1-64 token characters, no spaces' });

/** Cookie names and URL query parameter names. */
export const TOKEN_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const Token = z.string().regex(TOKEN_RE, {
  error: 'must be 1-64 characters from A-Z a-z 0-9 _ . -, starting with a letter or digit',
});

/** Linux interface names (IFNAMSIZ is 16 including the NUL). */
export const InterfaceName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,15}$/, { error: 'must be an interface name of 1-15 characters' });

/** Unix user names for HAProxy's userlist and `stats` access. */
export const UserName = z
  .string()
  .regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: 'must be a user name: lowercase, 1-32 characters' });

/**
 * crypt(3) password hashes HAProxy accepts in a userlist (SHA-512, SHA-256, yescrypt, bcrypt).
 * A plain password is never stored or rendered.
 */
export const PasswordHash = z.string().regex(/^\$(?:6|5|y|2[aby])\$[A-Za-z0-9./$]{8,200}$/, {
  error: 'must be a crypt(3) hash ($6$, $5$, $y$ or $2b$), never a plain password',
});

/**
 * Absolute filesystem paths on the unit (sockets, map and certificate directories). Set by the
 * agent, not by users, but still checked: no `..`, no spaces, no doubled slashes.
 */
export const AbsolutePath = z
  .string()
  .regex(/^(?:\/[A-Za-z0-9_.-]+)+\/?$|^\/$/, {
    error: 'must be an absolute path of A-Z a-z 0-9 _ . - separated by /',
  })
  .refine((p) => !p.split('/').some((seg) => seg === '..' || seg === '.'), {
    error: 'must not contain . or .. segments',
  })
  .refine((p) => p.length <= 200, { error: 'must be at most 200 characters' });
