'use client';
import { useEffect, useState } from 'react';
import type { StatusResponse } from '@tandem/core';
import { api } from '../../lib/api';

/**
 * Nothing lost silently: when HAProxy had to drop log lines (the agent fell behind) or the agent
 * could not store some, the Logs page says how many, so a gap in the table is never a mystery.
 */
export function DroppedNotice({ refresh }: { refresh: string }) {
  const [logs, setLogs] = useState<StatusResponse['logs']>(null);
  useEffect(() => {
    api<StatusResponse>('GET', '/v1/status')
      .then((s) => setLogs(s.logs))
      .catch(() => setLogs(null));
  }, [refresh]);
  if (!logs || (logs.droppedByHaproxy === 0 && logs.dropped === 0)) return null;
  return (
    <p
      role="status"
      className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
    >
      {logs.droppedByHaproxy > 0 &&
        `HAProxy dropped ${logs.droppedByHaproxy} log line(s) since the agent started: the agent fell behind. `}
      {logs.dropped > 0 && `The agent could not store ${logs.dropped} line(s).`}
    </p>
  );
}
