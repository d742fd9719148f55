import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSelfSignedPair } from '@tandem/agent/adapters/certificates';
import { ApiError } from '@tandem/agent/cli/apiClient';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';

/** A fresh self-signed pair, as a user's own certificate would come. */
const pair = async (cn: string) => {
  const p = await createSelfSignedPair(cn, [], 30);
  return { certificate: p.cert, key: p.key };
};

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
