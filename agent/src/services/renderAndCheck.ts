import {
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

/** Writes a rendered bundle: its map files, then the config at `configPath`. */
export async function writeBundle(
  files: FileWriter,
  bundle: HaproxyBundle,
  configPath: string,
): Promise<void> {
  for (const f of bundle.files) await files.write(f.path, f.content);
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
  await writeBundle(deps.files, bundle, configPath);
  const result = await deps.checker.check(configPath);
  return {
    ok: result.ok,
    errors: result.ok
      ? []
      : mapCheckDiagnostics(result.diagnostics, configPath, bundle.lineOrigins),
    diagnostics: result.diagnostics,
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
