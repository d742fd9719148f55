/**
 * Whether the console server could reach the agent on the last call: the API client reports
 * every answer here, and the loading screen says so when the agent is away (restarting).
 */
type Listener = (down: boolean) => void;
const listeners = new Set<Listener>();
let down = false;

export function reportAgent(isDown: boolean): void {
  if (isDown === down) return;
  down = isDown;
  for (const l of listeners) l(down);
}

export function agentDown(): boolean {
  return down;
}

export function onAgentHealth(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}
