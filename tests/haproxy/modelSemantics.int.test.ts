import {
  createServer as createHttpServer,
  request,
  type IncomingHttpHeaders,
  type Server as HttpServer,
} from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { join } from 'node:path';
import {
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  renderHaproxy,
  type ApplianceConfigInput,
} from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHaproxy, type RunningHaproxy } from '../support/haproxyProcess.js';
import { freePort } from '../support/ports.js';
import { haproxyRuntimes, type HaproxyRuntime } from '../support/haproxyRuntimes.js';

/**
 * What the model says is what HAProxy does, for the values where quoting and escaping matter:
 * tcp-check payloads with CR/LF, quotes, `$` and backslashes reach the server byte for byte;
 * literal header values (with `%`, quotes, `$`, `#`) arrive unchanged; dynamic ones are evaluated.
 */
const PAYLOAD = 'PING "q" \'s\' $HOME ${X} \\ # \t end\r\n';
const LITERAL = `50% "off" $HOME 'x' #1 \\ %[src]`;

describe.each(haproxyRuntimes().map((rt) => [rt.label, rt] as const))(
  'on the real %s',
  (_l, rt: HaproxyRuntime) => {
    let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
    let haproxy: RunningHaproxy | undefined;
    let tcp: TcpServer;
    let http: HttpServer;
    let received = '';
    const seenHeaders: IncomingHttpHeaders[] = [];
    let frontPort: number;

    beforeAll(async () => {
      tmp = await rt.tempDir('semantics');
      received = '';
      tcp = createTcpServer((sock) => {
        sock.on('data', (d) => {
          received += d.toString('latin1');
          sock.write('+OK\r\n');
        });
        sock.on('error', () => undefined);
      });
      http = createHttpServer((req, res) => {
        seenHeaders.push(req.headers);
        res.end('ok');
      });
      const [tcpPort, httpPort] = await Promise.all([freePort(), freePort()]);
      frontPort = await freePort();
      await new Promise<void>((r) => tcp.listen(tcpPort, '127.0.0.1', r));
      await new Promise<void>((r) => http.listen(httpPort, '127.0.0.1', r));

      const input: ApplianceConfigInput = {
        schemaVersion: 1,
        global: { admin: { enabled: false } },
        services: [
          {
            name: 'echo',
            mode: 'http',
            binds: [{ address: '127.0.0.1', port: frontPort }],
            headers: [
              { phase: 'request', action: 'set', name: 'X-Literal', value: LITERAL },
              {
                phase: 'request',
                action: 'set',
                name: 'X-Dynamic',
                value: '%[req.hdr(host),host_only,upper]',
                dynamic: true,
              },
            ],
            defaultBackend: 'app',
            backends: [
              {
                name: 'app',
                servers: [{ name: 'node', address: '127.0.0.1', port: httpPort, check: false }],
              },
            ],
          },
          {
            name: 'probe',
            mode: 'tcp',
            binds: [{ address: '127.0.0.1', port: await freePort() }],
            defaultBackend: 'checked',
            backends: [
              {
                name: 'checked',
                healthCheck: {
                  type: 'tcp-script',
                  intervalMs: 100,
                  steps: [
                    { action: 'send', data: PAYLOAD },
                    { action: 'expect', match: 'string', value: '+OK' },
                  ],
                },
                servers: [{ name: 'listener', address: '127.0.0.1', port: tcpPort }],
              },
            ],
          },
        ],
      };
      const config = parseApplianceConfig(input);
      const node = parseNodeSettings({ ...nodeUnder(tmp.dir), logTarget: undefined });
      if (!config.ok || !node.ok)
        throw new Error(JSON.stringify([!config.ok && config.errors, !node.ok && node.errors]));
      const bundle = renderHaproxy(config.value, { node: node.value });
      await rt.files.write(join(tmp.dir, 'run', '.keep'), '');
      const cfg = join(tmp.dir, 'haproxy.cfg');
      await rt.files.write(cfg, bundle.config);
      haproxy = await startHaproxy(cfg, frontPort, rt.command);
    });

    afterAll(async () => {
      await haproxy?.stop();
      await new Promise((r) => tcp?.close(r));
      await new Promise((r) => http?.close(r));
      await tmp?.cleanup();
    });

    describe('model semantics', () => {
      it('sends tcp-check payloads byte for byte', async () => {
        const deadline = Date.now() + 5000;
        while (!received.includes(PAYLOAD) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        expect(received.slice(0, PAYLOAD.length)).toBe(PAYLOAD);
      });

      it('sets literal header values unchanged and evaluates dynamic ones', async () => {
        // node:http rather than fetch: fetch silently drops a custom Host header.
        const status = await new Promise<number | undefined>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port: frontPort,
              path: '/',
              headers: { host: 'app.example.com:8080' },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode));
            },
          );
          req.on('error', reject);
          req.end();
        });
        expect(status).toBe(200);
        const h = seenHeaders.at(-1);
        expect(h?.['x-literal']).toBe(LITERAL);
        expect(h?.['x-dynamic']).toBe('APP.EXAMPLE.COM');
      });
    });
  },
);
