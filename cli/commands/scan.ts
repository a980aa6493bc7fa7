// `brsec scan`: the command line turned into the fleet pipeline's options (src/fleet), and its summary printed.
// Everything a scan does is the library's; this file knows flags, the configuration file and the terminal.
import type { Argv } from 'yargs';
import {
  ExitCode,
  FORMATS,
  InputError,
  loadCatalog,
  planScan,
  scanFleet,
  SEVERITIES,
  UsageError,
  captureScript,
  type FleetOptions,
  type FleetOutput,
  type FleetSummary,
  type Format,
  type DisplayFilter,
  type SelectOptions,
  type Severity,
  STATUSES,
  type Status,
} from '../../src/index.js';
import { colorLevel, type ColorLevel, findConfig, PARALLEL_FROM, printable, readConfig, variantFromFlag } from '../../src/internal.js';
import { progressPrinter, regionOf, ssmOptions, toSsmOptions, type SsmArgs } from './ssm-options.js';
import { STDIN_ARG } from '../stdin.js';
import { argName } from '../env.js';

export interface ScanArgs extends SsmArgs {
  inputs?: string[];
  launchTemplates?: string[];
  level?: 1 | 2;
  variant?: string;
  format?: Format;
  output?: string[];
  check?: string[];
  skip?: string[];
  jobs?: number;
  profile?: string[];
  allowedRegistry?: string[];
  updateRepository?: string[];
  waivers?: string;
  baseline?: string;
  failOn?: Severity;
  strict?: boolean;
  sarifInclude?: ('error' | 'manual')[];
  sarifCategory?: string;
  config?: string;
  inspector?: boolean;
  securityHub?: boolean;
  securityHubScope?: string;
  awsAccount?: string;
  maxFindingAge?: number;
  drift?: string;
  color?: boolean;
  quiet?: boolean;
  exitZero?: boolean;
  maxScanAge?: number;
  showStatus?: string[];
  skipUnrecognized?: boolean;
  showSeverity?: string[];
  groupBy?: string;
  history?: string;
}

/** A report as --format and --output name it: a format, and a file or (none) standard output. */
interface Output {
  format: Format;
  target?: string;
}

