import { z } from 'zod';
import type { ServiceTemplate } from './serviceTemplate.js';
import { withInputDefaults } from '../model/hints.js';

export interface TemplateDescription {
  name: string;
  title: string;
  summary: string;
  recipe?: string;
  /** JSON Schema of the parameters (input side), with each field's `ui` hint and default. */
  params: Record<string, unknown>;
  example: unknown;
}

/**
 * What the console's form builder, the API and the docs know about a template: one JSON
 * document derived from the same schema that validates the parameters.
 */
export function describeTemplate(t: ServiceTemplate): TemplateDescription {
  return {
    name: t.name,
    title: t.title,
    summary: t.summary,
    ...(t.recipe !== undefined ? { recipe: t.recipe } : {}),
    params: withInputDefaults(
      z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    ),
    example: t.example,
  };
}
