import type { ContractError, ErrorCode } from './contract/errors.js';

/** A failure the user can act on: a stable code, a message, and what to do next. */
export class ConsoleError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: string[] | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, details?: string[]) {
    super(message);
    this.name = 'ConsoleError';
    this.code = code;
    this.hint = hint;
    this.details = details;
  }

  toContract(): ContractError {
    const e: ContractError = { code: this.code, message: this.message };
    if (this.hint !== undefined) e.hint = this.hint;
    if (this.details !== undefined) e.details = this.details;
    return e;
  }
}

export function isConsoleError(e: unknown): e is ConsoleError {
  return e instanceof ConsoleError;
}