export function scanBuilder(yargs: Argv): Argv<ScanArgs> {
  return ssmOptions(yargs)
    .positional('inputs', {
      describe: 'Snapshots, apiclient or bloodhound JSON, user data TOML, folders, or - for stdin (none with --ssm)',
      type: 'string',
      array: true,
    })
    .option('profile', {
      alias: 'p',
      describe:
        "Profiles to run: cis-bottlerocket, cis-node, cis-kubernetes, cis-eks (or one version: cis-kubernetes-v1.12, …), hardening, audit-logging, fips, pci-dss, nist-800-53, all (brsec checks profiles; default: by each host's variant)",
      type: 'string',
      array: true,
    })
    .option('level', {
      alias: 'l',
      describe: 'CIS level: 1, or 2 for Level 1 and Level 2 [default: 2]',
      choices: [1, 2] as const,
      type: 'number',
    })
    .option('variant', {
      describe: 'Bottlerocket variant to assume, e.g. aws-k8s-1.30 or aws-ecs-2 (user data names none)',
      type: 'string',
    })
    .option('format', { alias: 'f', describe: 'Report format [default: text]', choices: FORMATS })
    .option('output', {
      alias: 'o',
      describe:
        "Where reports go: FILE for --format's report, or FORMAT=FILE for more (-o sarif=brsec.sarif -o json=brsec.json); files are replaced only when the scan finishes",
      type: 'string',
      array: true,
    })
    .option('check', { describe: 'Run only these check ids', type: 'string', array: true })
    .option('skip', { describe: 'Leave out these check ids', type: 'string', array: true })
    .option('waivers', { describe: 'Waivers file (YAML or JSON): accountable exceptions that no longer fail the run', type: 'string' })
    .option('baseline', { describe: 'A JSON report of an earlier scan: only FAILs new against it fail the run', type: 'string' })
    .option('fail-on', {
      describe: 'Fail the run only for FAILs at or above this severity [default: info, every FAIL]',
      choices: SEVERITIES,
    })
    .option('strict', { describe: 'ERROR and NOT_ASSESSED results fail the run too', type: 'boolean' })
    .option('sarif-include', {
      describe: 'Also report these statuses as SARIF results',
      choices: ['error', 'manual'] as const,
      array: true,
    })
    .option('sarif-category', {
      describe: "Start of each SARIF run's category, <category>/<host>/ (default: brsec/<profiles>)",
      type: 'string',
    })
    .option('allowed-registry', {
      describe: "Registries host and bootstrap containers may come from, as globs (default: Bottlerocket's own)",
      type: 'string',
      array: true,
    })
    .option('update-repository', {
      describe: 'Update repositories hosts may use, as URL globs (default: https://updates.bottlerocket.aws/**)',
      type: 'string',
      array: true,
    })
    .option('launch-templates', {
      describe:
        'Scan the launch templates in use (each default and latest version) whose image or user data is Bottlerocket, read from EC2; optionally only these ids or names',
      type: 'string',
      array: true,
    })
    .option('inspector', {
      describe: 'Add Amazon Inspector coverage and findings for EC2 hosts to their snapshots (and check them)',
      type: 'boolean',
    })
    .option('security-hub', {
      describe: 'Import the findings into AWS Security Hub, archiving those of hosts and checks that are gone',
      type: 'boolean',
    })
    .option('security-hub-scope', {
      describe: 'Findings of earlier audits with the same scope whose host or check is gone are archived [default: default]',
      type: 'string',
    })
    .option('aws-account', {
      describe: 'Account that imports the findings, for -f asff/ocsf files (with --security-hub it is asked of STS)',
      type: 'string',
    })
    .option('color', {
      describe: 'Colour the text report (--no-color: never; default: on a terminal, as NO_COLOR and FORCE_COLOR say)',
      type: 'boolean',
    })
    .option('history', {
      describe: 'A folder of earlier JSON reports: the HTML report draws the trend of failing hosts and results to this scan',
      type: 'string',
    })
    .option('group-by', {
      describe: 'Roll the totals up by group too: variant, version (Bottlerocket), nodegroup (EKS, Karpenter and eksctl tags) or tag:<key>',
      type: 'string',
    })
    .option('skip-unrecognized', {
      describe:
        'Skip files of no kind brsec reads (for pre-commit hooks and globs) instead of failing on them; broken files of a kind it reads still fail',
      type: 'boolean',
    })
    .option('show-status', {
      describe:
        'List only results of these statuses in the text report (fail, error, not_assessed, manual, not_applicable, pass); counts and the gate keep all',
      type: 'string',
      array: true,
    })
    .option('show-severity', {
      describe:
        'List only results of these severities in the text report (critical, high, medium, low, info); counts and the gate keep all',
      type: 'string',
      array: true,
    })
    .option('quiet', { alias: 'q', describe: 'Print nothing on standard error but errors: no notes, no summary', type: 'boolean' })
    .option('exit-zero', {
      describe: 'Exit 0 whatever the checks found (exit codes 1 and 3); usage, input and AWS errors still exit 2 and 4',
      type: 'boolean',
    })
    .option('drift', {
      describe:
        "Compare each host's live settings with the user data it was launched from: a user data or node definition file, or launch-template (each EC2 host's own launch template version, from its tags); check BRSEC-settings-drift",
      type: 'string',
    })
    .option('max-finding-age', {
      describe: 'Days a critical or high Inspector finding with a fix may stay open [default: 30]',
      type: 'number',
    })
    .option('max-scan-age', { describe: 'Days since Inspector last scanned a host [default: 7]', type: 'number' })
    .option('config', {
      describe: 'Configuration file (default: .brsec.yaml, .brsec.yml or brsec.config.json, from here up to the repository root)',
      type: 'string',
    })
    .option('jobs', {
      alias: 'j',
      describe: `Scan threads for ${PARALLEL_FROM} or more inputs (default: one per core, at most 8)`,
      type: 'number',
    })
    .example('$0 scan snapshot.json', 'Scan one host snapshot with the profiles of its variant')
    .example('$0 scan --variant aws-k8s-1.30 user-data.toml -o sarif=brsec.sarif', 'Scan user data and write SARIF for code scanning')
    .example('$0 scan snapshots/ -f json -o report.json', 'Scan a fleet into a JSON report')
    .example('$0 scan snapshot.json --profile pci-dss', 'Show PCI DSS v4.0.1 requirement by requirement')
    .example('$0 scan hosts/ --waivers waivers.yaml --baseline last.json --fail-on high', 'A CI gate')
    .example(
      '$0 scan --ssm --region us-west-2 -f json -o fleet.json',
      'Scan every online Bottlerocket node of a region as its snapshot arrives',
    )
    .example(
      '$0 scan --launch-templates --region us-west-2',
      'Scan the user data of every Bottlerocket launch template in use',
    ) as unknown as Argv<ScanArgs>;
}

