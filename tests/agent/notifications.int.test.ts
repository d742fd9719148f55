import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentHandle } from '@tandem/agent/testing/agentProcess';
import { startSmtpReceiver } from '@tandem/agent/testing/smtpReceiver';
import { makeTestChain } from '@tandem/agent/testing/testCertificates';
import type { NotificationSettingsView, WebhookState } from '@tandem/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyRuntimes, startAgentOn } from '../support/haproxyRuntimes.js';
import { freePort } from '../support/ports.js';

/**
 * Email notifications with a real SMTP server (smtp-server on loopback, STARTTLS with a
 * certificate from a test CA the agent trusts, sign-in required): a test mail, an event the unit
 * records, and the server's refusals said as they are. The HAProxy version plays no part: the
 * host's only.
 */
describe('email notifications', () => {
  let agent: AgentHandle;
  let cleanup: () => Promise<void>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let dir: string;
  const settings = (o: { password?: string; to?: string[]; security?: string } = {}) => ({
    webhooks: [],
    smtp: {
      host: smtp.host,
      port: smtp.port,
      security: o.security ?? 'starttls',
      username: smtp.credentials.user,
      ...(o.password === undefined ? {} : { password: o.password }),
      from: 'lb1@example.org',
    },
    emails: [
      {
        name: 'oncall',
        to: o.to ?? ['ops@example.org', 'lead@example.org'],
        kinds: ['certificate'],
        minSeverity: 'warning',
      },
    ],
  });
  const test = () => agent.api.send('POST', '/v1/notifications/oncall/test', {});

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tandem-smtp-'));
    smtp = await startSmtpReceiver(dir);
    const [rt] = haproxyRuntimes();
    if (!rt) throw new Error('no HAProxy runtime');
    ({ agent, cleanup } = await startAgentOn(rt, 'smtp', await freePort(), {
      NODE_EXTRA_CA_CERTS: smtp.caFile,
    }));
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
    await smtp?.close();
    await cleanup?.();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a test through STARTTLS with sign-in, and never answers the password back', async () => {
    const saved = await agent.api.send<NotificationSettingsView>(
      'PUT',
      '/v1/notifications',
      settings({ password: smtp.credentials.password }),
    );
    expect(saved.smtp).toMatchObject({ passwordSet: true });
    expect(JSON.stringify(saved)).not.toContain(smtp.credentials.password);
    expect(await test()).toEqual({ delivered: true });
    expect(smtp.got).toHaveLength(1);
    expect(smtp.got[0]).toMatchObject({
      user: 'tandem',
      from: 'lb1@example.org',
      to: ['ops@example.org', 'lead@example.org'],
    });
    expect(smtp.got[0]?.raw).toMatch(/^Subject: \[.+\] info: unit /m);
    // Saved again from the console (no password sent): the kept one still signs in.
    await agent.api.send('PUT', '/v1/notifications', settings());
    expect(await test()).toEqual({ delivered: true });
    expect(smtp.got).toHaveLength(2);
  });

  it('mails a certificate near its end, as the unit records it', async () => {
    const soon = await makeTestChain(['soon.test'], 5);
    await agent.api.send('POST', '/v1/certificates', {
      name: 'soon',
      pem: soon.leaf + soon.intermediate + soon.leafKey,
    });
    // Delivered in the background: wait for what the server says it got.
    for (let i = 0; i < 300 && smtp.got.length < 3; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(smtp.got[2]?.raw).toMatch(/^Subject: \[.+\] (warning|error): certificate soon/m);
    expect(smtp.got[2]?.raw).toMatch(/certificate soon expires in [45] days/);
  });

  it("says the server's refusals: a wrong password, an unknown address, TLS where there is none", async () => {
    await agent.api.send('PUT', '/v1/notifications', settings({ password: 'wrong' }));
    await expect(test()).rejects.toMatchObject({
      message: expect.stringMatching(/^email list oncall: .*Invalid username or password/),
    });
    await agent.api.send(
      'PUT',
      '/v1/notifications',
      settings({ password: smtp.credentials.password, to: ['nobody@example.org'] }),
    );
    await expect(test()).rejects.toMatchObject({
      message: expect.stringMatching(/No such user here/),
    });
    await agent.api.send('PUT', '/v1/notifications', settings({ security: 'tls' }));
    await expect(test()).rejects.toMatchObject({
      message: expect.stringMatching(/^email list oncall: /),
    });
    const { webhooks } = await agent.api.get<{ webhooks: WebhookState[] }>('/v1/notifications');
    expect(webhooks).toEqual([
      expect.objectContaining({ name: 'oncall', delivered: 3, failed: 3 }),
    ]);
  }, 60_000);
});
