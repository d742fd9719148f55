import { describe, expect, it } from 'vitest';
import { parseVrrpNotify } from './vrrpNotify.js';

describe('parseVrrpNotify', () => {
  it.each([
    ['INSTANCE "edge" MASTER 150', { instance: 'edge', state: 'MASTER', priority: 150 }],
    ['INSTANCE "edge" BACKUP 100\n', { instance: 'edge', state: 'BACKUP', priority: 100 }],
    ['INSTANCE "web.1" FAULT 0', { instance: 'web.1', state: 'FAULT', priority: 0 }],
    ['INSTANCE "edge" STOP 150', { instance: 'edge', state: 'STOP', priority: 150 }],
  ])('reads %j', (line, want) => expect(parseVrrpNotify(line)).toEqual(want));

  it.each([
    'GROUP "g" MASTER 0',
    'INSTANCE "edge" MASTER_RX_LOWER_PRI 150',
    'INSTANCE "edge" MASTER',
    'INSTANCE edge MASTER 150',
    'VS "x" UP',
    '',
  ])('ignores %j', (line) => expect(parseVrrpNotify(line)).toBeNull());
});
