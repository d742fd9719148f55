import {
  describeTemplate,
  formatDuration,
  GOLDEN_ROOT,
  instantiateTemplate,
  nodeUnder,
  parseApplianceConfig,
  parseNodeSettings,
  renderHaproxy,
  TEMPLATES,
} from '@tandem/core';

interface JsonProp {
  type?: string;
  const?: unknown;
  default?: unknown;
  anyOf?: JsonProp[];
  enum?: unknown[];
  items?: JsonProp;
  ui?: { label?: string; help?: string; unit?: string };
}

function typeOf(p: JsonProp): string {
  if (p.const !== undefined) return `\`${JSON.stringify(p.const)}\``;
  if (p.enum) return p.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (p.anyOf) return p.anyOf.map(typeOf).join(' or ');
  if (p.type === 'array') return `list of ${p.items ? typeOf(p.items) : 'values'}`;
  return p.type ?? 'value';
}

/** The rendered sections of a template's example, without the global/defaults/admin preamble. */
function renderedExcerpt(name: string, example: unknown): string {
  const services = instantiateTemplate(name, example);
  const node = parseNodeSettings(nodeUnder(GOLDEN_ROOT));
  if (!services.ok || !node.ok) throw new Error(`example of ${name} is invalid`);
  const config = parseApplianceConfig({ schemaVersion: 1, services: services.value });
  if (!config.ok) throw new Error(`example config of ${name} is invalid`);
  const text = renderHaproxy(config.value, { node: node.value }).config;
  return text.slice(text.indexOf('# service ')).trimEnd();
}

/** docs/templates.md, generated from the catalogue so the reference cannot drift from the code. */
export function templateDocs(): string {
  const out: string[] = [
    '# Service templates',
    '',
    '<!-- Generated from packages/core/src/templates by tests/docs/templateDocs.ts; do not edit.',
    '     Regenerate with: npm run docs:update -w @tandem/tests -->',
    '',
    'A template is a form with a few parameters that builds one or more complete services. The',
    'console shows these as its gallery, `tandemctl service add --template NAME` takes the same',
    'parameters, and the service remembers which template and parameters made it so it can be',
    'reopened in the same form. Each parameter below lists its default (blank: required or optional',
    'without default). The example is the exact input of the golden config in',
    '`tests/golden/files/template/`, and the excerpt is what Tandem renders for it.',
    '',
    '| Template | What it does |',
    '| --- | --- |',
    ...TEMPLATES.map((t) => `| [${t.title}](#${t.name}) | ${t.summary} |`),
    '',
  ];
  for (const t of TEMPLATES) {
    const d = describeTemplate(t);
    const props = (d.params.properties ?? {}) as Record<string, JsonProp>;
    const required = new Set((d.params.required ?? []) as string[]);
    out.push(
      `## ${t.title} <a id="${t.name}"></a>`,
      '',
      `Template name: \`${t.name}\`. ${t.summary}`,
      '',
    );
    if (t.recipe) out.push(`From the field notes: ${t.recipe}.`, '');
    out.push('| Parameter | Label | Type | Default | Help |', '| --- | --- | --- | --- | --- |');
    for (const [key, p] of Object.entries(props)) {
      // Durations are shown and typed as HAProxy users write them: `5s`, not 5000.
      const duration = p.ui?.unit === 'duration';
      const def =
        p.default === undefined
          ? required.has(key)
            ? '*required*'
            : ''
          : duration && typeof p.default === 'number'
            ? `\`${formatDuration(p.default)}\``
            : `\`${JSON.stringify(p.default)}\``;
      const type = duration ? 'duration (`500ms`, `30s`, `5m`, `1h`)' : typeOf(p);
      const unit = p.ui?.unit && !duration ? ` (${p.ui.unit})` : '';
      out.push(
        `| \`${key}\` | ${p.ui?.label ?? ''} | ${type}${unit} | ${def} | ${p.ui?.help ?? ''} |`,
      );
    }
    out.push(
      '',
      'Example parameters:',
      '',
      '```json',
      JSON.stringify(d.example, null, 2),
      '```',
      '',
    );
    out.push(
      'Rendered (the service sections of haproxy.cfg):',
      '',
      '```haproxy',
      renderedExcerpt(t.name, t.example),
      '```',
      '',
    );
  }
  return out.join('\n');
}
