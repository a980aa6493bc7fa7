// Captures: the keys brsec's collectors record, which of them each collector always takes, and reading a fact from
// the first present one (absent, unusable with the reason, or parsed).
import type { Capture } from '../types.js';
import { ParseError } from './parse-error.js';
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
  kubeProxyConfig: 'cat /etc/kubernetes/kube-proxy/kube-proxy.conf',
  kubeProxyFiles: "stat -c '%a %u %g %n' /etc/kubernetes/kube-proxy/kube-proxy.conf",
  auditRules: 'auditctl -l',
} as const;

/** What `cat` or `stat` print on stderr for a file that does not exist, every line of it. */
const NO_SUCH_FILE = /^(?:[^\n]*: No such file or directory\n?)+$/;

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
  /** For a file that may not exist: a command that failed only with "No such file or directory" read as empty output. */
  fileMayBeAbsent?: boolean;
}

/** Reads a fact from the first present capture, parsing it; absent, unusable or parsed. */
export function readFact<T>({ captures, keys, parse, memo, allowEmpty = false, emptyProblem, fileMayBeAbsent }: FactSource<T>): Fact<T> {
  for (const key of keys) {
    const capture = captures[key];
    if (capture === undefined) continue;
    if (fileMayBeAbsent && capture.exitCode !== 0 && capture.stdout === '' && NO_SUCH_FILE.test(capture.stderr ?? ''))
      return { state: 'ok', source: key, value: parse('', memo) };
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
