import { TandemError } from '../errors.js';
import type { ApplianceConfig } from '../model/applianceConfig.js';
import { TEMPLATES } from '../templates/catalogue.js';
import { instantiateTemplate } from '../templates/instantiateTemplate.js';
import { parseApplianceConfig } from '../validate.js';
import { RECIPES } from './seedRecipes.js';

export interface ExampleConfig {
  /** File-name safe; goldens are stored as `<kind>/<name>.cfg`. */
  name: string;
  kind: 'template' | 'recipe';
  title: string;
  config: ApplianceConfig;
}

/** One config per template (its documented example) and one per seed recipe. */
export function exampleConfigs(): ExampleConfig[] {
  const out: ExampleConfig[] = [];
  for (const t of TEMPLATES) {
    const services = instantiateTemplate(t.name, t.example);
    if (!services.ok)
      throw new TandemError(
        'invalid_template_params',
        `example of ${t.name} is invalid`,
        services.errors,
      );
    out.push({
      name: t.name,
      kind: 'template',
      title: t.title,
      config: mustParse({ schemaVersion: 1, services: services.value }),
    });
  }
  for (const r of RECIPES)
    out.push({ name: r.name, kind: 'recipe', title: r.title, config: mustParse(r.config) });
  return out;
}

function mustParse(input: unknown): ApplianceConfig {
  const r = parseApplianceConfig(input);
  if (!r.ok) throw new TandemError('invalid_config', 'example config is invalid', r.errors);
  return r.value;
}
