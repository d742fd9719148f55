'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { SessionInfo } from '@tandem/core';
import { api, ApiError } from '../lib/api';

/** The signed-in user, or a redirect to setup or sign-in (the agent decides, not the page). */
export function useSession(): SessionInfo | null {
  const router = useRouter();
  const [session, setSession] = useState<SessionInfo | null>(null);
  useEffect(() => {
    let retry: ReturnType<typeof setTimeout> | undefined;
    const ask = () =>
      api<SessionInfo>('GET', '/v1/auth/session').then(setSession, async (e: unknown) => {
        if (e instanceof ApiError && e.status === 401) {
          const s = await api<{ setupRequired: boolean }>('GET', '/v1/auth/state');
          const next = encodeURIComponent(window.location.pathname + window.location.search);
          router.replace(s.setupRequired ? '/setup' : `/login?next=${next}`);
        } else retry = setTimeout(() => void ask(), 3_000); // the agent may be restarting
      });
    void ask();
    return () => clearTimeout(retry);
  }, [router]);
  return session;
}
