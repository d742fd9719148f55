'use client';
import { useEffect, useState } from 'react';
import { agentDown, onAgentHealth } from '../lib/agentHealth';

/** What a page shows until it has its session and data, and why it waits if the agent is away. */
export function Loading() {
  const [down, setDown] = useState(agentDown());
  useEffect(() => onAgentHealth(setDown), []);
  return (
    <main className="p-6 text-sm text-slate-500 dark:text-slate-400">
      {down ? (
        <p role="alert">
          The unit&apos;s agent is not answering (it may be restarting). Retrying every few seconds…
        </p>
      ) : (
        'Loading…'
      )}
    </main>
  );
}
