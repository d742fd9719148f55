/**
 * A Bloom filter over a log block's words and client prefixes (ADR 0017): a query skips a block
 * whose filter says a word is absent, so a search for a rare word reads the blocks that may hold
 * it instead of every line. Built while a block's lines are read, with no string per word: the
 * two FNV-1a hashes run over the characters as they are scanned (a word's hash is the running
 * hash where it ends, and an address prefix's the running hash at each dot), so the per-line
 * cost is a pass over its URL, not a set of substrings.
 */
const PROBES = 4;
const FNV_SEED_A = 0x811c9dc5;
const FNV_SEED_B = 0x01000193 ^ 0x5bd1e995;

const stepA = (h: number, c: number) => Math.imul(h ^ c, 0x01000193);
const stepB = (h: number, c: number) => Math.imul(h ^ c, 0x5bd1e995);

/** The bit of probe `i` for a key whose two hashes are `a` and `b`. */
function probe(bits: Uint8Array, a: number, b: number, i: number): number {
  const h2 = ((b ^ (b >>> 15)) | 1) >>> 0;
  return (((a >>> 0) + Math.imul(i, h2)) >>> 0) % (bits.length * 8);
}

function set(bits: Uint8Array, a: number, b: number): void {
  for (let i = 0; i < PROBES; i++) {
    const at = probe(bits, a, b, i);
    bits[at >>> 3] = (bits[at >>> 3] ?? 0) | (1 << (at & 7));
  }
}

/** Both hashes of a whole key. */
function hashes(key: string): [number, number] {
  let a = FNV_SEED_A;
  let b = FNV_SEED_B;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = stepA(a, c);
    b = stepB(b, c);
  }
  return [a, b];
}

/** False: the key was certainly not added. True: it may have been. */
export function bloomHas(bits: Uint8Array, key: string): boolean {
  if (bits.length === 0) return true;
  const [a, b] = hashes(key);
  for (let i = 0; i < PROBES; i++) {
    const at = probe(bits, a, b, i);
    if (((bits[at >>> 3] ?? 0) & (1 << (at & 7))) === 0) return false;
  }
  return true;
}

/**
 * Lower-case runs of letters and digits (anything from U+0080 up counts as a letter): the unit of
 * text search, the same on both sides, so a word found in a block's filter is one a line holds.
 */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9\u0080-\uffff]+/g) ?? [];
}

/** Lower-case letters and digits, and anything from U+0080 up: the characters words are made of. */
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 128;

/** A filter sized for a block of `lines` lines: six bytes a line (about 4% false hits at worst). */
export function createBloom(lines: number) {
  const bits = new Uint8Array(Math.max(32, lines * 6));
  return {
    bits,
    add(key: string): void {
      set(bits, ...hashes(key));
    },
    /**
     * Every word of `text` (runs of word characters, lower-cased), as wordTokens finds them.
     * ASCII is lower-cased in the loop; text with other characters goes through toLowerCase.
     */
    addWords(text: string, start = 0, end = text.length): void {
      let a = FNV_SEED_A;
      let b = FNV_SEED_B;
      let inWord = false;
      for (let i = start; i <= end; i++) {
        let c = i < end ? text.charCodeAt(i) : 0;
        if (c >= 128) return this.addWordsSlow(text.slice(start, end));
        if (c >= 65 && c <= 90) c += 32;
        if (isWordChar(c)) {
          if (!inWord) {
            a = FNV_SEED_A;
            b = FNV_SEED_B;
            inWord = true;
          }
          a = stepA(a, c);
          b = stepB(b, c);
        } else if (inWord) {
          set(bits, a, b);
          inWord = false;
        }
      }
    },
    addWordsSlow(text: string): void {
      for (const w of wordTokens(text)) this.add(w);
    },
    /** `marker` + the address, and `marker` + each prefix of it that ends with a dot. */
    addPrefixes(marker: string, address: string, start = 0, end = address.length): void {
      let a = stepA(FNV_SEED_A, marker.charCodeAt(0));
      let b = stepB(FNV_SEED_B, marker.charCodeAt(0));
      for (let i = start; i < end; i++) {
        const c = address.charCodeAt(i);
        a = stepA(a, c);
        b = stepB(b, c);
        if (c === 46) set(bits, a, b);
      }
      set(bits, a, b);
    },
  };
}
