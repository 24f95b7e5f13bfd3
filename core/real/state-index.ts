import type { Overview } from '../contract/overview.js';
import type { MesosState } from '../mesos/types.js';
import { buildModel, buildModelInSteps, type StateIndex } from './live-model.js';

/**
 * What the screens ask of a master's state, computed once per state: a 5,000-agent,
 * 100,000-task state is walked once (tasks by agent, by id, by job), never once per agent. The
 * live model (live-model.ts) builds it and keeps it current; these build it for one state read.
 */
export type { StateIndex } from './live-model.js';

export function indexState(s: MesosState): StateIndex {
  return buildModel(s).index;
}

/** The same, in steps (model/steps.ts), for a big cluster's state: no one long main-thread task. */
export async function indexStateInSteps(s: MesosState): Promise<StateIndex> {
  return (await buildModelInSteps(s)).index;
}

/** The overview of one state read (the live model keeps its own, recomputed only after a change). */
export function overviewOfState(s: MesosState): Overview {
  return buildModel(s).overview();
}
