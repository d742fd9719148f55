import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiError } from '@tandem/agent/cli/apiClient';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';

const run = promisify(execFile);

/** A fresh self-signed pair from openssl, as a user's own certificate would come. */
async function pair(cn: string) {
  const dir = await mkdtemp(join(tmpdir(), 'tandem-upload-test-'));
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      join(dir, 'k'),
      '-out',
      join(dir, 'c'),
      '-days',
      '30',
      '-subj',
      `/CN=${cn}`,
    ]);
    return {
      certificate: await readFile(join(dir, 'c'), 'utf8'),
      key: await readFile(join(dir, 'k'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The console's certificate, owned by the agent: self-signed at first start, replaceable by upload. */
describe("the console's certificate", () => {
  const rt = haproxyRuntimes()[0]!;
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ agent, cleanup } = await startAgentOn(rt, 'cert', await freePort()));
  });
  afterAll(async () => {
    await agent.stop();
    await cleanup();
  });
  const fields = async (body: unknown) => {
    const e = await agent.api
      .send('POST', '/v1/console/certificate', body)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).body.error.fields.map((f) => f.path);
  };

  it('starts self-signed, takes a matching upload, and refuses what does not fit, naming the field', async () => {
    const first = await agent.api.get<{ selfSigned: boolean; names: string }>(
      '/v1/console/certificate',
    );
    expect(first.selfSigned).toBe(true);
    expect(first.names).toContain('127.0.0.1');
    const a = await pair('upload.example');
    const b = await pair('other.example');
    expect(await fields({ certificate: 'not a certificate', key: 'nor a key' })).toEqual([
      'certificate',
      'key',
    ]);
    expect(await fields({ certificate: a.certificate, key: b.key })).toEqual(['key']);
    const info = await agent.api.send<{ subject: string; notAfter: string }>(
      'POST',
      '/v1/console/certificate',
      a,
    );
    expect(info.subject).toBe('CN=upload.example');
    expect(new Date(info.notAfter).getTime()).toBeGreaterThan(Date.now());
    const onDisk = await readFile(join(agent.stateDir, 'console', 'console.crt'), 'utf8');
    expect(onDisk.trim()).toBe(a.certificate.trim());
  });
});
