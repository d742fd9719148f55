import {
  EMPTY_SERVER_STATE,
  mapCheckDiagnostics,
  renderHaproxy,
  type ApplianceConfig,
  type CheckDiagnostic,
  type FieldError,
  type HaproxyBundle,
  type NodeSettings,
} from '@tandem/core';
import type { FileWriter } from '../adapters/atomicFiles.js';
import type { HaproxyChecker } from '../adapters/haproxyChecker.js';

export interface RenderAndCheckDeps {
  files: FileWriter;
  checker: HaproxyChecker;
}

export interface RenderAndCheckInput {
  config: ApplianceConfig;
  node: NodeSettings;
  generation?: number;
  /** Where the candidate haproxy.cfg is written; never the running file. */
  configPath: string;
}

export interface RenderAndCheckResult {
  ok: boolean;
  bundle: HaproxyBundle;
  /** HAProxy's complaints, mapped to the model fields that produced the offending lines. */
  errors: FieldError[];
  diagnostics: CheckDiagnostic[];
}

/**
 * Writes a rendered bundle: its map files, an empty server-state file where none was saved yet
 * (HAProxy checks and loads it), then the config at `configPath`.
 */
export async function writeBundle(
  files: FileWriter,
  bundle: HaproxyBundle,
  configPath: string,
): Promise<void> {
  for (const f of bundle.files) await files.write(f.path, f.content);
  if ((await files.read(bundle.serverStateFile)) === null)
    await files.write(bundle.serverStateFile, EMPTY_SERVER_STATE);
  await files.write(configPath, bundle.config);
}

/**
 * Writes a rendered bundle and asks HAProxy whether it would load it, with its complaints
 * mapped to the model fields behind the lines. The check step of every apply.
 */
export async function checkBundle(
  deps: RenderAndCheckDeps,
  bundle: HaproxyBundle,
  configPath: string,
): Promise<Omit<RenderAndCheckResult, 'bundle'>> {
  await writeBundle(deps.files, forCheck(bundle), configPath);
  await deps.files.write(checkStateFile(bundle), EMPTY_SERVER_STATE);
  const result = await deps.checker.check(configPath);
  return {
    ok: result.ok,
    errors: result.ok
      ? []
      : mapCheckDiagnostics(result.diagnostics, configPath, bundle.lineOrigins),
    diagnostics: result.diagnostics,
  };
}

const checkStateFile = (bundle: HaproxyBundle) => `${bundle.serverStateFile}.check`;

/**
 * The candidate as checked: identical but for the server-state file, which is an empty one. A
 * check that loads the real state reports every DOWN server as a warning ("changed from
 * server-state after a reload"), which the zero-warning check would refuse; state is not config.
 */
function forCheck(bundle: HaproxyBundle): HaproxyBundle {
  const line = `server-state-file ${bundle.serverStateFile}\n`;
  if (!bundle.config.includes(line))
    throw new Error('the rendered config names no server-state file');
  return {
    ...bundle,
    config: bundle.config.replace(line, `server-state-file ${checkStateFile(bundle)}\n`),
  };
}

/** Renders a config and checks it (the example runner and the golden tests). */
export async function renderAndCheck(
  deps: RenderAndCheckDeps,
  input: RenderAndCheckInput,
): Promise<RenderAndCheckResult> {
  const bundle = renderHaproxy(input.config, {
    node: input.node,
    ...(input.generation !== undefined ? { generation: input.generation } : {}),
  });
  return { bundle, ...(await checkBundle(deps, bundle, input.configPath)) };
}
