import { request } from 'node:http';

/** One request on a unix socket, as the console server makes them: JSON, a bearer token. */
export function call(
  socketPath: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  source = '198.18.9.9',
) {
  return new Promise<{ status: number; body: { error?: { code: string }; [k: string]: unknown } }>(
    (resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          socketPath,
          method,
          path,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
            'x-forwarded-for': source,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    },
  );
}
