import {
  instantiateTemplate,
  parseApplianceConfig,
  TandemError,
  type ApplianceConfig,
  type FieldError,
  type GenerationSummary,
  type Service,
} from '@tandem/core';
import type { GenerationService } from './generations.js';

interface EditContext {
  base: number | null;
  author: string;
  message: string;
}

function invalid(message: string, fields: FieldError[], prefix: string): TandemError {
  return new TandemError(
    'invalid_config',
    message,
    fields.map((f) => ({ ...f, path: f.path ? `${prefix}${f.path}` : prefix.replace(/\.$/, '') })),
  );
}

/**
 * Edits expressed on services (add from a template, replace, remove). Each validates the whole
 * resulting config, so cross-service rules (port clashes, names) hold, and commits one generation.
 */
export function createServiceEdits(generations: GenerationService) {
  const current = (): ApplianceConfig => {
    const latest = generations.latest();
    if (!latest) throw new TandemError('not_found', 'the unit has no configuration yet');
    return latest.config;
  };

  const commitConfig = (next: unknown, ctx: EditContext, message: string): GenerationSummary => {
    const parsed = parseApplianceConfig(next);
    if (!parsed.ok) throw invalid('the change does not validate', parsed.errors, 'config.');
    return generations.commit({
      ...ctx,
      config: parsed.value,
      message: ctx.message || message,
      origin: 'change',
    });
  };

  return {
    replaceConfig(config: unknown, ctx: EditContext): GenerationSummary {
      return commitConfig(config, ctx, 'configuration replaced');
    },
    addFromTemplate(template: string, params: unknown, ctx: EditContext): GenerationSummary {
      const built = instantiateTemplate(template, params);
      if (!built.ok)
        throw new TandemError(
          'invalid_template_params',
          `parameters of ${template} are invalid`,
          built.errors,
        );
      const cfg = current();
      const names = built.value.map((s) => s.name);
      const clash = names.find((n) => cfg.services.some((s) => s.name === n));
      if (clash)
        throw new TandemError('conflict', `a service named ${clash} already exists`, [
          { path: 'params.name', message: 'is already used' },
        ]);
      return commitConfig(
        { ...cfg, services: [...cfg.services, ...built.value] },
        ctx,
        `add ${names.join(', ')} from ${template}`,
      );
    },
    putService(name: string, service: unknown, ctx: EditContext): GenerationSummary {
      const cfg = current();
      const i = cfg.services.findIndex((s) => s.name === name);
      const services: unknown[] = [...cfg.services];
      if (i >= 0) services[i] = service;
      else services.push(service);
      return commitConfig({ ...cfg, services }, ctx, `${i >= 0 ? 'edit' : 'add'} service ${name}`);
    },
    removeService(name: string, ctx: EditContext): GenerationSummary {
      const cfg = current();
      if (!cfg.services.some((s) => s.name === name))
        throw new TandemError('not_found', `no service named ${name}`);
      return commitConfig(
        { ...cfg, services: cfg.services.filter((s: Service) => s.name !== name) },
        ctx,
        `remove service ${name}`,
      );
    },
  };
}
export type ServiceEdits = ReturnType<typeof createServiceEdits>;
