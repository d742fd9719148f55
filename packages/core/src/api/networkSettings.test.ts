import { describe, expect, it } from 'vitest';
import { NetworkSettings, renderNetworkdUnit } from './networkSettings.js';

const problems = (input: unknown) => {
  const r = NetworkSettings.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('network settings', () => {
  it('renders a static address as a networkd unit for the interface, DHCP as none', () => {
    const s = NetworkSettings.parse({
      mode: 'static',
      address: ' 192.0.2.10/24',
      gateway: '192.0.2.1',
      dns: ['192.0.2.53'],
    });
    expect(renderNetworkdUnit('enp0s2', s)).toBe(
      [
        "# Tandem: the unit's static address, set in the console (docs/install.md). Written by the agent.",
        '[Match]',
        'Name=enp0s2',
        '',
        '[Network]',
        'Address=192.0.2.10/24',
        'Gateway=192.0.2.1',
        'DNS=192.0.2.53',
        '',
      ].join('\n'),
    );
    expect(renderNetworkdUnit('enp0s2', NetworkSettings.parse({ mode: 'dhcp' }))).toBeNull();
    expect(() => renderNetworkdUnit('en0\nName=*', s)).toThrow(/interface name/);
  });

  it('refuses what would not work, naming the field', () => {
    expect(problems({ mode: 'static', address: '192.0.2.10' })).toEqual([
      'address: must be an address with its prefix, like 192.0.2.10/24 (/8 to /30)',
    ]);
    expect(problems({ mode: 'static', address: '192.0.2.0/24' })).toEqual([
      "address: is the network's own or broadcast address, not a host's",
    ]);
    expect(problems({ mode: 'static', address: '192.0.2.255/24' })).toHaveLength(1);
    expect(problems({ mode: 'static', address: '192.0.2.10/24', gateway: '198.51.100.1' })).toEqual(
      ["gateway: is not in 192.0.2.10/24's network"],
    );
    expect(problems({ mode: 'static', address: '192.0.2.10/24', gateway: '192.0.2.10' })).toEqual([
      "gateway: is the unit's own address",
    ]);
    expect(problems({ mode: 'static', address: '192.0.2.10/24', dns: ['ns1.example'] })).toEqual([
      'dns.0: must be an IPv4 address like 192.0.2.10',
    ]);
    expect(problems({ mode: 'static', address: '2001:db8::1/64' })).toHaveLength(1);
    expect(problems({ mode: 'dhcp', address: '192.0.2.10/24' })).toHaveLength(1);
  });
});
