// The fact table: which capture a fact comes from, how it is parsed and how a check selects part of it.
// Facts are parsed at most once per host, and only when a selected check asks for them.
import type { Capture, Inspector2Evidence, Snapshot } from '../types.js';
import { ParseError } from './parse-error.js';
import { parseCmdline, parseLockdown, parseModprobe, parseModules, parseSysctl, type KernelCmdline } from './kernel.js';
import { parseIptables, type Firewall } from './iptables.js';
import {
  parseChronyConf,
  parseFileModes,
  parseSelinuxEnforce,
  parseSestatus,
  parseSystemctlShow,
  parseSystemdIni,
  type FileMode,
} from './services.js';
import { parseApiclientGet, parseBloodhoundReport, parseUpdateStatus, type BloodhoundReport, type UpdateStatus } from './apiclient.js';
import { parseKubeletConfig } from './kubelet.js';
import type { ScanMemo } from '../memo.js';

export const SSM_TRUNCATION_MARKER = '--output truncated--';

export const CAPTURE = {
  apiclientGet: 'apiclient get',
  apiclientGetSettings: 'apiclient get settings',
  apiclientGetOs: 'apiclient get os',
  updateCheck: 'apiclient update check',
  reportCis: 'apiclient report cis -f json -l 2',
  reportCisK8s: 'apiclient report cis-k8s -f json -l 2',
  reportFips: 'apiclient report fips -f json',
  fipsEnabled: 'cat /proc/sys/crypto/fips_enabled',
  cmdline: 'cat /proc/cmdline',
  lockdown: 'cat /sys/kernel/security/lockdown',
  sestatus: 'sestatus',
  selinuxEnforce: 'cat /sys/fs/selinux/enforce',
  sysctl: 'sysctl -a',
  modules: 'cat /proc/modules',
  iptables: 'iptables -L -v -n',
  ip6tables: 'ip6tables -L -v -n',
  chronyConf: 'cat /etc/chrony.conf',
  chronyd: 'systemctl show --property ActiveState chronyd',
  journaldConf: 'cat /usr/lib/systemd/journald.conf.d/journald.conf',
  journalFiles: "find /var/log/journal -type f -printf '%m %u %g %p\\n'",
  kubeletConfig: 'cat /etc/kubernetes/kubelet/config',
  kubeletFiles:
    "stat -c '%a %u %g %n' /etc/systemd/system/kubelet.service.d/exec-start.conf /etc/kubernetes/kubelet/kubeconfig /etc/kubernetes/pki/ca.crt /etc/kubernetes/kubelet/config",
} as const;

/**
 * Captures each of brsec's collectors always takes, by collector (`collector.name`, or `via` for the API socket):
 * one that is missing from such a snapshot was lost, and the snapshot is incomplete rather than clean. A command
 * that failed is still recorded, with its exit code, so a missing key is never a command that did not run.
 */
const SCRIPT_ALWAYS = [
  CAPTURE.apiclientGet,
  CAPTURE.updateCheck,
  CAPTURE.reportCis,
  CAPTURE.cmdline,
  CAPTURE.lockdown,
  CAPTURE.selinuxEnforce,
  CAPTURE.modules,
  CAPTURE.sysctl,
];
export function capturesAlwaysTaken(collector: Record<string, unknown> | undefined): { by: string; keys: readonly string[] } | null {
  if (!collector) return null;
  if (collector.via === 'api-socket')
    return { by: 'the API socket collector', keys: [CAPTURE.apiclientGet, 'apiclient get /updates/status', CAPTURE.reportCis] };
  if (collector.name === 'brsec-capture' || collector.via === 'ssm') return { by: "brsec's capture script", keys: SCRIPT_ALWAYS };
  return null;
}

/** Capture key of the modprobe dry run for one module. */
export function modprobeKey(module: string): string {
  return `modprobe -n -v ${module}`;
}

/** A selected value, or that the capture is usable but does not hold this item. */
/**
 * A selected value; that the capture is usable but does not hold this item; or that the capture is structurally
 * incomplete for this item (a listing that lacks a part its command always prints), which makes it unusable.
 */
