// Process entry: runs the CLI and turns errors into one line and an exit code; never a stack trace.
import { BrsecError, ExitCode, OutputClosedError, UsageError } from '../src/index.js';
import { describeAwsError, isAwsError, printable, removeUnfinishedReports } from '../src/internal.js';
import { run } from './index.js';

/** Exit status of a process ended by SIGPIPE: a reader that stops early (`brsec scan … | head`) is not an error. */
const SIGPIPE_STATUS = 141;

/**
 * On SIGINT or SIGTERM, removes the half-written reports (an existing file at a target is left as it was) and says
 * so, then ends with the status of a process killed by that signal.
 */
function removeReportsOnSignal(): void {
  for (const [signal, status] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      const removed = removeUnfinishedReports();
      const what = removed > 0 ? 'the unfinished reports were removed and existing files left as they were' : 'no report was finished';
      process.stderr.write(`brsec: stopped by ${signal}; ${what}\n`);
      process.exit(status);
    });
  }
}

// A reader that stops early (`brsec scan … | head`) is not an error: leave quietly, as tools killed by SIGPIPE do.
// Any other failure of standard output (a full disk) is one line and exit 2, never a stack trace.
function quitOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(SIGPIPE_STATUS);
  process.stderr.write(`brsec: standard output: cannot write: ${printable(err.message)}\n`);
  process.exit(ExitCode.USAGE);
}

/** Library option names as the flags that set them: the library's messages name options, the CLI's name flags. */
const FLAGS: Record<string, string> = {
  jobs: '--jobs',
  level: '--level',
  variant: '--variant',
  outputs: '--output',
  'aws.accountId': '--aws-account',
  ssm: '--ssm',
};

/** A usage error as the command line says it: the option it names, as its flag. */
function inFlags(err: BrsecError): string {
  const option = err instanceof UsageError ? err.option : undefined;
  const flag = option ? FLAGS[option] : undefined;
  if (!option || !flag) return err.message;
  const at = err.message.indexOf(option);
  return at === -1 ? err.message : err.message.slice(0, at) + flag + err.message.slice(at + option.length);
}

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', quitOnClosedPipe);
  removeReportsOnSignal();
  try {
    process.exitCode = await run(argv);
  } catch (err) {
    if (err instanceof OutputClosedError) process.exit(SIGPIPE_STATUS);
    if (err instanceof BrsecError) {
      process.stderr.write(`brsec: ${printable(inFlags(err).split('\n', 1)[0] ?? '')}\n`);
    } else if (isAwsError(err) || (err as NodeJS.ErrnoException)?.code === 'ECONNREFUSED') {
      process.stderr.write(`brsec: ${describeAwsError(err)}\n`);
      process.exitCode = ExitCode.SERVICE;
      return;
    } else {
      process.stderr.write(
        `brsec: internal error: ${printable((err as Error)?.message ?? String(err))} (this is a bug; set BRSEC_DEBUG=1 for details)\n`,
      );
      if (process.env.BRSEC_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    }
    process.exitCode = ExitCode.USAGE;
  }
}

void main(process.argv.slice(2));
