import { describe, expect, it } from 'vitest';
import { AddSshKeyRequest, parseSshPublicKey } from './sshKeys.js';

// Public halves of throwaway keys made with ssh-keygen for this test.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOYG0nzIU3VxtqR1Hv0NYYFx4mUcwd9pRu6b7SvcyGEp';
const RSA_1024 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDJ9lXpseEWvcqEOQlnSmV3JgonNlSDWLT0NmWYpRr42W26TjE5crq6qzf4HIHYjnW9GR7XJ7no78otBILVpys4XDGCNi7LjZaYfr5BtKGkmft9wM3ABMs9UiI4IsnHzI/mFK3DaLZQnyAsLkJMvwWhGYyGieG+5NucuF/tr8/buQ==';
const RSA_2048 =
  'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCl4Zog3bM9hZP9CrtoQmQACaqmllqU3hYmX3Qw9f9KEYaSeplFb1j4H60USbmh4jhXgjTpuq+ImTrnR2DjykEPn523xRhrm7pthAdfme3do0+pC7CEETCFWpzfeDw2usD9McdFExURRyGLziyfDzMJyLAt+vHwj9gmRw3QIM0L2FWVSyIUeaX4FZUyuSGfQYDqRemfjKvG1QvwZsf6/N1jbps5kZF1tPgKUThidiTvyI9Oon4eDY99rtm2WbAFXomGbh3R64mK7LrUaNHukG3a4bMg/5S35MiE+WYjJXhuJie+mHQi8t/ZeKe9rsZjYpotTG0SKjeOduQRdb5ttx/7';

describe('SSH public keys', () => {
  it('takes a key as a .pub file holds it, with or without a comment, trimmed', () => {
    expect(parseSshPublicKey(`  ${ED25519} ops@example\n`)).toEqual({
      type: 'ssh-ed25519',
      blob: ED25519.split(' ')[1],
      comment: 'ops@example',
    });
    expect(parseSshPublicKey(RSA_2048)).toMatchObject({ type: 'ssh-rsa', comment: '' });
  });

  it('refuses options, second lines, unknown types, mismatched and short keys, naming why', () => {
    expect(parseSshPublicKey(`command="sh" ${ED25519}`)).toMatch(/one public key/);
    expect(parseSshPublicKey(`${ED25519} a\n${ED25519} b`)).toMatch(/more than one line/);
    expect(parseSshPublicKey(`ssh-dss ${ED25519.split(' ')[1]}`)).toMatch(/key type ssh-dss/);
    expect(parseSshPublicKey(`ssh-rsa ${ED25519.split(' ')[1]}`)).toBe(
      'the key data is a ssh-ed25519 key, not ssh-rsa',
    );
    expect(parseSshPublicKey('ssh-ed25519 AAAA')).toBe('the key data is not a valid public key');
    expect(parseSshPublicKey(RSA_1024)).toMatch(/2048 bits/);
    expect(parseSshPublicKey(`${ED25519} caf\u00e9`)).toMatch(/one public key/);
  });

  it('names the field in the request error', () => {
    const r = AddSshKeyRequest.safeParse({ key: 'not a key' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['key']);
    expect(AddSshKeyRequest.safeParse({ key: ED25519, extra: 1 }).success).toBe(false);
  });
});
