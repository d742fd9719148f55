import { describe, expect, it } from 'vitest';
import { TandemError } from '../errors.js';
import { CLUSTER_EXAMPLES } from '../examples/clusterExamples.js';
import { renderKeepalived, type KeepalivedInput } from './renderKeepalived.js';

const base = CLUSTER_EXAMPLES[0]!;
const input = (over: Partial<KeepalivedInput> = {}): KeepalivedInput => ({
  shared: base.shared,
  node: base.units.a,
  unitName: 'tandem-a',
  notifyFifo: '/run/tandem/vrrp.fifo',
  readyFile: '/run/tandem/ready',
  ...over,
});

function fieldsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof TandemError) return e.fields.map((x) => x.path);
    throw e;
  }
  throw new Error('did not throw');
}

describe('renderKeepalived', () => {
  it('renders the same shared part on both units; only the node lines differ', () => {
    for (const ex of CLUSTER_EXAMPLES) {
      const a = renderKeepalived(input({ shared: ex.shared, node: ex.units.a })).split('\n');
      const b = renderKeepalived(input({ shared: ex.shared, node: ex.units.b })).split('\n');
      expect(a).toHaveLength(b.length);
      const differing = a.filter((line, i) => line !== b[i]).map((line) => line.trim());
      // Priorities, the unicast source and the peer list: nothing shared differs.
      for (const line of differing)
        expect(line).toMatch(/^(priority \d+|unicast_src_ip [0-9a-f:.]+|[0-9a-f:.]+)$/);
      expect(differing.length).toBeGreaterThan(0);
    }
  });

  it('writes VRRPv3, sub-second adverts, unicast peers, the ready file and nopreempt', () => {
    const text = renderKeepalived(input());
    expect(text).toContain('  vrrp_version 3\n');
    expect(text).toContain('  notify_fifo /run/tandem/vrrp.fifo\n');
    expect(text).toContain('  advert_int 0.1\n');
    expect(text).toContain('  priority 150\n');
    expect(text).toContain('  nopreempt\n');
    expect(text).toContain(
      '  unicast_src_ip 198.18.0.11\n  unicast_peer {\n    198.18.0.12\n  }\n',
    );
    expect(text).toContain('    198.18.0.100/24 dev eth0\n    198.18.0.101/24 dev eth0\n');
    expect(text).toContain('  file /run/tandem/ready\n  init_file 1\n');
    expect(text).not.toContain('track_process');
    const aa = renderKeepalived(
      input({ shared: CLUSTER_EXAMPLES[1]!.shared, node: CLUSTER_EXAMPLES[1]!.units.b }),
    );
    expect(aa).not.toContain('nopreempt');
    expect(aa).toContain('vrrp_instance web {');
    expect(aa).toContain('vrrp_instance api {');
    expect(aa).toContain('  advert_int 0.2\n');
  });

  it('tracks the HAProxy process by name when asked (appliance)', () => {
    const text = renderKeepalived(input({ trackProcess: 'haproxy' }));
    expect(text).toContain('vrrp_track_process tandem_haproxy {\n  process haproxy\n');
    expect(text).toContain('  track_process {\n    tandem_haproxy weight 0\n  }\n');
  });

  it('names the field when the two parts do not fit together', () => {
    expect(
      fieldsOf(() => renderKeepalived(input({ node: { ...base.units.a, priorities: {} } }))),
    ).toEqual(['cluster.priorities.edge']);
    expect(
      fieldsOf(() =>
        renderKeepalived(input({ node: { ...base.units.a, priorities: { edge: 1, other: 2 } } })),
      ),
    ).toEqual(['cluster.priorities.other']);
    expect(
      fieldsOf(() =>
        renderKeepalived(
          input({
            node: {
              ...base.units.a,
              unicastSource: '2001:db8::1',
              peers: ['198.18.0.12', '2001:db8::1'],
            },
          }),
        ),
      ),
    ).toEqual(['cluster.unicastSource', 'cluster.peers[0]', 'cluster.peers[1]']);
  });
});
