import { describe, expect, it } from 'vitest';
import { findTemplate, TEMPLATES } from './catalogue.js';
import { describeTemplate } from './describeTemplate.js';

describe('describeTemplate', () => {
  it('gives a JSON Schema with hints and defaults for the form builder', () => {
    const d = describeTemplate(findTemplate('http-load-balancing')!);
    const props = d.params.properties as Record<
      string,
      { default?: unknown; ui?: { label: string } }
    >;
    expect(props.port?.default).toBe(80);
    expect(props.port?.ui?.label).toBe('Port');
    expect(props.algorithm?.default).toBe('roundrobin');
    expect(d.params.required).toEqual(['name', 'servers']);
  });

  it.each(TEMPLATES.map((t) => [t.name, t] as const))(
    '%s describes every parameter with a label',
    (_n, t) => {
      const props = describeTemplate(t).params.properties as Record<
        string,
        { ui?: { label?: string } }
      >;
      for (const [key, p] of Object.entries(props)) expect(p.ui?.label, key).toMatch(/\w/);
      expect(JSON.parse(JSON.stringify(describeTemplate(t)))).toEqual(describeTemplate(t));
    },
  );
});
