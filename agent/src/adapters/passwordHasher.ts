import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** Password hashes: scrypt, the parameters stored with each hash so they can be raised later. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

const derive = (password: string, salt: Buffer, n: number, r: number, p: number) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, { N: n, r, p, maxmem: 256 * n * r }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );

/**
 * `scrypt$N$r$p$salt$key` (base64url). N=2^15, r=8: 32 MiB and about 0.1 s per hash on a small
 * board, run off the event loop (libuv's pool), so a login flood slows logins, not the API.
 */
export function createScryptHasher(n = 2 ** 15, r = 8, p = 1): PasswordHasher {
  return {
    async hash(password) {
      const salt = randomBytes(16);
      const key = await derive(password, salt, n, r, p);
      return ['scrypt', n, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
    },
    async verify(password, stored) {
      const [kind, ns, rs, ps, salt, key] = stored.split('$');
      if (kind !== 'scrypt' || !salt || !key) return false;
      const want = Buffer.from(key, 'base64url');
      const got = await derive(
        password,
        Buffer.from(salt, 'base64url'),
        Number(ns),
        Number(rs),
        Number(ps),
      );
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
