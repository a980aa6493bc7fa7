// Parser for `iptables -L [-v] -n` and `ip6tables -L [-v] -n`: chains, policies and rules.
import { ParseError, lines } from './parse-error.js';
import { memoSlot, type ScanMemo } from '../memo.js';

export interface FirewallRule {
  target: string;
  /** Normalised: iptables prints "all" or "0" for any protocol; both become "all". */
  protocol: string;
  opt: string;
  in: string;
  out: string;
  source: string;
  destination: string;
  /** Match extensions printed after the addresses (`tcp dpt:22`, a comment, …). */
  extra: string;
}

export interface FirewallChain {
  name: string;
  /** ACCEPT, DROP, … for built-in chains; null for user-defined chains. */
  policy: string | null;
  /** Parsed on first use: a Kubernetes node has hundreds of rules in chains no check reads. */
  readonly rules: FirewallRule[];
}

export interface Firewall {
  chains: Map<string, FirewallChain>;
  /** Chains the listing should hold in full but does not, with why: checks that read them cannot use it. */
  incomplete: Map<string, string>;
}

/** The filter table's built-in chains, which `iptables -L` and `ip6tables -L` always list. */
const BUILT_IN_CHAINS = ['INPUT', 'FORWARD', 'OUTPUT'];
const COLUMNS_RE = /^\s*(?:pkts\s+bytes\s+)?target\s+prot\s+opt/;

const CHAIN_RE = /^Chain (\S+) \((?:policy (\S+)(?: \d+\S* packets, \d+\S* bytes)?|(\d+) references)\)\s*$/;
const IPV4_RE = /^!?\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?$/;
const IPV6_RE = /^!?[0-9a-fA-F]*:[0-9a-fA-F:.]*(?:\/\d{1,3})?$/;
const OPT_RE = /^(?:--|-f|!f)$/;

function isAddress(token: string): boolean {
  return IPV4_RE.test(token) || IPV6_RE.test(token);
}

function normaliseProtocol(protocol: string): string {
  return protocol === '0' ? 'all' : protocol;
}

function parseRule(line: string, verbose: boolean): FirewallRule {
  const tokens = line.trim().split(/\s+/);
  const firstCandidate = verbose ? 4 : 1;
  let src = -1;
  for (let i = firstCandidate; i < tokens.length - 1; i++) {
    if (isAddress(tokens[i] as string) && isAddress(tokens[i + 1] as string)) {
      src = i;
      break;
    }
  }
  if (src === -1) throw new ParseError(`rule without source and destination: "${line.trim().slice(0, 80)}"`);
  let inIf = '*';
  let outIf = '*';
  let head: string[];
  if (verbose) {
    inIf = tokens[src - 2] as string;
    outIf = tokens[src - 1] as string;
    head = tokens.slice(2, src - 2);
  } else {
    head = tokens.slice(0, src);
  }
  let opt = '';
  if (head.length > 0 && OPT_RE.test(head[head.length - 1] as string)) opt = head.pop() as string;
  const protocol = head.pop();
  if (protocol === undefined || head.length > 1) {
    throw new ParseError(`unexpected rule columns: "${line.trim().slice(0, 80)}"`);
  }
  return {
    target: head[0] ?? '',
    protocol: normaliseProtocol(protocol),
    opt,
    in: inIf,
    out: outIf,
    source: tokens[src] as string,
    destination: tokens[src + 1] as string,
    extra: tokens.slice(src + 2).join(' '),
  };
}

/*
 * Hosts of a fleet print the same rules but for their packet and byte counters, which change on every host and
 * every run and which a rule does not keep. A rule is parsed once per text without its counters, and a chain whose
 * rules are those of the previous host's chain of that name shares its list, so checks can reuse what they found.
 */
interface RuleMemo {
  /** Parsed rules by their text without counters. */
  known: Map<string, FirewallRule>;
  /** The last host's rules per chain name. */
  lastRules: Map<string, readonly FirewallRule[]>;
}
const RULES = memoSlot<RuleMemo>("firewall rules by text without counters, and the last host's rules per chain", () => ({
  known: new Map(),
  lastRules: new Map(),
}));
const MAX_KNOWN_RULES = 4096;
/** Real rules are a few hundred characters; longer lines are parsed but not kept, so memory stays small. */
const MAX_KEPT_RULE = 1024;
const MAX_KNOWN_CHAINS = 256;
const COUNTERS = /^\s*\S+\s+\S+\s+/;

