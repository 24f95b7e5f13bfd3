import type { ContractError, ErrorCode } from '../contract/errors.js';

/** A failure the user can act on: a stable code, a message, and what to do next. */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.hint = hint;
  }

  toContract(): ContractError {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

export function isConsoleError(e: unknown): e is ConsoleError {
  return e instanceof ConsoleError;
}
