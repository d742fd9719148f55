import { EventEmitter } from 'node:events';
import type { Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitWhenIdle, systemdSockets } from './listeners.js';

describe('socket activation', () => {
  it('takes the descriptors systemd passed to this process only', () => {
    expect(systemdSockets({ LISTEN_PID: '42', LISTEN_FDS: '2' }, 42)).toEqual([3, 4]);
    expect(systemdSockets({ LISTEN_PID: '41', LISTEN_FDS: '2' }, 42)).toEqual([]);
    expect(systemdSockets({ LISTEN_FDS: '2' }, 42)).toEqual([]);
    expect(systemdSockets({ LISTEN_PID: '42', LISTEN_FDS: 'x' }, 42)).toEqual([]);
  });
});

describe('exit when idle', () => {
  afterEach(() => vi.useRealTimers());

  it('exits after the idle time with no connection open, not while one is', () => {
    vi.useFakeTimers();
    const server = new EventEmitter() as unknown as Server;
    const exit = vi.fn();
    exitWhenIdle([server], 60_000, exit);
    const socket = new EventEmitter();
    server.emit('connection', socket);
    vi.advanceTimersByTime(120_000);
    expect(exit).not.toHaveBeenCalled();
    socket.emit('close');
    vi.advanceTimersByTime(50_000);
    expect(exit).not.toHaveBeenCalled();
    vi.advanceTimersByTime(10_000);
    expect(exit).toHaveBeenCalled();
  });
});
