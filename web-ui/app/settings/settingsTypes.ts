/** What the Settings page reads from the agent. */
export interface CertInfo {
  subject: string;
  issuer: string;
  notAfter: string;
  names: string;
  selfSigned: boolean;
}

export interface SystemInfo {
  unit: string;
  node: string;
  kernel: string;
  systemUptimeSeconds: number;
  agentUptimeSeconds: number;
  load: number[];
  memory: { totalBytes: number; freeBytes: number; agentRssBytes: number };
  disk: { path: string; totalBytes: number; freeBytes: number };
  databases: { configBytes: number; telemetryBytes: number };
}