/** The command line laid over the configuration file: a flag given on the command line always wins. */
function withConfig(args: ScanArgs): ScanArgs {
  const file = args.config ?? findConfig(process.cwd());
  if (!file) return args;
  const { values } = readConfig(file);
  const merged: Record<string, unknown> = { ...args };
  const taken: Partial<ScanArgs> = {};
  for (const [key, value] of Object.entries(values)) {
    const arg = argName(key);
    if (value === undefined || merged[arg] !== undefined) continue;
    merged[arg] = (taken as Record<string, unknown>)[arg] = key === 'profile' && typeof value === 'string' ? [value] : value;
  }
  // A mistyped profile, check id or variant in the file is named with the file, as other errors in it are.
  try {
    if (taken.variant) variantFromFlag(taken.variant);
    const selection: SelectOptions = {};
    if (taken.profile) selection.profiles = taken.profile;
    if (taken.check) selection.checks = taken.check;
    if (taken.skip) selection.skip = taken.skip;
    if (taken.level !== undefined) selection.level = taken.level;
    if (Object.keys(selection).length > 0) planScan(loadCatalog(), selection);
  } catch (err) {
    if (err instanceof UsageError) throw new InputError(file, err.message);
    throw err;
  }
  return merged as unknown as ScanArgs;
}

function outputsOf(args: ScanArgs): Output[] {
  const format: Format = args.format ?? 'text';
  let primary: Output = { format };
  const extra: Output[] = [];
  // `-` is standard output, as for inputs it is standard input.
  const targetOf = (file: string) => (file === '-' || file === STDIN_ARG ? undefined : file);
  for (const value of args.output ?? []) {
    const named = /^([a-z]+)=(.+)$/.exec(value);
    if (named && (FORMATS as readonly string[]).includes(named[1] as string)) {
      const target = targetOf(named[2] as string);
      extra.push(target === undefined ? { format: named[1] as Format } : { format: named[1] as Format, target });
      continue;
    }
    if (named && !/[/\\.]/.test(named[1] as string))
      throw new UsageError(`--output ${value}: unknown format "${named[1]}" (expected one of ${FORMATS.join(', ')})`);
    if (primary.target) throw new UsageError(`--output: only one plain FILE (for --format's report); name the others as FORMAT=FILE`);
    const target = targetOf(value);
    primary = target === undefined ? { format } : { format, target };
  }
  const all = [primary, ...extra];
  const toStdout = all.filter((o) => o.target === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(
      `--output: ${toStdout.map((o) => o.format).join(' and ')} would both go to standard output; give all but one a file`,
    );
  }
  const targets = all.map((o) => o.target).filter((t): t is string => t !== undefined);
  const duplicate = targets.find((t, i) => targets.indexOf(t) !== i);
  if (duplicate) throw new UsageError(`--output: ${duplicate} is named twice`);
  return all;
}

/** `--show-status fail,error --show-severity high,critical`: which results a text report lists. */
function displayFilterOf(args: ScanArgs): DisplayFilter | undefined {
  const list = (values: readonly string[] | undefined) =>
    values
      ?.flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
  const statuses = list(args.showStatus)?.map((s) => {
    const status = s.toUpperCase().replace(/-/g, '_');
    if (!(STATUSES as readonly string[]).includes(status))
      throw new UsageError(`--show-status ${s}: expected one of ${STATUSES.map((x) => x.toLowerCase()).join(', ')}`);
    return status as Status;
  });
  const severities = list(args.showSeverity)?.map((s) => {
    const severity = s.toLowerCase();
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw new UsageError(`--show-severity ${s}: expected one of ${SEVERITIES.join(', ')}`);
    return severity as Severity;
  });
  if (!statuses && !severities) return undefined;
  return { ...(statuses ? { statuses } : {}), ...(severities ? { severities } : {}) };
}

