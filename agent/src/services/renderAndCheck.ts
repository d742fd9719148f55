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

/**
 * Renders a config, writes it and its map files, and asks HAProxy whether it would load it.
 * The first half of an apply: the agent issue adds the swap into place, the reload and the
 * verification; the example runner and the golden tests use it as it is.
 */
export async function renderAndCheck(
  deps: RenderAndCheckDeps,
  input: RenderAndCheckInput,
): Promise<RenderAndCheckResult> {
  const bundle = renderHaproxy(input.config, {
    node: input.node,
    ...(input.generation !== undefined ? { generation: input.generation } : {}),
  });
  for (const f of bundle.files) await deps.files.write(f.path, f.content);
  await deps.files.write(input.configPath, bundle.config);
  const result = await deps.checker.check(input.configPath);
  return {
    ok: result.ok,
    bundle,
    errors: result.ok
      ? []
      : mapCheckDiagnostics(result.diagnostics, input.configPath, bundle.lineOrigins),
    diagnostics: result.diagnostics,
  };
}
