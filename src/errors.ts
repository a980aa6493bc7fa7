// Typed errors. Library code throws them; only the CLI turns them into exit codes.
import type { InputProblem } from './types.js';

/** Exit codes of the CLI, documented in the README. */
export const ExitCode = {
  /** Nothing failed. */
  OK: 0,
  /** At least one check failed. */
  FAILED: 1,
  /** Usage, configuration, definition or input error. */
  USAGE: 2,
  /** No check failed, but some evidence was unusable (ERROR results) or a host had nothing assessable: the scan is incomplete. */
  INCOMPLETE: 3,
  /** An AWS service the command needs could not be used (credentials, network, permissions, a service error). */
  SERVICE: 4,
} as const;

/** The longest message brsec prints: a message that quotes a host's value is cut, never a screenful on one line. */
export const MAX_MESSAGE_CHARS = 1000;

/** A message cut to MAX_MESSAGE_CHARS, saying how long it was. */
export function capped(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}… (${message.length} characters)` : message;
}

export class BrsecError extends Error {
  override readonly name: string = 'BrsecError';
  constructor(message: string) {
    super(capped(message));
  }
}

/**
 * A bad option value or combination. Messages speak the library's option names (`jobs`, `level`); `option` names
 * the option, so the CLI can say which flag it was.
 */
export class UsageError extends BrsecError {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }
}

/** A report's reader went away (`brsec scan … | head`): what was asked for was read, so this is not a failure. */
export class OutputClosedError extends BrsecError {
  override readonly name = 'OutputClosedError';
  constructor(readonly target: string) {
    super(`${target}: the reader closed it`);
  }
}

/** A file the user gave could not be read or is not a valid input. */
export class InputError extends BrsecError {
  override readonly name = 'InputError';
  /** The problem, cut as every message is: reports list it beside the file. */
  readonly problem: string;
  /** The file is of no kind brsec reads (as against a broken file of a kind it does): `--skip-unrecognized` skips it. */
  readonly unrecognised: boolean;
  constructor(
    readonly file: string,
    problem: string,
    { unrecognised = false }: { unrecognised?: boolean } = {},
  ) {
    super(`${file}: ${problem}`);
    this.problem = capped(problem);
    this.unrecognised = unrecognised;
  }

  /** The error as a report lists it. */
  toProblem(): InputProblem {
    return { file: this.file, message: this.problem, ...(this.unrecognised ? { unrecognised: true as const } : {}) };
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

/** An AWS call that failed after the SDK's retries, said in one line with what to look at. */
export class ServiceError extends BrsecError {
  override readonly name = 'ServiceError';
}

/** Whether an error came from the AWS SDK (a service exception, a credentials problem, a connection that failed). */
export function isAwsError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { $metadata?: unknown; name?: string; $fault?: unknown };
  return (
    e.$metadata !== undefined ||
    e.$fault !== undefined ||
    e.name === 'CredentialsProviderError' ||
    e.name === 'ProviderError' ||
    e.name === 'TokenProviderError'
  );
}

/** The one line for an AWS error, with a hint for the usual causes. */
export function describeAwsError(err: unknown): string {
  const e = err as { name?: string; message?: string; code?: string };
  const message = oneLine(e.message ?? String(err));
  if (e.name === 'CredentialsProviderError' || /credentials/i.test(message)) {
    return `AWS: no usable credentials (${message}); use --aws-profile or AWS_PROFILE, environment credentials, or run with a role`;
  }
  if (/Region is missing/i.test(message)) return 'AWS: no region; pass --region or set AWS_REGION';
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || /ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(message)) {
    return `AWS: cannot reach the service (${message}); check the network, VPC endpoints or AWS_ENDPOINT_URL_* settings`;
  }
  if (/AccessDenied|UnauthorizedOperation|not authorized/i.test(`${e.name} ${message}`))
    return `AWS: access denied: ${message} (see docs/scheduled-audits.md for the permissions)`;
  return `AWS: ${e.name ?? 'error'}: ${message}`;
}
