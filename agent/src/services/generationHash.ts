import { createHash } from 'node:crypto';

/**
 * The hash that chains a generation to its parent: over the parent's hash and the config text
 * exactly as stored and sent. Both units compute it the same way, so a hash names one
 * generation across the pair, and a receiver detects a payload changed on the way.
 */
export const generationHash = (parentHash: string | null, config: string): string =>
  createHash('sha256')
    .update(`${parentHash ?? ''}\n${config}`)
    .digest('hex');
