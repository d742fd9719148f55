import type { FieldError } from '../errors.js';

/** One message from `haproxy -c`, already split by the adapter that ran it. */
export interface CheckDiagnostic {
  severity: 'alert' | 'warning';
  file?: string;
  line?: number;
  message: string;
}

/**
 * Turns HAProxy's complaints about lines of the rendered file into errors on model fields, using
 * the line origins the renderer recorded, so "line 48: unknown fetch method" reaches the user as
 * `services[0].headers[0]: unknown fetch method`. Lines with no known origin keep an empty path.
 */
export function mapCheckDiagnostics(
  diagnostics: readonly CheckDiagnostic[],
  configPath: string,
  lineOrigins: readonly string[],
): FieldError[] {
  return diagnostics
    .filter((d) => d.message !== '')
    .map((d) => {
      const origin =
        d.file === configPath && d.line !== undefined ? (lineOrigins[d.line - 1] ?? '') : '';
      const where =
        d.line !== undefined && origin === '' ? ` (${d.file ?? 'config'} line ${d.line})` : '';
      return { path: origin, message: `HAProxy ${d.severity}: ${d.message}${where}` };
    });
}
