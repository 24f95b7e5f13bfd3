/**
 * Literal prefilters for regex searches, as ripgrep and GNU grep use them: bytes that every
 * match must contain, found with `Buffer.indexOf` (memchr speed), so the regex runs only on the
 * lines that hold them. `id=[0-9a-f]{5}fff\b` must contain "fff"; a case-insensitive literal
 * `needle_42`, compiled to `[nN][eE]…_42`, must contain "_42".
 *
 * The reading of the pattern is deliberately conservative: any construct it does not fully
 * understand ends the literal run it is in, and a top-level alternation means no prefilter.
 * A literal it returns is required; one it misses only costs speed.
 */

/** Skips a `[...]` class starting at `i`; returns the index after it. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++; // `[]` is empty in JS, but `[]]` is not worth a mistake: treat `]` first as inside
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Skips a `(...)` group starting at `i`; returns the index after it. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') j += 2;
    else if (c === '[') j = skipClass(src, j);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

const quantifier = /^(?:[*+?]|\{\d+(?:,\d*)?\})\??/;

/**
 * Byte strings every match of `source` contains, longest first (at most three). With the `i`
 * flag only runs without ASCII letters count, since `Buffer.indexOf` compares exactly.
 */
export function requiredLiterals(source: string, flags: string): Buffer[] {
  const caseless = flags.includes('i');
  const runs: number[][] = [];
  let run: number[] = [];
  const end = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    let atom: number | null = null; // the byte this atom matches, if it is one exact byte
    let next: number;
    if (c === '|') return []; // an alternation at the top: no byte is required
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      const hex = e === 'x' ? /^[0-9a-fA-F]{2}/.exec(source.slice(i + 2, i + 4)) : null;
      if (hex) {
        atom = parseInt(hex[0], 16);
        next = i + 4;
      } else if (/[^A-Za-z0-9]/.test(e) && e !== '') {
        atom = e.charCodeAt(0); // an escaped punctuation character: itself
        next = i + 2;
      } else next = i + 2; // \d \w \s \b \1 \u… \k<…>: not one exact byte
    } else if (c === '[') next = skipClass(source, i);
    else if (c === '(') next = skipGroup(source, i);
    else if ('.^$)'.includes(c)) next = i + 1;
    else if (c === '{' && !quantifier.test(source.slice(i))) {
      atom = c.charCodeAt(0);
      next = i + 1;
    } else {
      atom = c.charCodeAt(0);
      next = i + 1;
    }
    // Under `i` V8 folds ASCII letters, and latin1 letters (bytes of UTF-8 sequences) too.
    if (atom !== null && caseless && (atom >= 0x80 || /[A-Za-z]/.test(String.fromCharCode(atom)))) atom = null;
    const q = quantifier.exec(source.slice(next));
    if (q) {
      next += q[0].length;
      const optional = q[0][0] === '*' || q[0][0] === '?' || q[0].startsWith('{0');
      if (atom !== null && !optional) run.push(atom);
      end(); // a repeated atom is not followed by the next one at a fixed distance
    } else if (atom !== null) run.push(atom);
    else end();
    i = next;
  }
  end();
  return runs
    .filter((r) => r.length >= 2)
    .sort((a, b) => b.length - a.length)
    .slice(0, 3)
    .map((r) => Buffer.from(r));
}

/**
 * The candidate that occurs least in a sample of the text, or null when even that one is on
 * most lines (then scanning every line with the regex is as cheap).
 */
export function rarest(candidates: Buffer[], sample: Buffer): Buffer | null {
  let best: Buffer | null = null;
  let bestCount = Infinity;
  const lines = Math.max(1, countOf(sample, Buffer.from('\n'), Infinity));
  for (const c of candidates) {
    const n = countOf(sample, c, bestCount);
    if (n < bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best !== null && bestCount < lines / 4 ? best : null;
}

function countOf(buf: Buffer, needle: Buffer, cap: number): number {
  let n = 0;
  for (let i = buf.indexOf(needle); i >= 0 && n < cap; i = buf.indexOf(needle, i + needle.length)) n++;
  return n;
}
