'use client';
import { useEffect, useRef } from 'react';

/**
 * For a form that opens somewhere down the page (below the gallery, above a long list): bring it
 * into view once, with its first field focused, so keyboard and screen-reader users land in it.
 */
export function useReveal<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    ref.current
      ?.querySelector<HTMLElement>('input, select, textarea')
      ?.focus({ preventScroll: true });
  }, []);
  return ref;
}
