/**
 * The SUBSCRIBED record of a big cluster is its whole state (hundreds of MB): parsed on the
 * main thread it would hold the console for seconds at every (re)subscribe. This cuts it into
 * the GET_STATE answer it wraps, so the state worker can parse it like any other state:
 * `{"type":"SUBSCRIBED","subscribed":{"get_state":{…},"heartbeat_interval_seconds":15}}` →
 * `{"type":"GET_STATE","get_state":{…}}`. The bytes are sliced, not re-serialised.
 */
export function splitSubscribed(record: Buffer): { getState: Buffer; heartbeatSeconds: number | null } | null {
  const head = record.subarray(0, 256).toString('latin1');
  if (!/"type"\s*:\s*"SUBSCRIBED"/.test(head)) return null;
  const key = Buffer.from('"get_state":');
  const at = record.indexOf(key);
  if (at < 0) return null;
  const start = at + key.length;
  const end = objectEnd(record, start);
  if (end < 0) return null;
  // The heartbeat interval is written before or after the state; either way outside it.
  const outside = record.subarray(0, at).toString('latin1') + record.subarray(end).toString('latin1');
  const hb = /"heartbeat_interval_seconds"\s*:\s*([0-9.eE+-]+)/.exec(outside);
  const seconds = hb ? Number(hb[1]) : null;
  return {
    getState: Buffer.concat([Buffer.from('{"type":"GET_STATE","get_state":'), record.subarray(start, end), Buffer.from('}')]),
    heartbeatSeconds: seconds !== null && Number.isFinite(seconds) && seconds > 0 ? seconds : null,
  };
}

/** Index just past the JSON object or array starting at `start` (after whitespace), or -1. */
function objectEnd(b: Buffer, start: number): number {
  let i = start;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  if (b[i] !== 0x7b) return -1;
  let depth = 0;
  let inString = false;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
  }
  return -1;
}
