'use client';
import { Loading } from '../loadingScreen';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { SessionInfo } from '@tandem/core';
import { Nav } from '../nav';
import { SudoForm } from '../sudoForm';
import { useSession } from '../useSession';
import { PAGE_FRAME } from '../ui';

// xterm.js needs the browser: loaded on the client only.
const TerminalView = dynamic(() => import('./terminalView').then((m) => m.TerminalView), {
  ssr: false,
});

/** A shell on the unit, for admins who re-enter their password (sudo mode, 10 minutes). Audited. */
export default function TerminalPage() {
  const session = useSession();
  const [sudo, setSudo] = useState<SessionInfo | null>(null);
  if (!session) return <Loading />;
  const open = (sudo ?? session).sudoUntil !== null;
  return (
    <div className={PAGE_FRAME}>
      <Nav session={session} />
      {session.role !== 'admin' ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          The terminal is for administrators.
        </p>
      ) : open ? (
        <TerminalView />
      ) : (
        <SudoForm
          why="The terminal is a root shell on this unit. Enter your password again to open it (valid for 10 minutes)."
          action="Open the terminal"
          session={session}
          onSudo={setSudo}
        />
      )}
    </div>
  );
}
