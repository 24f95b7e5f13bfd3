import { calls, isCallName, type CallName, type CallOutput, type CallResult, type ParsedCallInput } from './contract/index.js';
import type { ContractError } from './contract/errors.js';
import { isConsoleError } from './errors.js';
import type { z } from 'zod';

export type Handlers = {
  [N in CallName]: (input: ParsedCallInput<N>) => CallOutput<N> | Promise<CallOutput<N>>;
};

/** Names the first failing field and its rule, e.g. `attribute.name: Too small: expected string to have >=1 characters`. */
export function describeIssues(error: z.ZodError, root = 'input'): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${[root, ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}

export function failure(error: ContractError): { ok: false; error: ContractError } {
  return { ok: false, error };
}

function envelopeOf(raw: unknown): { name: string; input: unknown } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { name, input } = raw as { name?: unknown; input?: unknown };
  if (typeof name !== 'string') return null;
  return { name, input: input ?? {} };
}

/**
 * The one entry point every transport calls: checks the call against the contract, parses its
 * input, runs the handler and turns every outcome into a result value. Nothing throws past it.
 */
export function createDispatch(handlers: Handlers, log: (msg: string, err: unknown) => void = () => {}) {
  return async function dispatch(raw: unknown): Promise<CallResult<unknown>> {
    const envelope = envelopeOf(raw);
    if (!envelope) {
      return failure({
        code: 'CONTRACT_INVALID_INPUT',
        message: 'A call must be an object {name: string, input: object}.',
      });
    }
    const { name } = envelope;
    if (!isCallName(name)) {
      return failure({
        code: 'CONTRACT_UNKNOWN_CALL',
        message: `There is no call named "${name.slice(0, 100)}".`,
        hint: `Known calls: ${Object.keys(calls).join(', ')}.`,
      });
    }
    const parsed = calls[name].input.safeParse(envelope.input);
    if (!parsed.success) {
      return failure({
        code: 'CONTRACT_INVALID_INPUT',
        message: `${name}: ${describeIssues(parsed.error)}`,
      });
    }
    try {
      const handler = handlers[name] as (input: unknown) => unknown;
      const data = await handler(parsed.data);
      return { ok: true, data };
    } catch (e) {
      if (isConsoleError(e)) return failure(e.toContract());
      log(`call ${name} failed`, e);
      return failure({
        code: 'INTERNAL',
        message: `${name} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`,
        hint: 'This is a bug in the console; the full error is in its log.',
      });
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatch>;
