import { request } from 'node:http';
import { userInfo } from 'node:os';
import { ApiError, type ErrorBody } from '@tandem/core';
import { readSse, type SseEvent } from './sseClient.js';

// One error class for every client of the API (core); re-exported where tandemctl's users find it.
export { ApiError };

export interface ApiClient {
  get<T = unknown>(path: string): Promise<T>;
  text(path: string): Promise<string>;
  send<T = unknown>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown): Promise<T>;
  /** A server-sent-events stream, until the agent closes it or `signal` aborts. */
  stream(path: string, onEvent: (e: SseEvent) => void, signal?: AbortSignal): Promise<void>;
}

/** HTTP+JSON over the agent's unix socket. */
export function createApiClient(socketPath: string, user = safeUser()): ApiClient {
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          socketPath,
          path,
          method,
          headers: {
            'x-tandem-user': user,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          new Error(
            `cannot reach the agent on ${socketPath} (${e.code ?? e.message}): is it running?`,
          ),
        ),
      );
      req.end(payload);
    });
  const check = (r: { status: number; text: string }) => {
    if (r.status >= 400) throw new ApiError(r.status, JSON.parse(r.text) as ErrorBody);
    return r.text;
  };
  return {
    async get(path) {
      return JSON.parse(check(await call('GET', path))) as never;
    },
    async text(path) {
      return check(await call('GET', path));
    },
    async send(method, path, body) {
      return JSON.parse(check(await call(method, path, body))) as never;
    },
    stream: (path, onEvent, signal) => readSse(socketPath, path, onEvent, signal),
  };
}

function safeUser(): string {
  try {
    const name = userInfo().username;
    return /^[A-Za-z0-9_.@-]{1,64}$/.test(name) ? name : 'local';
  } catch {
    return 'local';
  }
}
