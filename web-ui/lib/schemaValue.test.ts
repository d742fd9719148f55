import { describe, expect, it } from 'vitest';
import { cleanValue, displayValue, initialValue, type JsonSchema } from './schemaValue';

const endpoint: JsonSchema = {
  type: 'object',
  properties: {
    address: { type: 'string' },
    port: { type: 'integer' },
    weight: { type: 'integer', default: 1 },
  },
  required: ['address', 'port'],
};
const schema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    port: { type: 'integer', default: 3306 },
    master: endpoint,
    replicas: { type: 'array', items: endpoint },
    sources: { type: 'array', items: { type: 'string' }, default: [] },
    vip: { type: 'string' },
  },
  required: ['name', 'master', 'replicas'],
};

describe('template form values', () => {
  it('start from defaults, with required objects and one row of each required list', () => {
    expect(initialValue(schema)).toEqual({
      port: 3306,
      master: { weight: 1 },
      replicas: [{ weight: 1 }],
      sources: [],
    });
  });

  it('become what the agent validates: numbers, nested objects, comma lists, no empty optionals', () => {
    const typed = {
      name: 'db',
      port: '4306',
      master: { address: '198.18.0.81', port: '3306', weight: 1 },
      replicas: [{ address: '198.18.0.82', port: '3306', weight: '3' }],
      sources: '198.18.1.1, 198.18.1.2 198.18.1.3,',
      vip: '',
    };
    expect(cleanValue(schema, typed)).toEqual({
      name: 'db',
      port: 4306,
      master: { address: '198.18.0.81', port: 3306, weight: 1 },
      replicas: [{ address: '198.18.0.82', port: 3306, weight: 3 }],
      sources: ['198.18.1.1', '198.18.1.2', '198.18.1.3'],
    });
  });

  it('round-trip stored parameters (an edit reopens what was saved) unchanged', () => {
    const saved = {
      name: 'db',
      port: 3306,
      master: { address: '198.18.0.81', port: 3306, weight: 1 },
      replicas: [{ address: '198.18.0.82', port: 3306, weight: 3 }],
      sources: ['198.18.1.1'],
    };
    expect(cleanValue(schema, saved)).toEqual(saved);
    expect(displayValue(saved.sources)).toBe('198.18.1.1');
    expect(displayValue(undefined)).toBe('');
    expect(displayValue(8080)).toBe('8080');
  });

  it('show durations as HAProxy users write them and send what they typed', () => {
    const d: JsonSchema = {
      type: 'object',
      properties: { interval: { type: 'integer', default: 2000, ui: { unit: 'duration' } } },
    };
    const interval = d.properties?.interval ?? {};
    expect(displayValue(2000, interval)).toBe('2s');
    expect(displayValue(90_000, interval)).toBe('90s');
    expect(displayValue(3_600_000, interval)).toBe('1h');
    // Untouched: the stored milliseconds; typed: the text, which the agent parses or names.
    expect(cleanValue(d, { interval: 2000 })).toEqual({ interval: 2000 });
    expect(cleanValue(d, { interval: ' 5m ' })).toEqual({ interval: '5m' });
    expect(cleanValue(d, { interval: '5 minutes' })).toEqual({ interval: '5 minutes' });
  });

  it('keep a value the user typed wrong, for the agent to name the field', () => {
    expect(cleanValue(schema, { name: 'db', port: '80x' })).toEqual({ name: 'db', port: NaN });
  });
});
