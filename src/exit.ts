import { ExitCode } from './errors.js';
import type { FleetTotals } from './types.js';

/**
 * The exit code a scan ends with: 2 if any input could not be used, else 1 if any check failed, else 3 if
 * some evidence was unusable (ERROR), else 0. ERROR never looks like a clean run.
 */
export function exitCodeFor(totals: FleetTotals): number {
  if (totals.inputErrors > 0) return ExitCode.USAGE;
  if (totals.results.FAIL > 0) return ExitCode.FAILED;
  if (totals.results.ERROR > 0) return ExitCode.INCOMPLETE;
  return ExitCode.OK;
}
