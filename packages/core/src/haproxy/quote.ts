/**
 * Quoting of one word for haproxy.cfg, following HAProxy's tokenizer (verified against the real
 * binary in tests/golden): outside quotes `#` starts a comment and spaces split words; inside
 * single quotes nothing is interpreted; inside double quotes `\\ \" \$ \r \n \t \xHH` are escapes
 * and `$NAME` expands an environment variable, so `$` must be escaped there.
 */
const BARE_RE = /^[A-Za-z0-9_.:/@%+=,~^|()[\]{}*!-]+$/;

export function quoteWord(word: string): string {
  if (word !== '' && BARE_RE.test(word)) return word;
  // eslint-disable-next-line no-control-regex
  const needsEscapes = /[\u0000-\u001f\u007f]/.test(word);
  if (!needsEscapes && !word.includes("'")) return `'${word}'`;
  let out = '"';
  for (const ch of word) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '$') out += '\\$';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
