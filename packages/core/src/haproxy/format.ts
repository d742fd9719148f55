/** Small value formatters shared by the section renderers. */

// One formatter for durations, shared with the model's error messages and the console.
export { formatDuration } from '../grammar/text.js';

/** `address:port`, with IPv6 in brackets so the port separator is unambiguous. */
export function formatEndpoint(address: string, port: number | string): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
