// Typed errors. Library code throws them; only the CLI turns them into exit codes.

/** Exit codes of the CLI, documented in the README. */
export const ExitCode = {
  /** Nothing failed. */
  OK: 0,
  /** At least one check failed. */
  FAILED: 1,
  /** Usage, configuration, definition or input error. */
  USAGE: 2,
  /** No check failed, but some evidence was unusable (ERROR results): the scan is incomplete. */
  INCOMPLETE: 3,
} as const;

export class BrsecError extends Error {
  override readonly name: string = 'BrsecError';
}

/** A bad command-line argument or option value. */
export class UsageError extends BrsecError {
  override readonly name = 'UsageError';
}

/** A file the user gave could not be read or is not a valid input. */
export class InputError extends BrsecError {
  override readonly name = 'InputError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** A check definition (data file) is invalid. */
export class DefinitionError extends BrsecError {
  override readonly name = 'DefinitionError';
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}

/** First line of an error's message, for one-line reports. */
export function oneLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  return line.trim();
}
