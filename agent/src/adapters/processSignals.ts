/** Signals to processes by PID: the agent stops old HAProxy workers beyond the policy's limit. */
export interface ProcessSignals {
  terminate(pid: number): void;
}

export function createProcessSignals(): ProcessSignals {
  return {
    terminate(pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone: what the caller wanted.
      }
    },
  };
}

export function createFakeProcessSignals(): { signals: ProcessSignals; terminated: number[] } {
  const terminated: number[] = [];
  return { signals: { terminate: (pid) => void terminated.push(pid) }, terminated };
}
