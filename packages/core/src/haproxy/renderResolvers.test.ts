import { describe, expect, it } from 'vitest';
import { configWith, webService } from '../model/testConfig.js';
import { parseApplianceConfig } from '../validate.js';
import { linesOf, renderInput } from './testRender.js';

const discovered = (dns: { name: string; type?: 'A' | 'AAAA' | 'SRV' }) =>
  webService({
    backends: [
      {
        name: 'app',
        serverTemplate: { prefix: 'web', count: 5, port: 8080, dns },
        healthCheck: { type: 'tcp' },
      },
    ],
  });
const errorsOf = (input: unknown) => {
  const r = parseApplianceConfig(input);
  if (r.ok) throw new Error('expected the config to be refused');
  return r.errors;
};

describe('servers from DNS', () => {
  it('renders slots that follow A records, and the system resolver when no name server is given', () => {
    const { sections } = renderInput(configWith(discovered({ name: 'web.example.org' })));
    expect(linesOf(sections, 'backend', 'web.app')).toContain(
      'server-template web 1-5 web.example.org:8080 resolvers tandem resolve-prefer ipv4 init-addr last,none check',
    );
    expect(linesOf(sections, 'resolvers', 'tandem')).toEqual([
      'parse-resolv-conf',
      'accepted_payload_size 8192',
      'resolve_retries 3',
      'timeout retry 1s',
      'timeout resolve 10s',
      'hold valid 10s',
      'hold obsolete 30s',
      'hold nx 30s',
      'hold timeout 1d',
      'hold refused 1d',
      'hold other 1d',
    ]);
  });

  it('renders SRV slots with no port of their own, and the name servers given', () => {
    const { sections } = renderInput({
      ...configWith(discovered({ name: '_http._tcp.web.example.org', type: 'SRV' })),
      global: {
        resolvers: {
          nameservers: [{ address: '198.18.0.53' }, { address: '2001:db8::53', port: 5353 }],
          holdObsoleteMs: '1m',
        },
      },
    });
    expect(linesOf(sections, 'backend', 'web.app')).toContain(
      'server-template web 1-5 _http._tcp.web.example.org resolvers tandem init-addr last,none check',
    );
    expect(linesOf(sections, 'resolvers', 'tandem')).toEqual(
      expect.arrayContaining([
        'nameserver ns1 198.18.0.53:53',
        'nameserver ns2 [2001:db8::53]:5353',
        'hold obsolete 1m',
      ]),
    );
  });

  it('renders no resolvers section when nothing is discovered', () => {
    const { sections } = renderInput(configWith(webService()));
    expect(sections.some((s) => s.kind === 'resolvers')).toBe(false);
  });

  it('refuses names that are not of their record type, and resolver settings out of range', () => {
    expect(errorsOf(configWith(discovered({ name: 'web.example.org', type: 'SRV' })))).toEqual([
      expect.objectContaining({
        path: 'services[0].backends[0].serverTemplate.dns.name',
        message: 'must be an SRV name like _http._tcp.web.example.org',
      }),
    ]);
    expect(errorsOf(configWith(discovered({ name: '_http._tcp.web.example.org' })))).toEqual([
      expect.objectContaining({
        path: 'services[0].backends[0].serverTemplate.dns.name',
        message: 'must be a DNS name like web.example.org',
      }),
    ]);
    expect(
      errorsOf({
        ...configWith(webService()),
        global: { resolvers: { nameservers: [{ address: 'dns.example' }], holdValidMs: '1h1s' } },
      }).map((e) => e.path),
    ).toEqual(['global.resolvers.nameservers[0].address', 'global.resolvers.holdValidMs']);
  });
});
