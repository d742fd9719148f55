import {
  ChangeRequest,
  describeTemplate,
  findTemplate,
  RemoveServiceRequest,
  ServiceRequest,
  serviceReference,
  TandemError,
  type ReferenceField,
  TEMPLATES,
  TemplateServiceRequest,
} from '@tandem/core';
import type { GenerationService } from '../services/generations.js';
import type { EditContext, ServiceEdits } from '../services/serviceEdits.js';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';

/** `?dryRun=true`: validate and answer the diff the edit would make, commit nothing. */
function editContext(
  r: { base: number | null; message: string },
  author: string,
  query: URLSearchParams,
): EditContext {
  return { base: r.base, author, message: r.message, dryRun: query.get('dryRun') === 'true' };
}

/** The desired configuration edited as whole services, the template catalogue, the model reference. */
export function createServiceRoutes(d: {
  generations: GenerationService;
  edits: ServiceEdits;
}): Route[] {
  const latestOrThrow = () => {
    const g = d.generations.latest();
    if (!g) throw new TandemError('not_found', 'the unit has no configuration yet');
    return g;
  };
  // The model does not change while the agent runs: worked out once, when first asked.
  let reference: ReferenceField[] | undefined;
  return [
    {
      method: 'PUT',
      path: '/v1/config',
      summary: 'Replace the whole configuration (a new generation on top of base; ?dryRun=true)',
      handler: ({ body, author, query }) => {
        const r = parse(ChangeRequest, body);
        return d.edits.replaceConfig(r.config, editContext(r, author, query));
      },
    },
    {
      method: 'GET',
      path: '/v1/services',
      summary: 'Services of the desired configuration',
      handler: () =>
        latestOrThrow().config.services.map((s) => ({
          name: s.name,
          mode: s.mode,
          enabled: s.enabled,
          binds: s.binds,
          backends: s.backends.map((b) => ({ name: b.name, servers: b.servers.length })),
          template: s.template?.name ?? null,
        })),
    },
    {
      method: 'GET',
      path: '/v1/services/:name',
      summary: 'One service',
      handler: ({ params }) => {
        const s = latestOrThrow().config.services.find((x) => x.name === params.name);
        if (!s) throw new TandemError('not_found', `no service named ${params.name ?? ''}`);
        return s;
      },
    },
    {
      method: 'POST',
      path: '/v1/services',
      summary: 'Add services from a template (?dryRun=true)',
      handler: ({ body, author, query }) => {
        const r = parse(TemplateServiceRequest, body);
        return d.edits.addFromTemplate(r.template, r.params, editContext(r, author, query));
      },
    },
    {
      method: 'PUT',
      path: '/v1/services/:name/template',
      summary: 'Edit a service through its template again (?dryRun=true)',
      handler: ({ params, body, author, query }) => {
        const r = parse(TemplateServiceRequest, body);
        return d.edits.editFromTemplate(
          params.name ?? '',
          r.template,
          r.params,
          editContext(r, author, query),
        );
      },
    },
    {
      method: 'PUT',
      path: '/v1/services/:name',
      summary: 'Add or replace one service (?dryRun=true)',
      handler: ({ params, body, author, query }) => {
        const r = parse(ServiceRequest, body);
        return d.edits.putService(params.name ?? '', r.service, editContext(r, author, query));
      },
    },
    {
      method: 'POST',
      path: '/v1/services/:name/remove',
      summary: 'Remove one service (?dryRun=true)',
      handler: ({ params, body, author, query }) => {
        const r = parse(RemoveServiceRequest, body);
        return d.edits.removeService(params.name ?? '', editContext(r, author, query));
      },
    },
    {
      method: 'GET',
      path: '/v1/reference/service',
      summary:
        "Every field of a service: type, rule, default and help (the console's model reference)",
      handler: () => (reference ??= serviceReference()),
    },
    {
      method: 'GET',
      path: '/v1/templates',
      summary: 'The service-template catalogue',
      handler: () => TEMPLATES.map(describeTemplate),
    },
    {
      method: 'GET',
      path: '/v1/templates/:name',
      summary: 'One template with its parameter schema',
      handler: ({ params }) => {
        const t = findTemplate(params.name ?? '');
        if (!t) throw new TandemError('unknown_template', `no template named ${params.name ?? ''}`);
        return describeTemplate(t);
      },
    },
  ];
}
