import { parseServersState, TandemError, type ServerStateRow } from '@tandem/core';
import { unixCommand } from './unixCommand.js';

/** HAProxy's Runtime API on the stats socket (level admin). */
export interface RuntimeApi {
  /** Runs one command; a non-empty answer that is not a known success is an error. */
  execute(command: string): Promise<string>;
  showServersState(): Promise<ServerStateRow[]>;
  /** The raw `show servers state` answer, in the format HAProxy's server-state-file loads. */
  dumpServersState(): Promise<string>;
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
    dumpServersState: () => unixCommand(socketPath, 'show servers state'),
  };
}
