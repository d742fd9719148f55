import { parseServersState, TandemError, type ServerStateRow } from '@tandem/core';
import { unixCommand } from './unixCommand.js';

/** HAProxy's Runtime API on the stats socket (level admin). */
export interface RuntimeApi {
  /** Runs one command; a non-empty answer that is not a known success is an error. */
  execute(command: string): Promise<string>;
  showServersState(): Promise<ServerStateRow[]>;
  /** The raw `show servers state` answer, in the format HAProxy's server-state-file loads. */
  dumpServersState(): Promise<string>;
  /**
   * Replaces a loaded certificate file's content in the running HAProxy (`set ssl cert`, then
   * `commit ssl cert`; aborted if the commit fails): new handshakes use it, no reload.
   */
  replaceCertificate(file: string, pem: string): Promise<void>;
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
    async replaceCertificate(file, pem) {
      if (!/^\/[\w./-]+\.pem$/.test(file))
        throw new TandemError('bad_request', `not a certificate file path: ${file}`);
      const set = await unixCommand(socketPath, `set ssl cert ${file}`, 15_000, pem);
      if (!/^Transaction (created|updated)/.test(set.trim()))
        throw new TandemError('runtime_failed', `HAProxy refused the certificate: ${set.trim()}`);
      const commit = await unixCommand(socketPath, `commit ssl cert ${file}`);
      if (!/Success!/.test(commit)) {
        await unixCommand(socketPath, `abort ssl cert ${file}`).catch(() => undefined);
        throw new TandemError(
          'runtime_failed',
          `HAProxy did not commit the certificate: ${commit.trim()}`,
        );
      }
    },
  };
}
