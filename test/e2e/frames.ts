/**
 * Reading the WebSocket traffic a watched page recorded (`> ` sent, `< ` received), to check
 * the wire protocol from the outside: subscriptions, cursors, batches.
 */

type Parsed = { dir: '>' | '<'; msg: Record<string, unknown> };

function parse(frames: readonly string[]): Parsed[] {
  const out: Parsed[] = [];
  for (const f of frames) {
    try {
      out.push({ dir: f[0] as '>' | '<', msg: JSON.parse(f.slice(2)) as Record<string, unknown> });
    } catch {
      // not JSON: not ours
    }
  }
  return out;
}

interface Batch {
  items: { id: number }[];
  cursor: string | null;
}

/** `sub` messages the page sent, oldest first. */
export function subscriptions(frames: readonly string[]): { id: number; name: string; input: unknown }[] {
  return parse(frames)
    .filter((p) => p.dir === '>' && p.msg['t'] === 'sub')
    .map((p) => p.msg as { id: number; name: string; input: unknown });
}

/** Batches of the cluster.events subscriptions (other streams have cursors of their own). */
function batches(frames: readonly string[]): Batch[] {
  const parsed = parse(frames);
  const ids = new Set(
    parsed.filter((p) => p.dir === '>' && p.msg['t'] === 'sub' && p.msg['name'] === 'cluster.events').map((p) => p.msg['id']),
  );
  return parsed.filter((p) => p.dir === '<' && p.msg['t'] === 'batch' && ids.has(p.msg['id'])).map((p) => p.msg['batch'] as Batch);
}

/** The cursor of the last cluster.events batch received, as a number (0 before any). */
export function lastCursor(frames: readonly string[]): number {
  const withCursor = batches(frames).filter((b) => b.cursor !== null);
  return Number(withCursor.at(-1)?.cursor ?? 0);
}

/** Ids of the events received in batches that came after the batch ending at `cursor`. */
export function eventIdsAfter(frames: readonly string[], cursor: number): number[] {
  const all = batches(frames);
  const at = all.findIndex((b) => Number(b.cursor) === cursor);
  return all.slice(at + 1).flatMap((b) => b.items.map((i) => i.id));
}

/** Calls of `name` the page sent, and which of them have had their result back. */
export function callsOf(frames: readonly string[], name: string): { sent: number[]; answered: number[] } {
  const parsed = parse(frames);
  const sent = parsed.filter((p) => p.dir === '>' && p.msg['t'] === 'call' && p.msg['name'] === name).map((p) => p.msg['id'] as number);
  const results = new Set(parsed.filter((p) => p.dir === '<' && p.msg['t'] === 'result').map((p) => p.msg['id'] as number));
  return { sent, answered: sent.filter((id) => results.has(id)) };
}
