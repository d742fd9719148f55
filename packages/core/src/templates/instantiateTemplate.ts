import { TandemError, type FieldError } from '../errors.js';
import { Service } from '../model/service.js';
import { parseWith, type ParseResult } from '../validate.js';
import { findTemplate } from './catalogue.js';

/**
 * Builds the services of a template from user parameters. Parameter errors are named
 * `params.<field>` (what the form shows); a problem in the built service, which would be a bug in
 * the template, is reported with its service path rather than thrown.
 */
export function instantiateTemplate(name: string, rawParams: unknown): ParseResult<Service[]> {
  const template = findTemplate(name);
  if (!template) throw new TandemError('unknown_template', `no template named ${name}`);
  const params = parseWith(template.params, rawParams);
  if (!params.ok) {
    return {
      ok: false,
      errors: params.errors.map((e) => ({ ...e, path: e.path ? `params.${e.path}` : 'params' })),
    };
  }
  const services: Service[] = [];
  const errors: FieldError[] = [];
  template.build(params.value).forEach((input, i) => {
    const withOrigin = {
      ...input,
      template: { name: template.name, params: params.value as Record<string, never> },
    };
    const r = parseWith(Service, withOrigin);
    if (r.ok) services.push(r.value);
    else errors.push(...r.errors.map((e) => ({ ...e, path: `services[${i}].${e.path}` })));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: services };
}