/** The scan's options, from the command line and the configuration file. */
function fleetOptionsOf(args: ScanArgs): FleetOptions {
  const inputs = (args.inputs ?? []).map((arg) => (arg === STDIN_ARG ? '-' : arg));
  if (args.ssm && args.launchTemplates) throw new UsageError('--ssm and --launch-templates are two sources: scan one at a time');
  if (args.ssm && inputs.length > 0) throw new UsageError('--ssm collects the inputs itself: name no files with it');
  if (args.launchTemplates && inputs.length > 0)
    throw new UsageError('--launch-templates reads its inputs from EC2: name no files with it');
  if (!args.ssm && !args.launchTemplates && inputs.length === 0)
    throw new UsageError('name at least one input: a file, a folder, or - for standard input (or use --ssm or --launch-templates)');
  const ssm = args.ssm ? toSsmOptions(args, captureScript(), progressPrinter()) : undefined;
  const show = displayFilterOf(args);
  const outputs: FleetOutput[] = outputsOf(args).map((o) =>
    o.target
      ? { format: o.format, path: o.target, ...(o.format === 'text' && show ? { show } : {}) }
      : {
          ...(o.format === 'text' && show ? { show } : {}),
          format: o.format,
          stream: process.stdout,
          ...(o.format === 'text'
            ? {
                // The flag decides over NO_COLOR and the terminal; FORCE_COLOR still picks the depth.
                color:
                  args.color === false
                    ? 0
                    : args.color === true
                      ? (Math.max(1, colorLevel(true, { ...process.env, NO_COLOR: undefined })) as ColorLevel)
                      : colorLevel(Boolean(process.stdout.isTTY), process.env),
              }
            : {}),
        },
  );
  const options: FleetOptions = { outputs, level: args.level ?? 2, ...(ssm ? { ssm } : args.launchTemplates ? {} : { inputs }) };
  if (args.launchTemplates)
    options.launchTemplates = {
      region: regionOf(args),
      ...(args.awsProfile ? { profile: args.awsProfile } : {}),
      ...(args.launchTemplates.length > 0 ? { templates: args.launchTemplates } : {}),
    };
  // `--drift launch-template`: each EC2 host against the launch template version it was launched from.
  if (args.drift === 'launch-template')
    options.drift = { launchTemplate: { region: regionOf(args), ...(args.awsProfile ? { profile: args.awsProfile } : {}) } };
  else if (args.drift) options.drift = args.drift;
  if (args.skipUnrecognized) options.skipUnrecognized = true;
  if (args.history !== undefined) options.history = args.history;
  if (args.groupBy !== undefined) {
    if (!/^(variant|version|nodegroup|tag:.+)$/.test(args.groupBy))
      throw new UsageError(`--group-by ${args.groupBy}: expected variant, version, nodegroup or tag:<key>`);
    options.groupBy = args.groupBy as FleetOptions['groupBy'] & string;
  }
  if (args.check) options.checks = args.check;
  if (args.skip) options.skip = args.skip;
  if (args.profile) options.profiles = args.profile;
  const parameters: Record<string, unknown> = {};
  if (args.allowedRegistry) parameters.allowedRegistries = args.allowedRegistry;
  if (args.updateRepository) parameters.updateRepositories = args.updateRepository;
  if (args.maxFindingAge !== undefined) parameters.maxFindingAgeDays = args.maxFindingAge;
  if (args.maxScanAge !== undefined) parameters.maxScanAgeDays = args.maxScanAge;
  if (Object.keys(parameters).length > 0) options.parameters = parameters;
  if (args.variant) options.variant = args.variant;
  if (args.waivers) options.waivers = args.waivers;
  if (args.baseline) options.baseline = args.baseline;
  if (args.failOn) options.failOn = args.failOn;
  if (args.strict) options.strict = true;
  if (args.jobs !== undefined) options.jobs = args.jobs;
  if (args.sarifInclude) options.sarifInclude = args.sarifInclude;
  if (args.sarifCategory) options.sarifCategory = args.sarifCategory;
  // AWS: Security Hub (whose caller identity also names the account asff and ocsf files are for), Inspector.
  const needsAws = outputs.some((o) => o.format === 'asff' || o.format === 'ocsf') || args.securityHub;
  const region = needsAws || args.inspector ? regionOf(args) : '';
  const profile = args.awsProfile ? { profile: args.awsProfile } : {};
  if (args.awsAccount !== undefined && !/^[0-9]{12}$/.test(args.awsAccount))
    throw new UsageError(`--aws-account ${args.awsAccount}: expected 12 digits`);
  if (needsAws && !args.securityHub && !args.awsAccount) {
    throw new UsageError('asff and ocsf reports need the importing account: pass --aws-account (and --region), or use --security-hub');
  }
  if (args.securityHub) {
    options.securityHub = {
      region,
      ...profile,
      ...(args.securityHubScope ? { scope: args.securityHubScope } : {}),
      ...(args.awsAccount ? { accountId: args.awsAccount } : {}),
    };
  } else if (args.awsAccount) {
    options.aws = { accountId: args.awsAccount, region };
  }
  if (args.inspector) options.inspector = { region, ...profile };
  return options;
}

