import type { ApplianceConfigInput } from '../model/applianceConfig.js';
import type { NodeSettingsInput } from '../model/node.js';
import { nodeUnder } from '../examples/nodes.js';
import { parseApplianceConfig, parseNodeSettings } from '../validate.js';
import { parseHaproxyConfig, type ParsedSection } from './parseConfig.js';
import { renderHaproxy } from './renderHaproxy.js';

/** Renders a config input for tests and gives back its parsed sections. */
export function renderInput(
  input: ApplianceConfigInput,
  node: NodeSettingsInput = nodeUnder('/srv/t'),
) {
  const cfg = parseApplianceConfig(input);
  if (!cfg.ok) throw new Error(JSON.stringify(cfg.errors));
  const n = parseNodeSettings(node);
  if (!n.ok) throw new Error(JSON.stringify(n.errors));
  const bundle = renderHaproxy(cfg.value, { node: n.value, generation: 7 });
  return { bundle, sections: parseHaproxyConfig(bundle.config) };
}

/** The directives of one section as space-joined lines, for readable assertions. */
export function linesOf(sections: ParsedSection[], kind: string, name?: string): string[] {
  const s = sections.find((x) => x.kind === kind && (name === undefined || x.args[0] === name));
  if (!s) throw new Error(`no section ${kind} ${name ?? ''}`);
  return s.directives.map((d) => d.words.join(' '));
}