export type Selection = { found: true; value: unknown } | { found: false; value?: undefined; incomplete?: string };

const found = (value: unknown): Selection => ({ found: true, value });
const missing: Selection = { found: false };

export interface FactDefinition<T = unknown> {
  /** Whether a leaf names a key of the fact, checked when a check is loaded. */
  key: 'required' | 'optional' | 'none';
  /** What the key is, and what the fact selects, in words: the facts table of docs/checks.md. */
  keyDoc: string;
  valueDoc: string;
  /** Capture keys that hold this fact; the first present one is used. `{key}` is the leaf's key. */
  captures: readonly string[];
  /** Whether empty stdout is a valid output. */
  allowEmpty: boolean;
  /** Why empty output cannot be used, where "empty output" would not say enough. */
  emptyProblem?: string;
  /** Whether the leaf's key is part of the capture key (modprobe per module). */
  keyedCapture?: boolean;
  /** Parses the capture; parsers that share work between hosts keep it in the scan's memo. */
  parse(stdout: string, memo: ScanMemo): T;
  /**
   * Selects part of the parsed fact. Not found means the item is absent from a usable capture; for
   * facts where absence is itself evidence (a module not loaded, an unset key) select returns found.
   */
  select(value: T, key: string | undefined): Selection;
  /** How the selected item is named in reasons, e.g. `fs.suid_dumpable`. */
  describe(key: string | undefined): string;
  /** For facts that come from the snapshot itself rather than a capture (AWS evidence). */
  fromSnapshot?(snapshot: Snapshot): Fact<unknown>;
}

function define<T>(definition: FactDefinition<T>): FactDefinition<unknown> {
  return definition as FactDefinition<unknown>;
}

function mapSelect(map: Map<string, string>, key: string | undefined): Selection {
  if (key === undefined) return found(Object.fromEntries(map));
  return map.has(key) ? found(map.get(key)) : missing;
}

/** Keys split at dots, once per key: every host selects the same few dozen. */
const keyParts = new Map<string, string[]>();
function partsOf(key: string): string[] {
  let parts = keyParts.get(key);
  if (parts === undefined) keyParts.set(key, (parts = key.split('.')));
  return parts;
}

function pathSelect(root: unknown, key: string | undefined): Selection {
  if (key === undefined) return found(root);
  let node: unknown = root;
  for (const part of partsOf(key)) {
    if (typeof node !== 'object' || node === null || !(part in node)) return found(undefined);
    node = (node as Record<string, unknown>)[part];
  }
  return found(node);
}

function cmdlineSelect(cmdline: KernelCmdline, key: string | undefined): Selection {
  if (key === undefined) return found(cmdline.tokens);
  if (key.startsWith('param:')) return found(cmdline.params.get(key.slice(6)));
  if (key === 'verity') return found(cmdline.verity);
  if (key.startsWith('verity.')) {
    const field = key.slice(7) as keyof NonNullable<KernelCmdline['verity']>;
    return found(cmdline.verity ? cmdline.verity[field] : undefined);
  }
  return missing;
}

function firewallSelect(firewall: Firewall, key: string | undefined): Selection {
  if (key === undefined) return found([...firewall.chains.keys()]);
  const [chainName = '', field = ''] = partsOf(key);
  const chain = firewall.chains.get(chainName);
  // The filter table's built-in chains are always listed: one that is not, or is cut off, was lost from the capture.
  const incomplete = firewall.incomplete.get(chainName);
  if (incomplete !== undefined) return { found: false, incomplete };
  if (field === 'policy') return found(chain?.policy ?? undefined);
  if (field === 'rules') return found(chain?.rules ?? []);
  return missing;
}

const namesOf = new WeakMap<object, string[]>();
/** Directive names, made once per parsed configuration (shared by hosts with the same file). */
function directiveNames(directives: { name: string }[]): string[] {
  let names = namesOf.get(directives);
  if (!names) namesOf.set(directives, (names = directives.map((d) => d.name)));
  return names;
}

