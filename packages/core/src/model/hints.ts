import type { z } from 'zod';

/**
 * UI hints carried on the schema itself, so the console's forms, the CLI's help and the docs all
 * read the same label, help text, unit and default from one place.
 */
export interface UiHint {
  label: string;
  help?: string;
  unit?: 'ms' | 'connections' | 'entries' | 'servers' | 'requests' | 'bytes';
  placeholder?: string;
  advanced?: boolean;
}

export function hint<T extends z.ZodType>(schema: T, ui: UiHint): T {
  return schema.meta({ ui }) as T;
}