/** One line of a scan's outcome, for when every report went to a file. */
function summaryLine(summary: FleetSummary): string {
  const t = summary.totals;
  const hosts = (['FAIL', 'ERROR', 'PASS', 'NOT_ASSESSED', 'MANUAL', 'NOT_APPLICABLE'] as const)
    .filter((s) => t.hostsByStatus[s] > 0)
    .map((s) => `${t.hostsByStatus[s]} ${s}`)
    .join(', ');
  const errors = t.inputErrors > 0 ? ` · ${t.inputErrors} input error(s)` : '';
  return `brsec: ${t.hosts} host(s)${hosts ? ` (${hosts})` : ''} · ${t.gate.failing} result(s) failing the run${errors} · exit ${summary.exitCode}`;
}

/** What the summary says on standard error: reports cut short and the Security Hub import. */
function printSummary(summary: FleetSummary): void {
  const hub = summary.securityHub;
  if (hub) {
    const s = hub.summary;
    process.stderr.write(
      `brsec: Security Hub (${hub.productArn}, scope ${hub.scope}): ${s.imported} finding(s) imported, ${s.archived} archived, ${s.failed.length} failed, in ${s.requests} request(s)\n`,
    );
    for (const f of s.failed)
      process.stderr.write(
        `brsec: ${printable(`Security Hub rejected ${f.id}: ${f.code}: ${f.message} (${f.permanent ? 'permanent: sending it again cannot help' : 'still failing after 3 attempts'})`)}\n`,
      );
    for (const o of s.otherAccounts)
      process.stderr.write(
        `brsec: ${printable(o.host)}: skipped for Security Hub: account ${o.accountId} is not the caller's (${hub.accountId})\n`,
      );
    for (const id of s.oversize) process.stderr.write(`brsec: ${printable(id)}: skipped for Security Hub: over 240 KB\n`);
  }
  for (const d of summary.leftOut) {
    process.stderr.write(
      `brsec: the ${d.format} report holds at most ${d.maxItems} ${d.itemsName}; ${d.hosts} host(s) with ${d.items} ${d.itemsName} were left out (the JSON report has them all)\n`,
    );
  }
}

export async function runScan(cliArgs: ScanArgs): Promise<number> {
  const options = fleetOptionsOf(withConfig(cliArgs));
  options.onInputError = (problem) => void process.stderr.write(`brsec: ${printable(`${problem.file}: ${problem.message}`)}\n`);
  if (!cliArgs.quiet)
    options.onSkipped = (skipped) => void process.stderr.write(`brsec: skipped ${printable(`${skipped.file}: ${skipped.reason}`)}\n`);
  const summary = await scanFleet(options);
  if (!cliArgs.quiet) printSummary(summary);
  // Every report went to a file: the terminal gets one line of what they hold.
  if (!cliArgs.quiet && options.outputs.every((o) => o.path !== undefined)) process.stderr.write(`${summaryLine(summary)}\n`);
  // A soft fail: findings never fail the run; what kept the scan from running still does.
  if (cliArgs.exitZero && (summary.exitCode === ExitCode.FAILED || summary.exitCode === ExitCode.INCOMPLETE)) return ExitCode.OK;
  return summary.exitCode;
}
