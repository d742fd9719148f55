/** Signals to processes by PID: the agent stops old HAProxy workers beyond the policy's limit. */
export interface ProcessSignals {
  terminate(pid: number): void;
  /** Whether a process with this PID exists (signal 0). */
  alive(pid: number): boolean;
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
    alive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    },
  };
}

export function createFakeProcessSignals(alive: (pid: number) => boolean = () => true): {
  signals: ProcessSignals;
  terminated: number[];
} {
  const terminated: number[] = [];
  return { signals: { terminate: (pid) => void terminated.push(pid), alive }, terminated };
}
