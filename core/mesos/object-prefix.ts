/**
 * The top-level members of a JSON object read from the start of its text, as far as the text
 * goes. `/master/state` writes `pid`, `hostname` and `leader_info` before the agents and tasks
 * (reference/mesos.md §1), so leader discovery reads a few KB of a state that can be 100+ MB.
 */
export interface ObjectPrefix {
  /** The wanted members that are complete in the text. */
  members: Record<string, unknown>;
  /** Every key met, in order (complete values or not). */
  keys: string[];
  /** The whole object was in the text. */
  complete: boolean;
  /** The text is not the start of a JSON object. */
  invalid: string | null;
}

export function objectPrefix(text: string, wanted: ReadonlySet<string>): ObjectPrefix {
  const r: ObjectPrefix = { members: {}, keys: [], complete: false, invalid: null };
  let i = skipSpace(text, 0);
  if (i >= text.length) return r;
  if (text[i] !== '{') {
    r.invalid = 'it does not start with a JSON object';
    return r;
  }
  i = skipSpace(text, i + 1);
  if (text[i] === '}') {
    r.complete = true;
    return r;
  }
  for (;;) {
    if (i >= text.length) return r;
    if (text[i] !== '"') {
      r.invalid = `expected a key at character ${i}`;
      return r;
    }
    const keyEnd = valueEnd(text, i);
    if (keyEnd < 0) return r;
    let key: string;
    try {
      key = JSON.parse(text.slice(i, keyEnd)) as string;
    } catch {
      r.invalid = `unreadable key at character ${i}`;
      return r;
    }
    r.keys.push(key);
    i = skipSpace(text, keyEnd);
    if (i >= text.length) return r;
    if (text[i] !== ':') {
      r.invalid = `expected ':' at character ${i}`;
      return r;
    }
    i = skipSpace(text, i + 1);
    if (i >= text.length) return r;
    const end = valueEnd(text, i);
    if (end < 0) return r;
    if (wanted.has(key)) {
      try {
        r.members[key] = JSON.parse(text.slice(i, end));
      } catch {
        r.invalid = `the value of "${key}" is not JSON`;
        return r;
      }
    }
    i = skipSpace(text, end);
    if (i >= text.length) return r;
    if (text[i] === '}') {
      r.complete = true;
      return r;
    }
    if (text[i] !== ',') {
      r.invalid = `expected ',' or '}' at character ${i}`;
      return r;
    }
    i = skipSpace(text, i + 1);
  }
}

function skipSpace(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\n' || t[i] === '\r' || t[i] === '\t')) i++;
  return i;
}

/** Index just past the value starting at `i`, or -1 when the text ends first. */
function valueEnd(t: string, i: number): number {
  const c = t[i];
  if (c === '"') return stringEnd(t, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t[j];
      if (d === '"') {
        j = stringEnd(t, j) - 1;
        if (j < 0) return -1;
      } else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  // A number or literal ends at a delimiter; at the end of the text it may go on.
  let j = i;
  while (j < t.length && !',}] \n\r\t'.includes(t[j]!)) j++;
  return j < t.length ? j : -1;
}

function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    if (t[j] === '\\') j++;
    else if (t[j] === '"') return j + 1;
  }
  return -1;
}
