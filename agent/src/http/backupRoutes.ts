import {
  BACKUP_FORMAT,
  parseApplianceConfig,
  RestoreRequest,
  TandemError,
  type Backup,
} from '@tandem/core';
import { parse } from './routeParsing.js';
import type { Route } from './router.js';
import type { RouteDeps } from './routes.js';

/** The whole history as one file, and restoring one of its generations as a new generation. */
export function createBackupRoutes(
  d: Pick<RouteDeps, 'generations' | 'unitName' | 'edits'>,
): Route[] {
  return [
    {
      method: 'GET',
      path: '/v1/backup',
      summary:
        'Every generation with its configuration, author and message, as one JSON document (no users or secrets)',
      handler: (): Backup => {
        const all = [];
        let before: number | undefined;
        for (;;) {
          const page = d.generations.history(1000, before);
          all.push(...page);
          if (page.length < 1000) break;
          before = page.at(-1)?.number;
        }
        return {
          format: BACKUP_FORMAT,
          version: 1,
          unit: d.unitName,
          createdAt: new Date().toISOString(),
          running: d.generations.running(),
          generations: all.reverse().map((s) => ({
            number: s.number,
            author: s.author,
            message: s.message,
            origin: s.origin,
            createdAt: s.createdAt,
            config: d.generations.get(s.number).config,
          })),
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/restore',
      summary:
        'Restore a generation of a backup (validated like any change) as a new generation; apply it to make it live. ?dryRun=true: validate and answer what it would change, commit nothing',
      handler: ({ body, author, query }) => {
        const r = parse(RestoreRequest, body);
        const list = r.backup.generations;
        const chosen =
          r.generation === undefined ? list.at(-1) : list.find((g) => g.number === r.generation);
        if (!chosen)
          throw new TandemError(
            'bad_request',
            `the backup has no generation ${r.generation ?? ''}`,
            [{ path: 'generation', message: 'not in this backup' }],
          );
        const config = parseApplianceConfig(chosen.config);
        if (!config.ok)
          throw new TandemError(
            'invalid_config',
            `generation ${chosen.number} of the backup does not validate`,
            config.errors.map((e) => ({
              path: `backup.generations[${list.indexOf(chosen)}].config.${e.path}`,
              message: e.message,
            })),
          );
        if (query.get('dryRun') === 'true') return { preview: d.edits.preview(config.value) };
        return {
          generation: d.generations.commit({
            base: r.base,
            config: config.value,
            author,
            message: `restored generation ${chosen.number} of unit ${r.backup.unit} (backup of ${r.backup.createdAt})`,
            origin: 'restore',
          }),
        };
      },
    },
  ];
}
