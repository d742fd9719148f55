import { resolve } from 'node:path';
import { z } from 'zod';

/** The agent's environment, read and validated once; nothing else reads process.env. */
const Env = z.object({
  TANDEM_STATE_DIR: z.string().min(1).optional(),
  TANDEM_HAPROXY_BIN: z.string().min(1).default('haproxy'),
});

export interface AgentEnv {
  stateDir: string;
  haproxyBin: string;
}

export function readEnv(env: NodeJS.ProcessEnv, cwd: string): AgentEnv {
  const parsed = Env.parse(env);
  return {
    stateDir: resolve(cwd, parsed.TANDEM_STATE_DIR ?? '.tandem'),
    haproxyBin: parsed.TANDEM_HAPROXY_BIN,
  };
}
