// The brsec command line: a thin yargs adapter over the library. Returns the exit code; only bin.ts exits.
import yargs from 'yargs';
import { brsecVersion, captureScript, UsageError } from '../src/index.js';
import { runScan, scanBuilder, type ScanArgs } from './commands/scan.js';
import { STDIN_ARG as STDIN } from './stdin.js';
import { envName, environmentArguments } from './env.js';
import { runWaiversLint, type WaiversLintArgs } from './commands/waivers.js';
import { collectBuilder, runCollect, type CollectArgs } from './commands/collect.js';
import { diffBuilder, runDiff, type DiffArgs } from './commands/diff.js';
import {
  listBuilder,
  runChecksBenchmarks,
  runChecksList,
  runChecksProfiles,
  runChecksShow,
  type ChecksListArgs,
} from './commands/checks.js';

function wantsHelp(argv: readonly string[]): boolean {
  return argv.length === 0 || argv.some((a) => a === '--help' || a === '-h' || a === 'help');
}

/** The command nearest to a mistyped one (at most two edits away), for "did you mean". */
function nearestCommand(word: string): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  const ranked = COMMANDS.map((c) => [c, distance(word, c)] as const).sort((x, y) => x[1] - y[1]);
  return ranked[0] && ranked[0][1] <= 2 ? ranked[0][0] : undefined;
}

const COMMANDS = ['scan', 'collect', 'diff', 'checks', 'waivers', 'capture-script', 'completion'];

/** The commands whose options BRSEC_* variables may set, by their builders. */
const ENV_BUILDERS = {
  scan: scanBuilder,
  collect: collectBuilder,
  diff: diffBuilder,
  'checks list': listBuilder,
} as const satisfies Record<string, Parameters<typeof environmentArguments>[0]['builders'][string]>;

/**
 * yargs' message as one line that names the option and the value: its "Invalid values:" message puts them on the
 * lines below, which a one-line error would drop.
 */
