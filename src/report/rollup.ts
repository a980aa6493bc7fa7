// The fleet's roll-up of failing checks, shared by the reports that show it.
import { compareIds, type Catalog, type CheckDefinition } from '../checks/loader.js';
import type { FleetTotals } from '../types.js';

const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export interface RollUpRow {
  id: string;
  /** Hosts where the check FAILs and is not waived. */
  hosts: number;
  check: CheckDefinition | undefined;
}

/** Failing checks, most widespread first, then most severe, then by id: which to fix first across the fleet. */
export function failedChecksRollUp(totals: FleetTotals, catalog: Catalog): RollUpRow[] {
  const rank = (row: RollUpRow) => SEVERITY_RANK[row.check?.severity ?? 'info'] ?? 4;
  return Object.entries(totals.failedChecks)
    .map(([id, hosts]) => ({ id, hosts, check: catalog.byId.get(id) }))
    .sort((a, b) => b.hosts - a.hosts || rank(a) - rank(b) || compareIds(a.id, b.id));
}

export interface GroupRow {
  name: string;
  hosts: number;
  /** Hosts of the group whose status is FAIL. */
  failingHosts: number;
  /** FAIL results in the group, waived ones included (as the fleet's results count them). */
  failedResults: number;
  /** The group's most widespread failing checks (at most three), as the fleet's roll-up orders them. */
  top: RollUpRow[];
}

/** Groups with the most failing hosts first, then by name: where a fleet's failures are. */
export function groupRollUp(totals: FleetTotals, catalog: Catalog): GroupRow[] {
  return Object.entries(totals.groups ?? {})
    .map(([name, g]) => ({
      name,
      hosts: g.hosts,
      failingHosts: g.hostsByStatus.FAIL,
      failedResults: g.results.FAIL,
      top: failedChecksRollUp({ ...totals, failedChecks: g.failedChecks }, catalog).slice(0, 3),
    }))
    .sort(
      (a, b) => b.failingHosts - a.failingHosts || b.failedResults - a.failedResults || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}
