import { describe, expect, it } from 'vitest';
import { parseApplianceConfig } from '../validate.js';
import { webService } from '../model/testConfig.js';
import { carriedServerState, parseServersState, serversStartingFresh } from './serverState.js';

const HEADER =
  '1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port\n';
const row = (server: string, addr: string, port: number, op = 2) =>
  `3 web.app 1 ${server} ${addr} ${op} 0 1 1 5 6 3 4 6 0 0 0 - ${port} - 0 0 - - 0\n`;

const config = (() => {
  const r = parseApplianceConfig({
    schemaVersion: 1,
    services: [
      webService({
        backends: [
          {
            name: 'app',
            healthCheck: { type: 'tcp' },
            servers: [
              { name: 'web1', address: '198.18.0.11', port: 8080 },
              { name: 'web2', address: '198.18.0.99', port: 8080 },
              { name: 'web3', address: '198.18.0.13', port: 9090 },
            ],
          },
        ],
      }),
    ],
  });
  if (!r.ok) throw new Error('fixture');
  return r.value;
})();

describe('server state carried across a reload', () => {
  const saved =
    HEADER +
    row('web1', '198.18.0.11', 8080, 0) + // unchanged: its DOWN state is carried
    row('web2', '198.18.0.12', 8080) + // moved to .99 in the model: the model wins
    row('web3', '198.18.0.13', 8080) + // moved to port 9090: same
    row('slot1', '198.18.0.50', 8080); // a runtime slot the model does not list: kept

  it('keeps rows whose server is where the model says, and runtime slots', () => {
    const carried = carriedServerState(saved, config);
    expect(parseServersState(carried).map((r) => r.server)).toEqual(['web1', 'slot1']);
    expect(carried.startsWith(HEADER)).toBe(true);
    expect(parseServersState(carried)[0]?.opState).toBe(0);
  });

  it('names the checked servers that start fresh', () => {
    const carried = parseServersState(carriedServerState(saved, config));
    expect(serversStartingFresh(config, carried)).toEqual(['web.app/web2', 'web.app/web3']);
    expect(serversStartingFresh(config, [])).toEqual([
      'web.app/web1',
      'web.app/web2',
      'web.app/web3',
    ]);
  });

  it('reads nothing from a file without a header (empty state)', () => {
    expect(parseServersState('1\n')).toEqual([]);
    expect(carriedServerState('1\n', config)).toBe('1\n');
  });
});
