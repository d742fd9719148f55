import type { z } from 'zod';
import type { ServiceInput } from '../model/service.js';

/**
 * A service template: a typed parameter schema (with UI hints and defaults, so the console can
 * generate its form) and a pure function from parameters to one or more services.
 */
export interface ServiceTemplate<P extends z.ZodType = z.ZodType> {
  /** Stable identifier, used by the CLI (`--template http-load-balancing`) and stored in services. */
  name: string;
  title: string;
  summary: string;
  /** The field note this recipe comes from, for the docs. */
  recipe?: string;
  params: P;
  /** Parameters for the documentation example and the golden config. */
  example: z.input<P>;
  build(params: z.output<P>): ServiceInput[];
}

/** Keeps each template's `build` typed against its own parameter schema. */
export function defineTemplate<P extends z.ZodType>(t: ServiceTemplate<P>): ServiceTemplate<P> {
  return t;
}
