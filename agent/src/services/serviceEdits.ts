import {
  oldWorkerPolicy,
  instantiateTemplate,
  parseApplianceConfig,
  TandemError,
  unifiedDiff,
  type ApplianceConfig,
  type EditPreview,
  type EditResponse,
  type FieldError,
  type Service,
} from '@tandem/core';
import type { GenerationService } from './generations.js';
import { carryOperatorChanges, sameOrigin } from './templateEdit.js';

export interface EditContext {
  base: number | null;
  author: string;
  message: string;
  /** Validate and show what would change, commit nothing. */
  dryRun?: boolean;
}

/** One edit: from the desired config to the next one, with the message it commits under. */
type Edit = (cfg: ApplianceConfig) => { next: unknown; message: string };

function invalid(message: string, fields: FieldError[], prefix: string): TandemError {
  return new TandemError(
    'invalid_config',
    message,
    fields.map((f) => ({ ...f, path: f.path ? `${prefix}${f.path}` : prefix.replace(/\.$/, '') })),
  );
}

function buildTemplate(template: string, params: unknown): Service[] {
  const built = instantiateTemplate(template, params);
  if (!built.ok)
    throw new TandemError(
      'invalid_template_params',
      `parameters of ${template} are invalid`,
      built.errors,
    );
  return built.value;
}

function refuseClash(names: string[], others: Service[]): void {
  const clash = names.find((n) => others.some((s) => s.name === n));
  if (clash)
    throw new TandemError('conflict', `a service named ${clash} already exists`, [
      { path: 'params.name', message: 'is already used' },
    ]);
}

/**
 * Edits expressed on services (add from a template, edit through the template again, replace,
 * remove). Each validates the whole resulting config, so cross-service rules (port clashes,
 * names) hold, then either commits one generation or, as a dry run, answers the diff it would make.
 */
export function createServiceEdits(deps: {
  generations: GenerationService;
  /** The haproxy.cfg a config renders to as generation `number`. */
  render: (config: ApplianceConfig, number: number) => string;
  running: () => number | null;
  /** Connections open on the current worker now (the stats sampler's last look), if known. */
  openConnections?: () => number | null;
  /** What the unit must hold for a configuration (stored certificates): field errors if not. */
  references?: (config: ApplianceConfig) => FieldError[];
}) {
  const { generations } = deps;
  const current = (): ApplianceConfig => {
    const latest = generations.latest();
    if (!latest) throw new TandemError('not_found', 'the unit has no configuration yet');
    return latest.config;
  };

  const preview = (next: ApplianceConfig): EditPreview => {
    const latest = generations.latest();
    const number = (latest?.summary.number ?? 0) + 1;
    const running = deps.running();
    const haproxyCfg = deps.render(next, number);
    const before = running === null ? '' : deps.render(generations.get(running).config, running);
    return {
      haproxyCfg,
      haproxy: unifiedDiff(before, haproxyCfg, [
        running === null ? 'nothing running' : `generation ${running} (running)`,
        'proposed',
      ]),
      config: unifiedDiff(
        latest ? JSON.stringify(latest.config, null, 2) : '',
        JSON.stringify(next, null, 2),
        [latest ? `generation ${latest.summary.number} (desired)` : 'empty', 'proposed'],
      ),
      reload: {
        openConnections: deps.openConnections?.() ?? null,
        graceMs: oldWorkerPolicy(next).graceMs,
      },
    };
  };

  const run = (edit: Edit, ctx: EditContext): EditResponse => {
    const { next, message } = edit(current());
    const parsed = parseApplianceConfig(next);
    if (!parsed.ok) throw invalid('the change does not validate', parsed.errors, 'config.');
    const missing = deps.references?.(parsed.value) ?? [];
    if (missing.length > 0)
      throw invalid('the change names what the unit does not have', missing, 'config.');
    if (ctx.dryRun) return { preview: preview(parsed.value) };
    return {
      generation: generations.commit({
        base: ctx.base,
        author: ctx.author,
        config: parsed.value,
        message: ctx.message || message,
        origin: 'change',
      }),
    };
  };

  return {
    /** What committing `config` would change (a restore's confirmation shows it first). */
    preview,
    replaceConfig: (config: unknown, ctx: EditContext) =>
      run(() => ({ next: config, message: 'configuration replaced' }), ctx),

    addFromTemplate: (template: string, params: unknown, ctx: EditContext) =>
      run((cfg) => {
        const built = buildTemplate(template, params);
        const names = built.map((s) => s.name);
        refuseClash(names, cfg.services);
        return {
          next: { ...cfg, services: [...cfg.services, ...built] },
          message: `add ${names.join(', ')} from ${template}`,
        };
      }, ctx),

    /**
     * Reopens a service in its template form: the services that one instantiation made are
     * replaced by what the template makes of the new parameters, in place. What an operator
     * changed live (drain, weight) survives for servers that keep their place.
     */
    editFromTemplate: (name: string, template: string, params: unknown, ctx: EditContext) =>
      run((cfg) => {
        const old = cfg.services.find((s) => s.name === name);
        if (!old) throw new TandemError('not_found', `no service named ${name}`);
        if (!old.template)
          throw new TandemError(
            'conflict',
            `service ${name} was not made from a template: edit it as a whole service instead`,
          );
        if (old.template.name !== template)
          throw new TandemError(
            'bad_request',
            `service ${name} was made from ${old.template.name}, not ${template}`,
            [{ path: 'template', message: `must be ${old.template.name}` }],
          );
        const siblings = cfg.services.filter((s) => sameOrigin(s.template, old.template));
        const others = cfg.services.filter((s) => !siblings.includes(s));
        const built = carryOperatorChanges(
          buildTemplate(template, params),
          siblings,
          buildTemplate(template, old.template.params),
        );
        refuseClash(
          built.map((s) => s.name),
          others,
        );
        const at = cfg.services.indexOf(siblings[0] ?? old);
        const before = cfg.services.slice(0, at).filter((s) => !siblings.includes(s));
        const after = cfg.services.slice(at).filter((s) => !siblings.includes(s));
        return {
          next: { ...cfg, services: [...before, ...built, ...after] },
          message: `edit ${built.map((s) => s.name).join(', ')} through ${template}`,
        };
      }, ctx),

    putService: (name: string, service: unknown, ctx: EditContext) =>
      run((cfg) => {
        const i = cfg.services.findIndex((s) => s.name === name);
        const services: unknown[] = [...cfg.services];
        if (i >= 0) services[i] = service;
        else services.push(service);
        return {
          next: { ...cfg, services },
          message: `${i >= 0 ? 'edit' : 'add'} service ${name}`,
        };
      }, ctx),

    removeService: (name: string, ctx: EditContext) =>
      run((cfg) => {
        if (!cfg.services.some((s) => s.name === name))
          throw new TandemError('not_found', `no service named ${name}`);
        return {
          next: { ...cfg, services: cfg.services.filter((s: Service) => s.name !== name) },
          message: `remove service ${name}`,
        };
      }, ctx),
  };
}
export type ServiceEdits = ReturnType<typeof createServiceEdits>;