const asList = new WeakMap<FileMode, FileMode[]>();
/** The same one-file list for the same parsed file, so hosts that share the parsed fact share the selection too. */
function singleFile(file: FileMode): FileMode[] {
  let listed = asList.get(file);
  if (!listed) asList.set(file, (listed = [file]));
  return listed;
}

/** `/proc/sys/crypto/fips_enabled`: the kernel prints 0 or 1. */
function parseFipsEnabled(text: string): string {
  const value = text.trim();
  if (value !== '0' && value !== '1') throw new ParseError(`expected 0 or 1, got "${value.slice(0, 20)}"`);
  return value;
}

/**
 * The checks of bloodhound's FIPS report that did not pass: a FAIL is evidence, a SKIP means bloodhound could not
 * tell (so the report cannot show the checks pass), and a report of another kind is not FIPS evidence at all.
 */
function fipsReportSelect(report: BloodhoundReport, key: string | undefined): Selection {
  if (report.type !== 'fips')
    return {
      found: false,
      incomplete: `it is a ${report.name ? `"${report.name.slice(0, 60)}"` : 'bloodhound'} report, not bloodhound's FIPS report`,
    };
  const results = report.all();
  if (key !== 'failing') return missing;
  const failing = results
    .filter((r) => r.status === 'FAIL' && !r.overridden)
    .map((r) => `${r.id} ${r.title}${r.error ? ` ("${r.error.slice(0, 120)}")` : ''}`);
  if (failing.length > 0) return found(failing);
  const unknown = results.filter((r) => r.status === 'SKIP' || r.overridden);
  if (results.length === 0) return { found: false, incomplete: 'the FIPS report lists no checks' };
  if (unknown.length > 0)
    return {
      found: false,
      incomplete: `bloodhound could not assess ${unknown.map((r) => r.id).join(', ')}${unknown[0]!.error ? ` ("${unknown[0]!.error.slice(0, 120)}")` : ''}`,
    };
  return found([]);
}

const INSPECTOR = 'Amazon Inspector';
const DAY = 86_400_000;

/** ACTIVE when some scan type is active, else what Inspector says, e.g. INACTIVE (UNSUPPORTED_OS). */
export function coverageStatus(evidence: Inspector2Evidence): string {
  if (evidence.coverage.length === 0) return 'not covered (Inspector does not know this instance)';
  const active = evidence.coverage.find((c) => c.statusCode === 'ACTIVE');
  if (active) return 'ACTIVE';
  const first = evidence.coverage[0]!;
  return `${first.statusCode}${first.reason ? ` (${first.reason})` : ''}`;
}

function inspectorOf(snapshot: Snapshot): Fact<Inspector2Evidence> {
  const evidence = snapshot.aws?.inspector2;
  if (!evidence) return { state: 'absent', sources: [`${INSPECTOR} (scan with --inspector)`] };
  // Ages are measured from when Inspector was asked: without readable times there is no telling.
  const times = [
    evidence.collectedAt,
    ...evidence.coverage.flatMap((c) => (c.lastScannedAt ? [c.lastScannedAt] : [])),
    ...evidence.findings.map((f) => f.firstObservedAt),
  ];
  const bad = times.find((t) => Number.isNaN(Date.parse(t)));
  if (bad !== undefined)
    return { state: 'unusable', source: INSPECTOR, problem: `aws.inspector2 holds a time that is not one: "${bad.slice(0, 40)}"` };
  return { state: 'ok', source: INSPECTOR, value: evidence };
}

const ageDays = (from: string, to: string): number => Math.floor((Date.parse(to) - Date.parse(from)) / DAY);

