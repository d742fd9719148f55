import { referencePathOf } from '@tandem/core';

/**
 * A field path of the whole configuration in the words of the page: `services[3].binds[0].port`
 * becomes `service "web": binds[0].port`, by the services' order in the configuration (what the
 * agent numbers them by). An index the page does not know stays as it is.
 */
export function namedFieldPath(path: string, serviceNames: readonly string[]): string {
  const bare = path.replace(/^config\./, '');
  const m = /^services\[(\d+)\]\.?(.*)$/.exec(bare);
  const name = m ? serviceNames[Number(m[1])] : undefined;
  if (!m || name === undefined) return bare;
  return m[2] ? `service "${name}": ${m[2]}` : `service "${name}"`;
}

/** The id of a field's row on the model reference page. */
export const referenceAnchor = (path: string) => `field-${path}`;

/** Where the model reference explains the field an error names (null: not a service's field). */
export function referenceHref(errorPath: string): string | null {
  const path = referencePathOf(errorPath);
  return path ? `/reference#${referenceAnchor(path)}` : path === '' ? '/reference' : null;
}
