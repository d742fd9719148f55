/**
 * One stored log line as the API returns it (GET /v1/logs, the live tail, exports): the agent's
 * log store produces it, the console's log viewer and tandemctl read it.
 */
export interface LogRow {
  id: number;
  at: number;
  kind: string | null;
  frontend: string | null;
  backend: string | null;
  server: string | null;
  clientIp: string | null;
  clientPort: number | null;
  status: number | null;
  method: string | null;
  url: string | null;
  host: string | null;
  userAgent: string | null;
  uri: string | null;
  bytes: number | null;
  timers: {
    request: number | null;
    queue: number | null;
    connect: number | null;
    response: number | null;
    total: number | null;
  };
  termination: string | null;
  retries: number | null;
  tls: boolean;
  parseError: string | null;
  raw: string | null;
}
