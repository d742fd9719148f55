import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where a unit with no administrator shows its one-time setup token to whoever stands at it. On
 * the appliance that is the login banner (an /etc/issue.d drop-in under /run, TANDEM_SETUP_BANNER):
 * the agent writes to the serial port through the journal, but the screen of a board or a VM's
 * console shows only the login prompt, so the token has to be in its banner.
 */
export interface SetupBanner {
  show(token: string): void;
  clear(): void;
}

/** agetty redraws its prompt with the new banner (util-linux 2.35+); where none runs, nothing. */
const reloadGettys = () => execFile('agetty', ['--reload'], () => undefined);

export function createIssueBanner(path: string, reload: () => void = reloadGettys): SetupBanner {
  return {
    show(token) {
      mkdirSync(dirname(path), { recursive: true });
      // \4 is agetty's escape for the unit's IPv4 address.
      writeFileSync(
        path,
        `One-time setup token: ${token}\nOpen https://\\4/ and create the first administrator with it.\n\n`,
        { mode: 0o644 },
      );
      reload();
    },
    clear() {
      rmSync(path, { force: true });
      reload();
    },
  };
}

/** No banner (development units, the lab): the token is in the agent's log and `tandemctl`. */
export const noBanner: SetupBanner = { show: () => undefined, clear: () => undefined };
