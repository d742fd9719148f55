import type { EditResponse } from '@tandem/core';
import type { ApiClient } from './apiClient.js';
import { applySets, flag, UsageError, type ParsedArgs } from './parseArgs.js';
import { table } from './table.js';

/** What an edit did: the generation it committed, or (--dry-run) the haproxy.cfg diff it would make. */
export function describeEdit(r: EditResponse): string {
  return 'preview' in r
    ? r.preview.haproxy || 'no change to haproxy.cfg'
    : `generation ${r.generation.number} committed (${r.generation.message}); run "tandemctl apply" to make it live`;
}

async function desired(api: ApiClient): Promise<number | null> {
  return (await api.get<{ desired: number | null }>('/v1/status')).desired;
}

/** `tandemctl service ...` and `tandemctl template ...`: services of the desired configuration. */
export async function runServiceCommand(
  key: string,
  rest: readonly string[],
  c: { api: ApiClient; a: ParsedArgs; out: (line: string) => void; json: boolean; message: string },
): Promise<number> {
  const { api, a, out, message } = c;
  const print = (value: unknown, human: () => string) =>
    out(c.json ? JSON.stringify(value, null, 2) : human());
  // --dry-run: the agent validates the edit and answers the haproxy.cfg diff it would make.
  const dry = a.flags.has('dry-run') ? '?dryRun=true' : '';
  const committed = (r: EditResponse) => print(r, () => describeEdit(r));
  switch (key) {
    case 'service list': {
      const list = await api.get<
        {
          name: string;
          mode: string;
          enabled: boolean;
          binds: { address?: string; vip?: string; port: number }[];
          backends: { name: string; servers: number }[];
          template: string | null;
        }[]
      >('/v1/services');
      print(list, () =>
        list.length === 0
          ? 'no services (add one: tandemctl service add --template http-load-balancing --set name=web --set servers=198.18.0.11:8080)'
          : table([
              ['NAME', 'MODE', 'LISTEN', 'BACKENDS', 'TEMPLATE'],
              ...list.map((s) => [
                s.enabled ? s.name : `${s.name} (disabled)`,
                s.mode,
                s.binds.map((b) => `${b.vip ?? b.address ?? '*'}:${b.port}`).join(','),
                s.backends.map((b) => `${b.name}(${b.servers})`).join(','),
                s.template ?? '-',
              ]),
            ]),
      );
      return 0;
    }
    case 'service show': {
      const s = await api.get(`/v1/services/${encodeURIComponent(rest[0] ?? '')}`);
      out(JSON.stringify(s, null, 2));
      return 0;
    }
    case 'service add': {
      const template = flag(a, 'template');
      if (!template) throw new UsageError('service add needs --template NAME');
      const params = applySets({}, a.flags.get('set') ?? []);
      committed(
        await api.send('POST', `/v1/services${dry}`, {
          base: await desired(api),
          template,
          params,
          message,
        }),
      );
      return 0;
    }
    case 'service edit': {
      const name = rest[0] ?? '';
      const service = applySets(
        await api.get(`/v1/services/${encodeURIComponent(name)}`),
        a.flags.get('set') ?? [],
      );
      delete service.template;
      committed(
        await api.send('PUT', `/v1/services/${encodeURIComponent(name)}${dry}`, {
          base: await desired(api),
          service,
          message,
        }),
      );
      return 0;
    }
    case 'service rm': {
      const name = rest[0] ?? '';
      committed(
        await api.send('POST', `/v1/services/${encodeURIComponent(name)}/remove${dry}`, {
          base: await desired(api),
          message,
        }),
      );
      return 0;
    }
    case 'template list': {
      const list =
        await api.get<{ name: string; title: string; summary: string }[]>('/v1/templates');
      print(list, () => table([['NAME', 'WHAT IT DOES'], ...list.map((t) => [t.name, t.summary])]));
      return 0;
    }
    case 'template show': {
      const t = await api.get<{
        params: {
          properties?: Record<
            string,
            { ui?: { label?: string; help?: string }; default?: unknown }
          >;
          required?: string[];
        };
      }>(`/v1/templates/${encodeURIComponent(rest[0] ?? '')}`);
      print(t, () => {
        const req = new Set(t.params.required ?? []);
        return table([
          ['PARAMETER', 'DEFAULT', 'LABEL / HELP'],
          ...Object.entries(t.params.properties ?? {}).map(([k, p]) => [
            k,
            p.default !== undefined ? JSON.stringify(p.default) : req.has(k) ? '(required)' : '',
            `${p.ui?.label ?? ''}${p.ui?.help ? `: ${p.ui.help}` : ''}`,
          ]),
        ]);
      });
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${key}"`);
  }
}