export const FACTS: Record<string, FactDefinition> = {
  sysctl: define({
    key: 'required',
    keyDoc: 'sysctl name',
    valueDoc: 'its value (a key missing from a usable dump is "absent", not a failure: a kernel without IPv6 has no `net.ipv6` keys)',
    captures: [CAPTURE.sysctl],
    allowEmpty: false,
    parse: parseSysctl,
    select: (values, key) => {
      if (key === undefined) return found(Object.fromEntries(values.entries()));
      const value = values.get(key);
      return value === undefined ? missing : found(value);
    },
    describe: (key) => key ?? 'sysctls',
  }),
  cmdline: define({
    key: 'optional',
    keyDoc: '`param:<name>`, `verity`, `verity.<field>`',
    valueDoc:
      'values of a kernel parameter; the dm-verity table (`name`, `readOnly`, `target`, `hashAlgorithm`, `options`, …); without a key, the tokens',
    captures: [CAPTURE.cmdline],
    allowEmpty: false,
    parse: parseCmdline,
    select: cmdlineSelect,
    describe: (key) =>
      key?.startsWith('param:')
        ? `kernel parameter ${key.slice(6)}`
        : key?.startsWith('verity')
          ? `dm-mod.create ${key}`
          : 'kernel command line',
  }),
  lockdown: define({
    key: 'required',
    keyDoc: '`active` or `available`',
    valueDoc: '`none`, `integrity` or `confidentiality`; the modes the kernel offers',
    captures: [CAPTURE.lockdown],
    allowEmpty: false,
    parse: parseLockdown,
    select: (value, key) => found(key === 'available' ? value.available : value.active),
    describe: () => 'active lockdown mode',
  }),
  sestatus: define({
    key: 'required',
    keyDoc: 'a label, e.g. `Current mode`',
    valueDoc: 'its value (with SELinux enabled, a missing label means the output was cut: unusable)',
    captures: [CAPTURE.sestatus],
    allowEmpty: false,
    parse: parseSestatus,
    // With SELinux enabled, sestatus always prints every field a check reads; one that is missing was cut off.
    select: (fields: Map<string, string>, key) => {
      const selected = mapSelect(fields, key);
      if (selected.found || key === undefined || fields.get('SELinux status') !== 'enabled') return selected;
      return {
        found: false,
        incomplete: `sestatus says SELinux is enabled but prints no "${key}:" line, which it always prints then, so the output is incomplete`,
      };
    },
    describe: (key) => (key ? `"${key}"` : 'sestatus'),
  }),
  'selinux.enforce': define({
    key: 'none',
    keyDoc: '',
    valueDoc: '`enforcing` or `permissive`',
    captures: [CAPTURE.selinuxEnforce],
    allowEmpty: false,
    parse: parseSelinuxEnforce,
    select: (value) => found(value),
    describe: () => 'SELinux mode',
  }),
  modules: define({
    key: 'required',
    keyDoc: 'module name',
    valueDoc: '`loaded` or `not loaded`',
    captures: [CAPTURE.modules],
    allowEmpty: false,
    parse: parseModules,
    select: (loaded, key) => found(key === undefined ? [...loaded] : loaded.has(key) ? 'loaded' : 'not loaded'),
    describe: (key) => (key ? `module ${key}` : 'loaded modules'),
  }),
  modprobe: define({
    key: 'required',
    keyDoc: 'module name',
    valueDoc: '`disabled`, `loadable` or `nothing-to-load`, from `modprobe -n -v <name>`',
    captures: ['modprobe -n -v {key}'],
    keyedCapture: true,
    allowEmpty: true,
    parse: parseModprobe,
    select: (value) => found(value.disposition),
    describe: (key) => `modprobe disposition of ${key ?? 'module'}`,
  }),
  iptables: define({
    key: 'required',
    keyDoc: '`<CHAIN>.policy`, `<CHAIN>.rules`',
    valueDoc:
      'the policy; the parsed rules (a listing without the built-in INPUT, FORWARD or OUTPUT chain, or with a chain cut off after its header, is unusable for that chain)',
    captures: [CAPTURE.iptables],
    allowEmpty: false,
    parse: parseIptables,
    select: firewallSelect,
    describe: (key) => (key ? `the IPv4 ${key.split('.')[0]} chain${key.endsWith('.policy') ? ' policy' : ''}` : 'IPv4 chains'),
  }),
  ip6tables: define({
    key: 'required',
    keyDoc: '`<CHAIN>.policy`, `<CHAIN>.rules`',
    valueDoc: 'as `iptables`, from `ip6tables -L -v -n`',
    captures: [CAPTURE.ip6tables],
    allowEmpty: false,
    parse: parseIptables,
    select: firewallSelect,
    describe: (key) => (key ? `the IPv6 ${key.split('.')[0]} chain${key.endsWith('.policy') ? ' policy' : ''}` : 'IPv6 chains'),
  }),
  'chrony.conf': define({
    key: 'none',
    keyDoc: '',
    valueDoc: 'directive names',
    captures: [CAPTURE.chronyConf],
    allowEmpty: true,
    parse: parseChronyConf,
    select: (directives) => found(directiveNames(directives)),
    describe: () => 'chrony directives',
  }),
  chronyd: define({
    key: 'required',
    keyDoc: 'a property, e.g. `ActiveState`',
    valueDoc: 'its value',
    captures: [CAPTURE.chronyd],
    allowEmpty: false,
    parse: parseSystemctlShow,
    select: mapSelect,
    describe: (key) => `chronyd ${key ?? 'state'}`,
  }),
  'journald.conf': define({
    key: 'required',
    keyDoc: '`Section.Key`',
    valueDoc: 'its value',
    captures: [CAPTURE.journaldConf],
    allowEmpty: true,
    parse: parseSystemdIni,
    select: (keys, key) => found(key === undefined ? Object.fromEntries(keys) : keys.get(key)),
    describe: (key) => key ?? 'journald settings',
  }),
  'journal.files': define({
    key: 'none',
    keyDoc: '',
    valueDoc: 'file modes of the journal',
    captures: [CAPTURE.journalFiles],
    // No files would pass every mode check; Bottlerocket's journald keeps its journal on disk, so a blank
    // listing shows the capture did not see the host's journal, not that it is safe.
    allowEmpty: false,
    emptyProblem: "an empty listing, though Bottlerocket's persistent journal always holds files",
    parse: parseFileModes,
    select: (files) => found(files),
    describe: () => 'journal files',
  }),
  'kubelet.config': define({
    key: 'required',
    keyDoc: 'dotted path',
    valueDoc: 'the YAML value',
    captures: [CAPTURE.kubeletConfig],
    allowEmpty: false,
    parse: parseKubeletConfig,
    select: pathSelect,
    describe: (key) => (key ? `kubelet ${key}` : 'kubelet configuration'),
  }),
  'kubelet.files': define({
    key: 'optional',
    keyDoc: 'a path',
    valueDoc: 'file modes (a path `stat` was asked about but did not list means the listing was cut: unusable)',
    captures: [CAPTURE.kubeletFiles],
    allowEmpty: false,
    parse: parseFileModes,
    // One file as a list of one, so file operators treat it like the journal's; a file stat did not list is absent.
    // stat prints a line for every file it is given, or fails: a listing without one of them was cut off.
    select: (files: FileMode[], key) => {
      if (key === undefined) return found(files);
      const file = files.find((f) => f.path === key);
      return file
        ? found(singleFile(file))
        : { found: false, incomplete: `stat printed no line for ${key}, which it was asked about, so the listing is incomplete` };
    },
    describe: (key) => key ?? 'kubelet files',
  }),
  'inspector.coverage': define({
    key: 'required',
    keyDoc: '`status` or `lastScanAgeDays`',
    valueDoc:
      "Amazon Inspector's coverage of the host (`ACTIVE`, or why not); days since its last scan (snapshot `aws.inspector2`, from `--inspector`)",
    captures: [],
    allowEmpty: false,
    parse: () => null,
    fromSnapshot: inspectorOf,
    select: (evidence: Inspector2Evidence, key) => {
      if (key === 'status') return found(coverageStatus(evidence));
      if (key === 'lastScanAgeDays') {
        const scans = evidence.coverage.filter((c) => c.statusCode === 'ACTIVE' && c.lastScannedAt).map((c) => c.lastScannedAt as string);
        if (scans.length === 0) return missing;
        const newest = scans.sort().at(-1) as string;
        return found(ageDays(newest, evidence.collectedAt));
      }
      return missing;
    },
    describe: (key) => (key === 'lastScanAgeDays' ? "days since Inspector's last scan" : 'Inspector coverage'),
  }),
  'inspector.findings': define({
    key: 'required',
    keyDoc: '`criticalHighWithFix`',
    valueDoc: 'active critical and high findings with a fix, as `{id, severity, ageDays}` (absent when Inspector does not cover the host)',
    captures: [],
    allowEmpty: false,
    parse: () => null,
    // Without coverage there is no knowing: never "no vulnerabilities".
    fromSnapshot: (snapshot) => {
      const fact = inspectorOf(snapshot);
      if (fact.state !== 'ok') return fact;
      const status = coverageStatus(fact.value);
      return status === 'ACTIVE' ? fact : { state: 'absent', sources: [INSPECTOR], why: `Inspector does not scan this host: ${status}` };
    },
    select: (evidence: Inspector2Evidence, key) => {
      if (key !== 'criticalHighWithFix') return missing;
      return found(
        evidence.findings
          .filter(
            (f) =>
              f.status === 'ACTIVE' &&
              (f.severity === 'CRITICAL' || f.severity === 'HIGH') &&
              (f.fixAvailable === 'YES' || f.fixAvailable === 'PARTIAL'),
          )
          .map((f) => ({
            id: f.vulnerabilityId ?? f.title,
            severity: f.severity,
            ageDays: ageDays(f.firstObservedAt, evidence.collectedAt),
          })),
      );
    },
    describe: () => 'active critical and high findings with a fix',
  }),
  'fips.enabled': define({
    key: 'none',
    keyDoc: '',
    valueDoc: '`0` or `1`, from `/proc/sys/crypto/fips_enabled`',
    captures: [CAPTURE.fipsEnabled],
    allowEmpty: false,
    parse: parseFipsEnabled,
    select: (value) => found(value),
    describe: () => 'FIPS mode (crypto.fips_enabled)',
  }),
  'fips.report': define({
    key: 'required',
    keyDoc: '`failing`',
    valueDoc: "the checks of bloodhound's FIPS report that FAIL (a SKIP, or a report of another kind, is unusable)",
    captures: [CAPTURE.reportFips, 'apiclient report fips'],
    allowEmpty: false,
    parse: parseBloodhoundReport,
    select: fipsReportSelect,
    describe: () => "checks of bloodhound's FIPS report that did not pass",
  }),
  updates: define({
    key: 'required',
    keyDoc: '`state`, `newerReleases`, `activeVersion`',
    valueDoc: 'from `apiclient update check`: the update state; the available releases newer than the running one; the running release',
    // `apiclient get /updates/status` is the last known status, without the refresh `update check` asks for.
    captures: [CAPTURE.updateCheck, 'apiclient get /updates/status'],
    allowEmpty: false,
    parse: parseUpdateStatus,
    select: (status: UpdateStatus, key) => {
      switch (key) {
        case 'state':
          return found(status.updateState);
        case 'newerReleases':
          return status.activeVersion === null ? missing : found(newerReleases(status));
        case 'activeVersion':
          return status.activeVersion === null ? missing : found(status.activeVersion);
        default:
          return missing;
      }
    },
    describe: (key) =>
      key === 'newerReleases' ? 'releases newer than the running one' : key === 'state' ? 'update state' : `update ${key ?? 'status'}`,
  }),
};

