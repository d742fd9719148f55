import { z } from 'zod';
import { hint } from './hints.js';

/**
 * Per-service logging. Captured Host lets the log viewer show the URL as the client sent it
 * (seed 002: `https://host/path` instead of just the path).
 */
export const ServiceLogging = z
  .object({
    enabled: hint(z.boolean().default(true), { label: 'Log requests' }),
    captureHost: hint(z.boolean().default(true), { label: 'Capture Host header' }),
    captureUserAgent: hint(z.boolean().default(true), { label: 'Capture User-Agent' }),
    skipEmptyConnections: hint(z.boolean().default(true), {
      label: 'Skip empty connections',
      help: 'Do not log connections that sent nothing (health probes, port scans)',
      advanced: true,
    }),
  })
  .strict();
export type ServiceLogging = z.output<typeof ServiceLogging>;
