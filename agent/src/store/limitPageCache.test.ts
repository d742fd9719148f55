import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { limitPageCache } from './limitPageCache.js';
import { openTelemetryDb } from './openTelemetryDb.js';

describe('page cache per connection', () => {
  it("is 2 MiB, not better-sqlite3's 16", () => {
    const plain = new Database(':memory:');
    // What the build gives a connection left alone: the reason for the limit.
    expect(plain.pragma('cache_size', { simple: true })).toBe(-16000);
    limitPageCache(plain);
    expect(plain.pragma('cache_size', { simple: true })).toBe(-2048);
    expect(openTelemetryDb(':memory:').pragma('cache_size', { simple: true })).toBe(-2048);
  });
});
