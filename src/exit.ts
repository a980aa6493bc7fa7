import { ExitCode } from './errors.js';
import type { FleetTotals } from './types.js';

/**
 * The exit code a scan ends with: 2 if any input could not be used, else 1 if any result fails the run (a FAIL
 * that is not waived, at or above --fail-on, new against the baseline; ERROR and NOT_ASSESSED too in strict
 * mode), else 3 if some evidence was unusable (ERROR, not waived) or a host had nothing assessable, else 0. ERROR
 * never looks like a clean run.
 */
export function exitCodeFor(totals: FleetTotals): number {
  if (totals.inputErrors > 0) return ExitCode.USAGE;
  if (totals.gate.failing > 0) return ExitCode.FAILED;
  if (totals.gate.incomplete > 0) return ExitCode.INCOMPLETE;
  return ExitCode.OK;
}
