import { TandemError } from '../errors.js';
import type { ApplianceConfig } from '../model/applianceConfig.js';
import { parseApplianceConfig } from '../validate.js';

/**
 * Every runtime planner validates the config it produces, so no caller has to: an error without a
 * path is reported on `pathPrefix`, the part of the model the planner changed.
 */
export function revalidate(next: unknown, pathPrefix: string): ApplianceConfig {
  const parsed = parseApplianceConfig(next);
  if (!parsed.ok) {
    throw new TandemError(
      'invalid_config',
      'the change does not validate',
      parsed.errors.map((e) => ({ ...e, path: e.path || pathPrefix })),
    );
  }
  return parsed.value;
}