export function oneLine(message: string): string {
  const invalid = /^Invalid values:\s*\n\s*Argument: ([^,]+), Given: (.*?), Choices: (.*)$/s.exec(message.trim());
  if (invalid) {
    const [, option, given, choices] = invalid as unknown as [string, string, string, string];
    const flag = option.length === 1 ? `-${option}` : `--${option}`;
    return `${flag} ${given} is not one of ${choices.replace(/\s*\n\s*/g, ' ').trim()}`;
  }
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

export async function run(argv: string[]): Promise<number> {
  let code = 0;
  argv = argv.map((arg) => (arg === '-' ? STDIN : arg));
  // Bare `brsec` is a request for help, not a mistake.
  if (argv.length === 0) argv = ['--help'];
  const first = argv[0];
  if (first !== undefined && !first.startsWith('-') && !COMMANDS.includes(first) && first !== 'help') {
    const near = nearestCommand(first);
    throw new UsageError(`unknown command "${first}"${near ? `; did you mean ${near}?` : `: expected one of ${COMMANDS.join(', ')}`}`);
  }
  const write = (s: string) => void process.stdout.write(s);
  const command = first === 'checks' && argv[1] === 'list' ? 'checks list' : first;
  const fromEnv = environmentArguments({
    argv,
    env: process.env,
    command,
    builders: ENV_BUILDERS,
    warn: (line) => void process.stderr.write(`${line}\n`),
  });
  argv = [...argv, ...fromEnv];
  /** A refused value that came from the environment names its variable, since no flag on the command line shows it. */
  const naming = (line: string): string => {
    const flag = /^--([a-z-]+)\b/.exec(line)?.[1];
    const envSet = flag !== undefined && fromEnv.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`) || a === `--no-${flag}`);
    return envSet ? `${line} (set by ${envName(flag)})` : line;
  };
  const parser = yargs(argv)
    .scriptName('brsec')
    .usage('$0 <command> [options]\n\nCompliance and hardening scanner for Bottlerocket hosts.')
    // The scan is started below, once the arguments are parsed and checked.
    .command<ScanArgs>(
      'scan [inputs..]',
      'Evaluate CIS Bottlerocket, CIS Kubernetes, PCI DSS and hardening checks against snapshots, API output, bloodhound reports or user data',
      scanBuilder,
    )
    .command('checks', 'List or show the checks and profiles brsec ships', (y) =>
      y
        .command<ChecksListArgs>('list', 'List checks', listBuilder, (args) => {
          code = runChecksList(args, write);
        })
        .command<{ id: string; format: 'text' | 'json' }>(
          'show <id>',
          'Show everything about one check',
          (y2) =>
            y2
              .positional('id', { type: 'string', demandOption: true, describe: 'Check id, e.g. BR-1.4.2' })
              .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as never,
          (args) => {
            code = runChecksShow(args, write);
          },
        )
        .command<{ format: 'text' | 'json' }>(
          'profiles',
          'List the profiles a scan can run, and which hosts get which by default',
          (y2) => y2.option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as never,
          (args) => {
            code = runChecksProfiles(args, write);
          },
        )
        .command<{ format: 'text' | 'json' }>(
          'benchmarks',
          'List the benchmarks and versions, and the table that picks the version each Kubernetes node is judged against',
          (y2) => y2.option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as const }) as never,
          (args) => {
            code = runChecksBenchmarks(args, write);
          },
        )
        .demandCommand(1, 'name a subcommand: list, show, profiles or benchmarks'),
    )
    .command<CollectArgs>(
      'collect',
      'Collect snapshots: from the Bottlerocket API socket, or from a fleet over SSM Run Command',
      collectBuilder,
      async (args) => {
        code = await runCollect(args);
      },
    )
    .command<DiffArgs>(
      'diff <old> <new>',
      'Compare two JSON reports: failures new, fixed and still failing per host and check, hosts added and gone',
      diffBuilder,
      async (args) => {
        code = await runDiff(args);
      },
    )
    .command(
      'capture-script',
      'Print the POSIX sh script that captures a snapshot on a Bottlerocket host',
      () => {},
      () => {
        write(captureScript());
      },
    )
    .command('waivers', 'Check a waivers file', (y) =>
      y
        .command<WaiversLintArgs>(
          'lint <file>',
          'Reject unknown check ids, missing fields and bad dates; warn about waivers that expired or expire soon',
          (y2) =>
            y2
              .positional('file', { type: 'string', demandOption: true, describe: 'Waivers file (YAML or JSON)' })
              .option('warn-days', { type: 'number', default: 14, describe: 'Warn about waivers expiring within this many days' }) as never,
          (args) => {
            if (!Number.isInteger(args.warnDays) || args.warnDays < 0)
              throw new UsageError(`--warn-days must be a whole number of days, not ${String(args.warnDays)}`);
            code = runWaiversLint(args, write, (s) => void process.stderr.write(s));
          },
        )
        .demandCommand(1, 'name a subcommand: lint'),
    )
    // `brsec completion >> ~/.bashrc` (or ~/.zshrc): commands and options complete in bash and zsh.
    .completion('completion', 'Print a shell completion script for bash and zsh')
    .demandCommand(1, 'name a command: scan, collect, diff, checks, waivers or capture-script')
    .strict()
    .version(brsecVersion())
    .alias('h', 'help')
    .alias('V', 'version')
    .epilog(
      'Exit codes: 0 nothing failed the run · 1 a check failed (not waived, at or above --fail-on, new against --baseline) · 2 usage or input error · 3 no failure, but some evidence was unusable (ERROR) or a host had nothing assessable · 4 an AWS service could not be used (credentials, network, permissions) · 141 the reader of standard output went away\n\nConfiguration: .brsec.yaml, .brsec.yml or brsec.config.json, from the working folder up to the repository root (the folder with .git); --config names one. Every option may be set as BRSEC_<OPTION> (BRSEC_FAIL_ON=high, BRSEC_PROFILE=a,b); the command line wins over it, and it over the configuration.',
    )
    // yargs lays out the help text on every run; wrapping it costs milliseconds, so only when it is shown.
    .wrap(wantsHelp(argv) ? Math.min(110, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(naming(oneLine(message)));
    });
  // yargs lays out its whole help text after every command, to have it ready should the command fail; that is
  // milliseconds of every cold start. Errors here are one line without help, so skip it unless help was asked for.
  const usage = (parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.()
    .getUsageInstance?.();
  if (usage?.cacheHelpMessage && !wantsHelp(argv)) usage.cacheHelpMessage = () => {};
  const parsed = await parser.parseAsync();
  const infoOnly = wantsHelp(argv) || argv.includes('--version') || argv.includes('-V');
  if (parsed._[0] === 'scan' && !infoOnly) code = await runScan(parsed as unknown as ScanArgs);
  return code;
}
