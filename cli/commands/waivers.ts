import { lintWaivers, loadCatalog } from '../../src/index.js';
import { printable } from '../../src/internal.js';

export interface WaiversLintArgs {
  file: string;
  warnDays: number;
}

/** One line per problem; exit 2 when any is an error, 0 when there are only warnings (expiries) or none. */
export function runWaiversLint(args: WaiversLintArgs, write: (s: string) => void, writeError: (s: string) => void): number {
  const problems = lintWaivers(args.file, loadCatalog(), { warnDays: args.warnDays });
  for (const p of problems) {
    const line = printable(`${args.file}: ${p.entry ? `${p.entry}: ` : ''}${p.message}`);
    if (p.level === 'error') writeError(`brsec: error: ${line}\n`);
    else writeError(`brsec: warning: ${line}\n`);
  }
  const errors = problems.filter((p) => p.level === 'error').length;
  const warnings = problems.length - errors;
  write(
    `${args.file}: ${errors === 0 ? 'valid' : 'invalid'}${errors ? `, ${errors} error(s)` : ''}${warnings ? `, ${warnings} warning(s)` : ''}\n`,
  );
  return errors > 0 ? 2 : 0;
}
