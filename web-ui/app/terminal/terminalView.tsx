'use client';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';

/**
 * xterm.js over a WebSocket to a PTY the agent opens for this session. Resizes follow the
 * window; copy and paste go through the clipboard with Ctrl+Shift+C/V; when the connection
 * ends, a button reconnects (a new shell).
 */
export function TerminalView() {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'connecting' | 'open' | 'closed'>('connecting');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!box.current) return;
    // A line height of 1 clips what hangs below the baseline: underscores vanished (`x86_64`
    // read "x86 64"). 1.2 gives them their row back.
    const term = new Terminal({
      cursorBlink: true,
      fontSize: 14,
      lineHeight: 1.2,
      convertEol: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(box.current);
    fit.fit();
    const ws = new WebSocket(`wss://${window.location.host}/api/v1/terminal`);
    const send = (m: unknown) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m));
    };
    ws.onopen = () => {
      setState('open');
      send({ type: 'resize', cols: term.cols, rows: term.rows });
      term.focus();
    };
    ws.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data)) as {
        type: string;
        data?: string;
        code?: number | null;
        reason?: string;
      };
      if (m.type === 'output' && m.data) term.write(m.data);
      // The agent ends the shell itself when the session no longer allows it (sign-out, role
      // change, end of the sudo window), and says why.
      if (m.type === 'exit')
        term.write(
          m.reason
            ? `\r\n[terminal closed: ${m.reason}]\r\n`
            : `\r\n[shell exited with ${m.code ?? '?'}]\r\n`,
        );
    };
    ws.onclose = () => setState('closed');
    const input = term.onData((data) => send({ type: 'input', data }));
    // Ctrl+C belongs to the shell; copy and paste take Shift as well, as in desktop terminals.
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      if (e.code === 'KeyC' && term.hasSelection()) {
        void navigator.clipboard.writeText(term.getSelection());
        return false;
      }
      if (e.code === 'KeyV') {
        void navigator.clipboard.readText().then((text) => term.paste(text));
        return false;
      }
      return true;
    });
    const onResize = () => {
      fit.fit();
      send({ type: 'resize', cols: term.cols, rows: term.rows });
    };
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      input.dispose();
      ws.close();
      term.dispose();
    };
  }, [attempt]);
  return (
    <div>
      <div className="mb-2 flex items-center gap-3 text-sm">
        <span data-testid="terminal-state">
          {state === 'open' ? 'Connected' : state === 'connecting' ? 'Connecting…' : 'Disconnected'}
        </span>
        <span className="text-slate-500 dark:text-slate-400">
          Copy: select, then Ctrl+Shift+C. Paste: Ctrl+Shift+V.
        </span>
        {state === 'closed' && (
          <button
            onClick={() => setAttempt((a) => a + 1)}
            className="rounded border border-slate-300 px-2 py-0.5 dark:border-slate-700"
          >
            Reconnect
          </button>
        )}
      </div>
      {/* The padding is the frame's, not the terminal's: fitted to a padded box, the terminal
          took the box's full height and showed a strip below it. */}
      <div data-testid="terminal-frame" className="h-[60vh] rounded bg-black p-2">
        <div ref={box} className="h-full w-full" />
      </div>
    </div>
  );
}