/** Numeric semver order, ignoring a leading "v" and any pre-release suffix. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .replace(/^v/, '')
      .split(/[.+-]/)
      .slice(0, 3)
      .map((p) => Number.parseInt(p, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

const newerOf = new WeakMap<UpdateStatus, string[]>();
/** Worked out once per parsed status, which hosts with the same `apiclient update check` output share. */
function newerReleases(status: UpdateStatus): string[] {
  let newer = newerOf.get(status);
  if (!newer) newerOf.set(status, (newer = newerThan(status.availableUpdates, status.activeVersion as string)));
  return newer;
}

/** The available releases newer than the running one, newest first. */
function newerThan(available: readonly string[], running: string): string[] {
  return available.filter((v) => compareVersions(v, running) > 0).sort((a, b) => compareVersions(b, a));
}

// Facts read by the engine itself rather than by check leaves.
export const API_FACTS = {
  apiclient: { captures: [CAPTURE.apiclientGet, CAPTURE.apiclientGetSettings, CAPTURE.apiclientGetOs], parse: parseApiclientGet },
  updates: { captures: [CAPTURE.updateCheck], parse: parseUpdateStatus },
  // The JSON form first; the text form (the default format) reads the same.
  bloodhoundCis: {
    captures: [
      CAPTURE.reportCis,
      'apiclient report cis -f json -l 1',
      'apiclient report cis -f json',
      'apiclient report cis -l 2',
      'apiclient report cis',
    ],
    parse: parseBloodhoundReport,
  },
  bloodhoundK8s: {
    captures: [
      CAPTURE.reportCisK8s,
      'apiclient report cis-k8s -f json -l 1',
      'apiclient report cis-k8s -f json',
      'apiclient report cis-k8s -l 2',
      'apiclient report cis-k8s',
    ],
    parse: parseBloodhoundReport,
  },
  bloodhoundFips: { captures: [CAPTURE.reportFips, 'apiclient report fips'], parse: parseBloodhoundReport },
} as const;

