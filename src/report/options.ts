// What writers need besides the scan result, as plain data so worker threads can make the same writers.
import type { ColorLevel } from './paint.js';
import type { Catalog } from '../checks/loader.js';
import type { ScanMemo } from '../memo.js';
import type { Severity, Status } from '../types.js';
import type { GroupBy } from '../groups.js';
import type { HistoryPoint } from '../diff/history.js';

/** What writers are handed besides their options: not plain data, so each thread makes its own. */
export interface WriterScope {
  /** The catalogue that was scanned: rules, remediation, benchmarks and the requirements each check evidences. */
  catalog: Catalog;
  /** The scan's memo: text of results that hosts share is made once. */
  memo: ScanMemo;
}

export interface WriterOptions {
  /** Terminal colour level (text only). */
  color?: ColorLevel;
  /** Directory that report paths are made relative to (SARIF URIs); the working directory by default. */
  baseDir?: string;
  /** Statuses besides FAIL that become SARIF results (`error`, `manual`). */
  sarifInclude?: readonly ('error' | 'manual')[];
  /**
   * Ids of every check the scan may run. With more hosts than a SARIF file may hold runs (20), the SARIF writer
   * writes one run for the fleet and needs its rules up front.
   */
  ruleIds?: readonly string[];
  /** How many hosts the report will have, when known before the first one (SARIF picks one run per host up to 20). */
  hostCount?: number;
  /** The start of each SARIF run's category (`automationDetails.id`): `<category>/<host>/`; default `brsec/<profiles>`. */
  sarifCategory?: string;
  /** ASFF and OCSF: the importing account and region, and the time findings are updated at (the scan's). */
  aws?: { accountId: string; region: string };
  updatedAt?: string;
  /** Strict mode: ERROR and NOT_ASSESSED fail the run, and JUnit reports them as errors. */
  strict?: boolean;
  /** Earlier reports' figures (`--history DIR`), oldest first: the HTML report draws the trend to this scan. */
  history?: readonly HistoryPoint[];
  /** The scan's grouping (`--group-by`): the HTML report lists and filters hosts by it. */
  groupBy?: GroupBy;
  /** Text only: the results shown (the counts, the gate and every other format keep them all). */
  show?: DisplayFilter;
}

/** Which results a text report shows: those of these statuses and of these severities (each, when given). */
export interface DisplayFilter {
  statuses?: readonly Status[];
  severities?: readonly Severity[];
}
