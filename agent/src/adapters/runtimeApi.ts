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
  /** Sets (adds or replaces) or deletes one entry of a loaded map file, no reload. */
  setMapEntry(file: string, key: string, value: string | null): Promise<void>;
}

/** What may go on the CLI as a map file, key or value: no spaces, no control characters. */
const MAP_FILE = /^\/[\w./-]+\.map$/;
const MAP_WORD = /^[A-Za-z0-9_.:-]{1,512}$/;

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
    async setMapEntry(file, key, value) {
      if (!MAP_FILE.test(file) || !MAP_WORD.test(key) || (value !== null && !MAP_WORD.test(value)))
        throw new TandemError('bad_request', `not a map entry: ${file} ${key}`);
      if (value === null) {
        await unixCommand(socketPath, `del map ${file} ${key}`);
        return;
      }
      // `set` changes an existing key and answers an error otherwise; then `add`.
      const set = (await unixCommand(socketPath, `set map ${file} ${key} ${value}`)).trim();
      if (set === '') return;
      const add = (await unixCommand(socketPath, `add map ${file} ${key} ${value}`)).trim();
      if (add !== '')
        throw new TandemError('runtime_failed', `HAProxy refused the map entry: ${add}`);
    },
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
