import type { ApplianceConfigInput } from '../model/applianceConfig.js';

/** A field-note recipe as a complete appliance config (a golden, a docs example, a demo). */
export interface Recipe {
  name: string;
  title: string;
  seed: string;
  config: ApplianceConfigInput;
}