function sharedRule(line: string, verbose: boolean, { known: knownRules }: RuleMemo): FirewallRule {
  if (line.length > MAX_KEPT_RULE) return parseRule(line, verbose);
  const counters = verbose ? COUNTERS.exec(line) : null;
  // What the rule is made of: with -v, everything after the two counters (parseRule reads nothing before them).
  const key = verbose ? (counters === null ? null : `v${line.slice(counters[0].length)}`) : `n${line}`;
  if (key === null) return parseRule(line, verbose);
  let rule = knownRules.get(key);
  if (rule === undefined) {
    rule = Object.freeze(parseRule(line, verbose));
    if (knownRules.size >= MAX_KNOWN_RULES) knownRules.clear();
    knownRules.set(key, rule);
  }
  return rule;
}

function sameRules(a: readonly FirewallRule[] | undefined, b: readonly FirewallRule[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class LazyChain implements FirewallChain {
  private parsed: FirewallRule[] | undefined;

  constructor(
    readonly name: string,
    readonly policy: string | null,
    private readonly body: string,
    private readonly memo: RuleMemo,
  ) {}

  get rules(): FirewallRule[] {
    if (this.parsed === undefined) {
      let verbose = false;
      const rules: FirewallRule[] = [];
      for (const raw of lines(this.body)) {
        const trimmed = raw.trim();
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        if (COLUMNS_RE.test(trimmed)) {
          verbose = trimmed.startsWith('pkts');
          continue;
        }
        rules.push(sharedRule(raw, verbose, this.memo));
      }
      const lastRules = this.memo.lastRules;
      const previous = lastRules.get(this.name);
      if (sameRules(previous, rules)) this.parsed = previous as FirewallRule[];
      else {
        this.parsed = Object.freeze(rules) as FirewallRule[];
        if (lastRules.size >= MAX_KNOWN_CHAINS && !lastRules.has(this.name)) lastRules.clear();
        lastRules.set(this.name, this.parsed);
      }
    }
    return this.parsed;
  }
}

/** Start of each line that begins with "Chain ". */
function chainHeaders(text: string): number[] {
  const starts: number[] = [];
  if (text.startsWith('Chain ')) starts.push(0);
  for (let at = text.indexOf('\nChain '); at !== -1; at = text.indexOf('\nChain ', at + 1)) starts.push(at + 1);
  return starts;
}

/** The first line that is not blank, without reading the rest of a long chain. */
function firstLine(body: string): string {
  let at = 0;
  while (at < body.length) {
    let end = body.indexOf('\n', at);
    if (end === -1) end = body.length;
    const line = body.slice(at, end);
    if (line.trim() !== '') return line;
    at = end + 1;
  }
  return '';
}

/** Splits the output into chains; each chain's rules are parsed when a check first reads them. */
export function parseIptables(text: string, memo: ScanMemo): Firewall {
  const rules = memo.get(RULES);
  const chains = new Map<string, FirewallChain>();
  const incomplete = new Map<string, string>();
  const starts = chainHeaders(text);
  if (starts.length === 0) throw new ParseError('no "Chain …" headers');
  const before = text.slice(0, starts[0]);
  for (const line of lines(before)) {
    if (line.trim() !== '' && !line.startsWith('#')) throw new ParseError(`text before the first chain: "${line.slice(0, 60)}"`);
  }
  starts.forEach((start, i) => {
    let headerEnd = text.indexOf('\n', start);
    if (headerEnd === -1) headerEnd = text.length;
    const header = CHAIN_RE.exec(text.slice(start, headerEnd).trimEnd());
    if (!header) throw new ParseError(`unexpected chain header: "${text.slice(start, Math.min(headerEnd, start + 80))}"`);
    const end = i + 1 < starts.length ? (starts[i + 1] as number) : text.length;
    const name = header[1] as string;
    const body = text.slice(headerEnd + 1, end);
    chains.set(name, new LazyChain(name, header[2] ?? null, body, rules));
    // Every chain's rules follow a line of column names; a chain without it was cut right after its header.
    if (!COLUMNS_RE.test(firstLine(body)))
      incomplete.set(name, `the ${name} chain is cut off after its header (no column line), so the listing is incomplete`);
  });
  for (const name of BUILT_IN_CHAINS) {
    if (!chains.has(name)) incomplete.set(name, `the listing has no ${name} chain, which the command always prints, so it is incomplete`);
  }
  return { chains, incomplete };
}
