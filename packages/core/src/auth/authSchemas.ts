import { z } from 'zod';
import { UserName } from '../grammar/names.js';

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
export const LoginRequest = z
  .object({ name: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export const NewUser = z.object({ name: UserName, role: Role, password: Password }).strict();
export const PasswordChange = z
  .object({ current: z.string().min(1).max(256), next: Password })
  .strict();
export const PasswordReset = z.object({ password: Password }).strict();
/** GET /v1/audit: how many entries, newest first (1 to 1000; a bad value is named, not ignored). */
export const AuditQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

export const SudoRequest = z.object({ password: z.string().min(1).max(256) }).strict();

export const SessionInfo = z.object({
  user: z.string(),
  role: Role,
  expiresAt: z.number(),
  /** Until when the session may open a terminal (password re-entered), or null. */
  sudoUntil: z.number().nullable(),
});
export type SessionInfo = z.output<typeof SessionInfo>;
