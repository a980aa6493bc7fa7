// Which framework requirements a check evidences: the one lookup every report and the importer use.
import type { Catalog, CheckRequirement } from './loader.js';

const NONE: readonly CheckRequirement[] = Object.freeze([]);

/** The requirements of every mapping in the catalogue that name this check, in mapping and requirement order. */
export function requirementsOf(catalog: Catalog, checkId: string): readonly CheckRequirement[] {
  return catalog.requirementsByCheck.get(checkId) ?? NONE;
}

/** A requirement as reports name it: `PCI DSS v4.0.1 1.3.1`. */
export function requirementLabel({ mapping, requirement }: CheckRequirement): string {
  return `${mapping.name} v${mapping.version} ${requirement.id}`;
}
