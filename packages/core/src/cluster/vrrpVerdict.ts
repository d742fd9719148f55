/**
 * What two units' VRRP states for one instance say together. VRRP only has the master send
 * adverts: one MASTER and one BACKUP means the backup hears them (and the master would hear the
 * backup's if it took over); two MASTERs mean adverts do not get through (split brain); no
 * MASTER means neither serves the VIP.
 */
export function vrrpVerdict(
  here: string,
  peer: string,
): 'one master' | 'two masters' | 'no master' | 'unknown' {
  const states = [here, peer];
  if (states.some((s) => s === 'UNKNOWN' || s === '')) return 'unknown';
  const masters = states.filter((s) => s === 'MASTER').length;
  return masters === 1 ? 'one master' : masters === 2 ? 'two masters' : 'no master';
}
