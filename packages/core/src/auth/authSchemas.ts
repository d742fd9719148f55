import { z } from 'zod';
import { UserName } from '../grammar/names.js';
import { SecondFactorCode } from './twoFactor.js';

/** Console roles: an admin changes things; a read-only user sees everything and changes nothing. */
export const ROLES = ['admin', 'read-only'] as const;
export const Role = z.enum(ROLES);
export type Role = z.output<typeof Role>;

/**
 * Passwords: at least 12 characters (length beats composition rules), at most 256, no control
 * characters. There is no default password anywhere: the first admin is created with the
 * one-time setup token.
 */
export const Password = z
  .string()
  .min(12, { error: 'must be at least 12 characters' })
  .max(256, { error: 'must be at most 256 characters' })
  .regex(/^[^\p{Cc}]*$/u, { error: 'must not contain control characters' });

export const SetupRequest = z
  .object({ token: z.string().min(1).max(200), name: UserName, password: Password })
  .strict();
/** Sign-in: the name, the password and, for a user with a second factor, its code. */
export const LoginRequest = z
  .object({
    name: z.string().min(1).max(64),
    password: z.string().min(1).max(256),
    code: SecondFactorCode.optional(),
  })
  .strict();
export const NewUser = z.object({ name: UserName, role: Role, password: Password }).strict();
export const PasswordChange = z
  .object({ current: z.string().min(1).max(256), next: Password })
  .strict();
export const PasswordReset = z.object({ password: Password }).strict();
/** GET /v1/audit: how many entries, newest first (1 to 1000; a bad value is named, not ignored). */
/** The kinds of action the audit page filters by. */
export const AUDIT_KINDS = [
  'sign-in',
  'failed-sign-in',
  'change',
  'apply',
  'rollback',
  'restore',
  'terminal',
  'users',
] as const;
export const AuditKind = z.enum(AUDIT_KINDS);
export type AuditKind = z.output<typeof AuditKind>;

/**
 * GET /v1/audit: newest first, how many (1 to 1000), and filters: a user, a kind of action, a
 * word in the action, its detail or its source, a time window (epoch ms), and `before` (an
 * entry's id) for the page after. A bad value is named, not ignored.
 */
export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    user: z.string().min(1).max(80).optional(),
    kind: AuditKind.optional(),
    q: z.string().min(1).max(200).optional(),
    from: z.coerce.number().int().nonnegative().optional(),
    to: z.coerce.number().int().nonnegative().optional(),
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export type AuditFilter = z.output<typeof AuditQuery>;

/** One entry of the audit log, as GET /v1/audit answers it. */
export interface AuditEntry {
  id: number;
  at: number;
  user: string;
  action: string;
  detail: string;
  /** Where it came from (the browser's address as the console saw it); empty: this unit. */
  source: string;
}

/** Sudo mode: the password again and, for a user with a second factor, a code too. */
export const SudoRequest = z
  .object({ password: z.string().min(1).max(256), code: SecondFactorCode.optional() })
  .strict();

export const SessionInfo = z.object({
  user: z.string(),
  role: Role,
  expiresAt: z.number(),
  /** Until when the session may open a terminal (password re-entered), or null. */
  sudoUntil: z.number().nullable(),
  /** Whether this user signs in with a second factor. */
  twoFactor: z.boolean(),
  /**
   * An admin the sign-in policy requires a second factor of, who has none yet: until they set
   * it up they have a read-only user's access (the agent enforces it; the console says why).
   */
  mustEnrol: z.boolean(),
});
export type SessionInfo = z.output<typeof SessionInfo>;
