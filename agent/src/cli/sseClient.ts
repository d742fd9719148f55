import { request } from 'node:http';
import { ApiError } from './apiClient.js';
import type { ErrorBody } from '@tandem/core';

export interface SseEvent {
  event: string;
  id: number | null;
  data: unknown;
}

/**
 * Reads a server-sent-events stream from the agent socket until `signal` aborts or the agent
 * closes it. Each `data:` line is JSON (the agent sends one line per event).
 */
export function readSse(
  socketPath: string,
  path: string,
  onEvent: (e: SseEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method: 'GET', signal }, (res) => {
      res.setEncoding('utf8');
      if ((res.statusCode ?? 0) >= 400) {
        let text = '';
        res.on('data', (d: string) => (text += d));
        res.on('end', () =>
          reject(new ApiError(res.statusCode ?? 0, JSON.parse(text) as ErrorBody)),
        );
        return;
      }
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: 'message', id: null, data: null };
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('id: ')) e.id = Number(line.slice(4));
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data !== '') {
            e.data = JSON.parse(data);
            onEvent(e);
          }
        }
      });
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.name === 'AbortError'
        ? resolve()
        : reject(new Error(`cannot reach the agent on ${socketPath}: ${e.code ?? e.message}`)),
    );
    req.end();
  });
}
