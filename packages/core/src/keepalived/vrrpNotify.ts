/** VRRP states as keepalived reports them on its notify FIFO. */
export const VRRP_STATES = ['MASTER', 'BACKUP', 'FAULT', 'STOP', 'DELETED'] as const;
export type VrrpState = (typeof VRRP_STATES)[number];

export interface VrrpNotice {
  instance: string;
  state: VrrpState;
  priority: number;
}

const LINE = /^INSTANCE "([^"]{1,64})" ([A-Z_]+) (\d{1,3})$/;

/**
 * One line of keepalived's notify FIFO, e.g. `INSTANCE "web" MASTER 150`. Group, virtual-server
 * and `*_RX_LOWER_PRI` lines are not state changes of an instance and give null, as does any
 * line that does not parse (the FIFO is keepalived's, the agent only reads it).
 */
export function parseVrrpNotify(line: string): VrrpNotice | null {
  const m = LINE.exec(line.trim());
  if (!m) return null;
  const state = VRRP_STATES.find((s) => s === m[2]);
  if (!state) return null;
  return { instance: m[1] ?? '', state, priority: Number(m[3]) };
}