export type Fact<T> =
  /** `why` says more than "not captured", e.g. that Inspector does not cover the host. */
  | { state: 'absent'; sources: string[]; why?: string }
  | { state: 'unusable'; source: string; problem: string }
  | { state: 'ok'; source: string; value: T };

/** Why a capture cannot be used, or null when it can. */
export function captureProblem(capture: Capture, allowEmpty: boolean, emptyProblem = 'empty output'): string | null {
  if (capture.exitCode !== 0) {
    const stderr = capture.stderr?.trim().split('\n', 1)[0];
    return `exit code ${capture.exitCode}${stderr ? ` (${stderr.slice(0, 120)})` : ''}`;
  }
  const stdout = capture.stdout;
  // Look at the tail only: captures can be tens of kilobytes and trimming would copy them.
  let end = stdout.length;
  while (end > 0 && /\s/.test(stdout[end - 1] as string)) end--;
  if (end >= SSM_TRUNCATION_MARKER.length && stdout.startsWith(SSM_TRUNCATION_MARKER, end - SSM_TRUNCATION_MARKER.length)) {
    return `output was cut by SSM (ends with "${SSM_TRUNCATION_MARKER}")`;
  }
  if (!allowEmpty && end === 0) return emptyProblem;
  return null;
}

export interface FactSource<T> {
  captures: Record<string, Capture>;
  /** Capture keys that may hold the fact; the first present one is read. */
  keys: readonly string[];
  parse: (stdout: string, memo: ScanMemo) => T;
  memo: ScanMemo;
  /** Whether empty stdout is a valid output. */
  allowEmpty?: boolean;
  emptyProblem?: string | undefined;
}

/** Reads a fact from the first present capture, parsing it; absent, unusable or parsed. */
export function readFact<T>({ captures, keys, parse, memo, allowEmpty = false, emptyProblem }: FactSource<T>): Fact<T> {
  for (const key of keys) {
    const capture = captures[key];
    if (capture === undefined) continue;
    const problem = captureProblem(capture, allowEmpty, emptyProblem);
    if (problem) return { state: 'unusable', source: key, problem };
    try {
      return { state: 'ok', source: key, value: parse(capture.stdout, memo) };
    } catch (err) {
      if (err instanceof ParseError) return { state: 'unusable', source: key, problem: `cannot be parsed: ${err.message}` };
      throw err;
    }
  }
  return { state: 'absent', sources: [...keys] };
}
