import type { Profile } from '../contract/profiles.js';
import type { CloudProvider } from '../cloud/provider.js';
import type { ClusterBackend } from '../backend/backend.js';
import type { Scaling } from '../scaling/service.js';
import type { Store } from '../store/index.js';

/** What every handler of the open profile works with, whatever the kind of cluster. */
export interface SessionContext {
  store: Store;
  profile: Profile;
  /** The machines behind the pools: `local` for the embedded cluster, `aws` for a real one. */
  provider: CloudProvider;
  scaling: Scaling;
  now: () => number;
  /** Who the audit log names for commands from this console (the OS user). */
  actor: string;
  /** The cluster itself: agents, jobs, tasks, sandboxes, its changes. */
  backend: ClusterBackend;
}

/** Runs a mutating command under a journal entry: written before it acts, closed with its result. */
export function journaled<T>(
  ctx: SessionContext,
  op: { kind: string; target: string; summary?: string; intent: unknown },
  act: () => T,
): T {
  const id = ctx.store.operations.begin(ctx.profile.id, { ...op, actor: ctx.actor }, ctx.now());
  try {
    const result = act();
    ctx.store.operations.succeed(id, result, ctx.now());
    return result;
  } catch (e) {
    ctx.store.operations.fail(id, e instanceof Error ? e.message : String(e), ctx.now());
    throw e;
  }
}

/** The same for a command that waits on a remote system (a real Aurora): the entry is closed when it answers. */
export async function journaledAsync<T>(
  ctx: SessionContext,
  op: { kind: string; target: string; summary?: string; intent: unknown },
  act: () => Promise<T>,
): Promise<T> {
  const id = ctx.store.operations.begin(ctx.profile.id, { ...op, actor: ctx.actor }, ctx.now());
  try {
    const result = await act();
    ctx.store.operations.succeed(id, result, ctx.now());
    return result;
  } catch (e) {
    ctx.store.operations.fail(id, e instanceof Error ? e.message : String(e), ctx.now());
    throw e;
  }
}
