/**
 * A reader for haproxy.cfg that splits it into sections and directives the way HAProxy's own
 * tokenizer does. It is the independent half of the renderer's safety proof: whatever the model
 * contains, reading the rendered text back must give exactly the sections and words the renderer
 * meant to write. It also lets the agent show a user "line 42 is backend web.app, server web1".
 */
export const SECTION_KEYWORDS = new Set([
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'userlist',
  'peers',
  'resolvers',
  'program',
  'cache',
  'mailers',
  'http-errors',
  'ring',
  'log-forward',
  'fcgi-app',
  'crt-store',
  'traces',
]);

export interface ParsedDirective {
  words: string[];
  line: number;
}

export interface ParsedSection {
  kind: string;
  args: string[];
  line: number;
  directives: ParsedDirective[];
}

export class ConfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function tokenizeLine(text: string, lineNo: number): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const fail = (msg: string): never => {
    throw new ConfigSyntaxError(msg, lineNo);
  };
  const escape = (quoted: boolean): string => {
    const next = text[i + 1];
    if (next === undefined) return fail('backslash at end of line');
    i += 2;
    switch (next) {
      case 'r':
        return '\r';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'x': {
        const hex = text.slice(i, i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return fail('bad \\x escape');
        i += 2;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case '\\':
      case '"':
      case "'":
        return next;
      case '$':
        // Outside quotes HAProxy keeps the backslash of `\$`; inside double quotes it drops it.
        return quoted ? '$' : '\\$';
      case ' ':
      case '#':
        return next;
      default:
        return `\\${next}`;
    }
  };
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (ch === '#') {
      break;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) fail('unterminated single quote');
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      for (;;) {
        const c = text[i];
        if (c === undefined) fail('unterminated double quote');
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\') word += escape(true);
        else if (c === '$') fail('unescaped $ in double quotes expands an environment variable');
        else {
          word += c;
          i++;
        }
      }
    } else if (ch === '\\') {
      word += escape(false);
      inWord = true;
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export function parseHaproxyConfig(text: string): ParsedSection[] {
  const sections: ParsedSection[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    if (raw.includes('\r')) throw new ConfigSyntaxError('carriage return in a line', lineNo);
    const words = tokenizeLine(raw, lineNo);
    const [first, ...rest] = words;
    if (first === undefined) return;
    if (SECTION_KEYWORDS.has(first)) {
      sections.push({ kind: first, args: rest, line: lineNo, directives: [] });
      return;
    }
    const current = sections[sections.length - 1];
    if (!current) throw new ConfigSyntaxError(`directive ${first} outside any section`, lineNo);
    current.directives.push({ words, line: lineNo });
  });
  return sections;
}
