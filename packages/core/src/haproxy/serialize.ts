import type { Section } from './ir.js';
import { quoteWord } from './quote.js';

const INDENT = '    ';

export interface SerializedConfig {
  text: string;
  lineOrigins: string[];
}

/**
 * Writes sections as haproxy.cfg text. Keywords (the first word of each directive and the section
 * header) come from the renderer's own code; every word is still passed through quoteWord so a
 * keyword can never be the place where a value escapes.
 */
export function serializeSections(
  header: readonly string[],
  sections: readonly Section[],
): SerializedConfig {
  const lines: string[] = [];
  const origins: string[] = [];
  const push = (line: string, origin: string) => {
    lines.push(line);
    origins.push(origin);
  };
  for (const h of header) push(`# ${h}`, '');
  for (const section of sections) {
    push('', '');
    for (const c of section.comments) push(`# ${c}`, section.origin);
    push(
      [section.kind, ...(section.name === undefined ? [] : [section.name])]
        .map(quoteWord)
        .join(' '),
      section.origin,
    );
    for (const d of section.directives) push(INDENT + d.words.map(quoteWord).join(' '), d.origin);
  }
  return { text: `${lines.join('\n')}\n`, lineOrigins: origins };
}
