// Values a node configuration leaves to deploy time: a Terraform `${var.x}`, a CloudFormation `!Ref`, a plan's
// "known after apply". A check decided by one is never PASS or FAIL; it says which expression decides it.

/** A setting whose value is not known until the node is deployed; `expression` is what will decide it. */
export class UnknownValue {
  constructor(readonly expression: string) {
    Object.freeze(this);
  }
}

export const isUnknown = (value: unknown): value is UnknownValue => value instanceof UnknownValue;

/** The first unknown value in a setting's value (itself, or anywhere in a table or list below it), or undefined. */
export function firstUnknown(value: unknown, depth = 0): UnknownValue | undefined {
  if (value instanceof UnknownValue) return value;
  if (typeof value !== 'object' || value === null || depth > 32) return undefined;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const found = firstUnknown(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** How an unknown value reads in evidence. */
export const describeUnknown = (value: UnknownValue): string => `not known until deploy time: ${value.expression}`;
