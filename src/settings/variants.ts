// Variant families and Bottlerocket's defaults, read from data/settings-defaults.json.
import { readPackageFile } from '../paths.js';
import type { VariantInfo } from '../types.js';
import { UsageError } from '../errors.js';

export interface FamilyDefinition {
  name: string;
  match: string;
  kind: 'kubernetes' | 'ecs' | 'dev';
}

export interface DefaultEntry {
  path: string[];
  value: unknown;
  families: string[] | '*';
  /** A pattern of variant ids the entry is limited to within its families (a default that changed with a Kubernetes version). */
  variants?: string;
  source: string;
}

/** Whether an entry holds for a variant id: always without a `variants` pattern; unknown (null) when the id is not known. */
const variantPatterns = new Map<string, RegExp>();
export function holdsForVariant(entry: DefaultEntry, variantId: string | null): boolean | null {
  if (entry.variants === undefined) return true;
  if (variantId === null) return null;
  let pattern = variantPatterns.get(entry.variants);
  if (!pattern) variantPatterns.set(entry.variants, (pattern = new RegExp(entry.variants)));
  return pattern.test(variantId);
}

export interface DefaultsData {
  families: FamilyDefinition[];
  defaults: DefaultEntry[];
}

let cached: (DefaultsData & { patterns: RegExp[] }) | undefined;

export function defaultsData(): DefaultsData & { patterns: RegExp[] } {
  if (!cached) {
    const data = JSON.parse(readPackageFile('data/settings-defaults.json')) as DefaultsData;
    cached = { ...data, patterns: data.families.map((f) => new RegExp(f.match)) };
  }
  return cached;
}

export function familyNames(): string[] {
  return defaultsData().families.map((f) => f.name);
}

/** The family of a variant id (`aws-k8s-1.30` → `aws-k8s`), a family name itself, or null. */
export function familyOf(variant: string): FamilyDefinition | null {
  const data = defaultsData();
  const byName = data.families.find((f) => f.name === variant);
  if (byName) return byName;
  const index = data.patterns.findIndex((re) => re.test(variant));
  return index === -1 ? null : (data.families[index] ?? null);
}

export function kindOf(family: string | null): FamilyDefinition['kind'] | null {
  if (family === null) return null;
  return defaultsData().families.find((f) => f.name === family)?.kind ?? null;
}

/** Validates a variant option's value; unknown names are a usage error. */
export function variantFromFlag(value: string): VariantInfo {
  const family = familyOf(value);
  if (!family) {
    throw new UsageError(
      `unknown variant "${value}": expected a Bottlerocket variant such as aws-k8s-1.30 or aws-ecs-2, or a family (${familyNames().join(', ')})`,
      'variant',
    );
  }
  return { id: value === family.name ? null : value, family: family.name, source: 'flag' };
}

/** Guesses the variant from the settings present, as user data alone does not name one. */
export function inferVariant(settings: Record<string, unknown> | null): VariantInfo {
  if (settings && 'kubernetes' in settings) {
    return {
      id: null,
      family: 'aws-k8s',
      source: 'inferred',
      note: 'settings.kubernetes is present, so an aws-k8s variant was assumed; pass --variant to say which',
    };
  }
  if (settings && 'ecs' in settings) {
    return {
      id: null,
      family: 'aws-ecs',
      source: 'inferred',
      note: 'settings.ecs is present, so an aws-ecs variant was assumed; pass --variant to say which',
    };
  }
  return {
    id: null,
    family: null,
    source: 'unknown',
    note: 'the variant could not be told from the input; pass --variant so defaults can be applied',
  };
}
