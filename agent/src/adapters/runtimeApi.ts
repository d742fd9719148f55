import { TandemError } from '@tandem/core';
import { unixCommand } from './unixCommand.js';

/** HAProxy's Runtime API on the stats socket (level admin). */
export interface RuntimeApi {
  /** Runs one command; a non-empty answer that is not a known success is an error. */
  execute(command: string): Promise<string>;
  showServersState(): Promise<ServerStateRow[]>;
}

export interface ServerStateRow {
  backend: string;
  server: string;
  address: string;
  port: number;
  /** Bit field: 0x01 forced maintenance, 0x08 forced drain (see HAProxy's srv_admin_state). */
  adminState: number;
  userWeight: number;
}

/** `show servers state` format 1: one line per server, space separated, header line first. */
export function parseServersState(text: string): ServerStateRow[] {
  const lines = text.split('\n');
  const header = lines.find((l) => l.startsWith('# be_id'));
  if (!header) return [];
  const cols = header.slice(2).split(' ');
  const at = (name: string) => cols.indexOf(name);
  const rows: ServerStateRow[] = [];
  for (const line of lines) {
    if (line === '' || line.startsWith('#') || /^\d+$/.test(line.trim())) continue;
    const f = line.split(' ');
    rows.push({
      backend: f[at('be_name')] ?? '',
      server: f[at('srv_name')] ?? '',
      address: f[at('srv_addr')] ?? '',
      port: Number(f[at('srv_port')]),
      adminState: Number(f[at('srv_admin_state')]),
      userWeight: Number(f[at('srv_uweight')]),
    });
  }
  return rows;
}

/**
 * The Runtime API answers nothing on success, or one of these messages; anything else is an
 * error message (e.g. "No such server.", "Server still has connections attached to it.").
 */
const SUCCESS =
  /^(IP changed from|no need to change|port changed|New server registered|Server deleted)/;

export function createRuntimeApi(socketPath: string): RuntimeApi {
  return {
    async execute(command) {
      const answer = (await unixCommand(socketPath, command)).trim();
      if (answer === '' || SUCCESS.test(answer)) return answer;
      throw new TandemError('runtime_failed', `HAProxy refused "${command}": ${answer}`);
    },
    async showServersState() {
      return parseServersState(await unixCommand(socketPath, 'show servers state'));
    },
  };
}
