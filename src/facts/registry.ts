// The fact table: every fact a check may name, which capture it comes from, how it is parsed and how a check
// selects part of it (the Inspector and update facts have files of their own). Facts are parsed at most once per
// host, and only when a selected check asks for them.
import { ParseError } from './parse-error.js';
import { CAPTURE } from './captures.js';
import { define, found, missing, type FactDefinition, type Selection } from './definition.js';
import { INSPECTOR_COVERAGE, INSPECTOR_FINDINGS } from './inspector-facts.js';
import { UPDATES } from './update-facts.js';
import { NODE_CONFIG } from './node-config-facts.js';
import { DRIFT } from './drift-facts.js';
import { BOOTSTRAP_COMMANDS } from './bootstrap-facts.js';
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
import { parseApiclientGet, parseBloodhoundReport, type BloodhoundReport } from './apiclient.js';
import { parseKubeletConfig, parseYamlMapping } from './kubelet.js';

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

/** `auditctl -l`: "No rules", or one rule per line as auditctl writes them (`-a always,exit …`, `-w /etc/passwd …`). */
function parseAuditRules(text: string): string[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 1 && lines[0] === 'No rules') return [];
  const odd = lines.find((l) => !l.startsWith('-'));
  if (odd !== undefined) throw new ParseError(`"${odd.slice(0, 80)}" is not an audit rule as auditctl -l prints one`);
  return lines;
}

/** The kube-proxy config, or null for a file that does not exist (read as empty output). */
function parseYamlMappingOrNothing(text: string): Record<string, unknown> | null {
  return text === '' ? null : parseYamlMapping(text);
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
  'kubeProxy.files': define({
    key: 'required',
    keyDoc: 'a path',
    valueDoc:
      'the mode and owner of the kube-proxy config file, as a list of one; an empty list where the file does not exist (kube-proxy runs as a DaemonSet)',
    captures: [CAPTURE.kubeProxyFiles],
    allowEmpty: false,
    fileMayBeAbsent: true,
    parse: (text: string) => (text === '' ? [] : parseFileModes(text)),
    // A file that does not exist is an empty list: its absence is the evidence (the check is then manual).
    select: (files: FileMode[], key) => {
      const file = files.find((f) => f.path === key);
      return found(file ? singleFile(file) : []);
    },
    describe: (key) => key ?? 'kube-proxy files',
  }),
  'kubeProxy.config': define({
    key: 'required',
    keyDoc: 'dotted path',
    valueDoc: "the kube-proxy config file's YAML value; not present where the file does not exist",
    captures: [CAPTURE.kubeProxyConfig],
    allowEmpty: false,
    fileMayBeAbsent: true,
    parse: parseYamlMappingOrNothing,
    select: (config: Record<string, unknown> | null, key) => (config === null ? missing : pathSelect(config, key)),
    describe: (key) => (key ? `kube-proxy ${key}` : 'kube-proxy configuration'),
  }),
  'audit.rules': define({
    key: 'none',
    keyDoc: '',
    valueDoc: 'the kernel audit rules `auditctl -l` lists, one per line; none where it prints "No rules"',
    captures: [CAPTURE.auditRules],
    allowEmpty: false,
    parse: parseAuditRules,
    select: (rules) => found(rules),
    describe: () => 'kernel audit rules',
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
  'inspector.coverage': INSPECTOR_COVERAGE,
  'inspector.findings': INSPECTOR_FINDINGS,
  updates: UPDATES,
  nodeConfig: NODE_CONFIG,
  drift: DRIFT,
  bootstrapCommands: BOOTSTRAP_COMMANDS,
};

// Facts read by the engine itself rather than by check leaves.
export const API_FACTS = {
  apiclient: { captures: [CAPTURE.apiclientGet, CAPTURE.apiclientGetSettings, CAPTURE.apiclientGetOs], parse: parseApiclientGet },
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
