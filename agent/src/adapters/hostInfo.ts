import { statfsSync } from 'node:fs';
import { freemem, loadavg, release, totalmem, uptime } from 'node:os';

/** What the machine says of itself: kernel, uptime, load, memory and the state disk. */
export interface HostReading {
  kernel: string;
  uptimeSeconds: number;
  load: number[];
  memory: { totalBytes: number; freeBytes: number; agentRssBytes: number };
  disk: { path: string; totalBytes: number; freeBytes: number };
}

export interface HostInfo {
  read(): HostReading;
}

export function createHostInfo(stateDir: string): HostInfo {
  return {
    read() {
      const fs = statfsSync(stateDir);
      return {
        kernel: release(),
        uptimeSeconds: uptime(),
        load: loadavg(),
        memory: {
          totalBytes: totalmem(),
          freeBytes: freemem(),
          agentRssBytes: process.memoryUsage().rss,
        },
        disk: { path: stateDir, totalBytes: fs.blocks * fs.bsize, freeBytes: fs.bavail * fs.bsize },
      };
    },
  };
}

/** A fixed reading, for unit tests. */
export function createFakeHostInfo(reading: HostReading): HostInfo {
  return { read: () => reading };
}
