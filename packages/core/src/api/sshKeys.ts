import { z } from 'zod';

/**
 * The keys that may log in to the unit over SSH (as root: the appliance has no other login).
 * The administrator pastes a public key in the console; the agent writes the unit's
 * authorized_keys on the data partition. Password login stays off whatever happens here.
 *
 * Allow-list grammar, one key per entry: a key type OpenSSH accepts, its base64 blob, an optional
 * printable comment. No options prefix (`command=`, `from=`...) and no line breaks, so a pasted
 * value can never become a second line or widen what the key may do.
 */
export const SSH_KEY_TYPES = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

const LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: ([\x20-\x7e]{1,200}))?$/;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The first `count` bytes of base64 text (core runs in the browser too: no Buffer, no atob). */
function base64Prefix(text: string, count: number): number[] {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of text) {
    if (ch === '=' || out.length >= count) break;
    value = (value << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return out;
}

/** The key type written inside the blob (an SSH string: 4-byte length, then the name). */
function blobType(base64: string): string | null {
  const head = base64Prefix(base64, 4);
  if (head.length < 4) return null;
  const n = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  if (n === 0 || n > 64) return null;
  const bytes = base64Prefix(base64, 4 + n);
  if (bytes.length < 4 + n) return null;
  return String.fromCharCode(...bytes.slice(4));
}

export interface SshKeyParts {
  type: (typeof SSH_KEY_TYPES)[number];
  blob: string;
  comment: string;
}

/** Splits a public key line, or says what is wrong with it (for the field's error). */
export function parseSshPublicKey(text: string): SshKeyParts | string {
  const trimmed = text.trim();
  if (/[\r\n]/.test(trimmed)) return 'one key per entry: the text has more than one line';
  const line = trimmed.replace(/[ \t]+/g, ' ');
  const m = LINE.exec(line);
  if (!m) return 'one public key: "<type> <base64> [comment]", as in a .pub file';
  const [, type, blob, comment = ''] = m as unknown as [string, string, string, string?];
  if (!(SSH_KEY_TYPES as readonly string[]).includes(type))
    return `key type ${type} is not one of ${SSH_KEY_TYPES.join(', ')}`;
  const inner = blobType(blob);
  if (inner === null) return 'the key data is not a valid public key';
  if (inner !== type) return `the key data is a ${inner} key, not ${type}`;
  if (type === 'ssh-rsa' && blob.length < 360) return 'RSA keys must have at least 2048 bits';
  return { type: type as SshKeyParts['type'], blob, comment };
}

export const SshPublicKey = z.string().transform((text, ctx) => {
  const parts = parseSshPublicKey(text);
  if (typeof parts === 'string') {
    ctx.addIssue({ code: 'custom', message: parts });
    return z.NEVER;
  }
  return parts;
});

/** POST /v1/system/ssh-keys */
export const AddSshKeyRequest = z.object({ key: SshPublicKey }).strict();

/** One authorized key as the console lists it. */
export const SshKeyInfo = z.object({
  type: z.enum(SSH_KEY_TYPES),
  comment: z.string(),
  /** OpenSSH's form: SHA256:<base64 without padding>, as `ssh-keygen -l` and a client print it. */
  fingerprint: z.string(),
});
export type SshKeyInfo = z.output<typeof SshKeyInfo>;

/** The fingerprint in a path (DELETE /v1/system/ssh-keys/:fingerprint). */
export const SshFingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an SSH key fingerprint (SHA256:…)');
