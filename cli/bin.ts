// Process entry: runs the CLI and turns errors into one line and an exit code; never a stack trace.
import { BrsecError, describeAwsError, ExitCode, isAwsError } from '../src/index.js';
import { printable } from '../src/report/printable.js';
import { run } from './index.js';
import { SIGPIPE_STATUS } from './output.js';

// A reader that stops early (`brsec scan … | head`) is not an error: leave quietly, as tools killed by SIGPIPE do.
// Any other failure of standard output (a full disk) is one line and exit 2, never a stack trace.
function quitOnClosedPipe(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(SIGPIPE_STATUS);
  process.stderr.write(`brsec: standard output: cannot write: ${printable(err.message)}\n`);
  process.exit(ExitCode.USAGE);
}

export async function main(argv: string[]): Promise<void> {
  process.stdout.on('error', quitOnClosedPipe);
  // brsec pins its AWS SDK versions and supports Node 20.19+: the SDK's notice about its own future Node 22
  // requirement is not something a brsec user can act on.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  try {
    process.exitCode = await run(argv);
  } catch (err) {
    if (err instanceof BrsecError) {
      process.stderr.write(`brsec: ${printable(err.message.split('\n', 1)[0] ?? '')}\n`);
    } else if (isAwsError(err) || (err as NodeJS.ErrnoException)?.code === 'ECONNREFUSED') {
      process.stderr.write(`brsec: ${describeAwsError(err)}\n`);
      process.exitCode = ExitCode.SERVICE;
      return;
    } else {
      process.stderr.write(`brsec: internal error: ${printable((err as Error)?.message ?? String(err))} (this is a bug; set BRSEC_DEBUG=1 for details)\n`);
      if (process.env.BRSEC_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    }
    process.exitCode = ExitCode.USAGE;
  }
}

void main(process.argv.slice(2));
