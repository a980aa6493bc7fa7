// Values a node configuration leaves to deploy time: a Terraform `${var.x}`, a CloudFormation `!Ref`, a plan's
// "known after apply". A check decided by one is never PASS or FAIL; it says which expression decides it.

/** A setting whose value is not known until the node is deployed; `expression` is what will decide it. */
import { isSecretSetting, redactUrlCredentials, SECRET_PLACEHOLDER } from './secrets.js';

export class UnknownValue {
  constructor(readonly expression: string) {
    Object.freeze(this);
  }
}

export const isUnknown = (value: unknown): value is UnknownValue => value instanceof UnknownValue;

/** The first unknown value in a setting's value (itself, or anywhere in a table or list below it), with its path below. */
export function firstUnknown(value: unknown, depth = 0): { value: UnknownValue; below: string[] } | undefined {
  if (value instanceof UnknownValue) return { value, below: [] };
  if (typeof value !== 'object' || value === null || depth > 32) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const found = firstUnknown(child, depth + 1);
    if (found) return { value: found.value, below: [key, ...found.below] };
  }
  return undefined;
}

/**
 * How an unknown value reads in evidence. The expression is the file's own text, which may hold literal parts of a
 * secret (`https://admin:pw@${host}`): for a secret setting it is not shown, and URL credentials never are.
 */
export function describeUnknown(value: UnknownValue, path: readonly string[] = []): string {
  if (isSecretSetting(path)) return `not known until deploy time (${SECRET_PLACEHOLDER})`;
  return `not known until deploy time: ${redactUrlCredentials(value.expression)}`;
}
