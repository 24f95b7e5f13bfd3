import type { ContractError, ErrorCode } from '../../core/contract';

/**
 * A failed call, as the UI sees it: the contract's stable code, a message for the user and
 * what to do next. Deliberately carries no stack worth showing; views print message and hint.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** Every problem when there are several (each invalid field of a job file); empty otherwise. */
  readonly details: readonly string[];

  constructor(error: ContractError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.hint = error.hint;
    this.details = error.details ?? [];
  }

  toContract(): ContractError {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details.length === 0 ? {} : { details: [...this.details] }),
    };
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

const reconnectHint =
  'Check that the console host is still running (the terminal where it was started, or the desktop app); ' +
  'this window reconnects by itself as soon as it is back.';

/** The one error for "the host did not answer": a dropped socket, or a host that never came up. */
export function hostUnreachable(message: string): ContractError {
  return { code: 'HOST_UNREACHABLE', message, hint: reconnectHint };
}

/** Anything thrown that is not an ApiError still reaches the user as code + message, never a stack. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new ApiError({ code: 'INTERNAL', message, hint: 'This is a bug in the console window; reloading it (Ctrl+R) usually helps.' });
}

/**
 * Errors off the wire are typed loosely (stream errors carry `code: string`); the host only
 * sends codes of the contract, so this narrows without a copy of the code list.
 */
export function asContractError(raw: { code: string; message: string; hint?: string }): ContractError {
  const code = raw.code as ErrorCode;
  return raw.hint === undefined ? { code, message: raw.message } : { code, message: raw.message, hint: raw.hint };
}
