// Turns the text of one input into a HostInput, telling its kind from the content, never the file name.
import { describeJsonError, describeTomlError } from '../parse-errors.js';
import { jsonKeyLines } from './locate.js';
import { InputError } from '../errors.js';
import { validateSnapshot } from '../generated/validators.js';
import type { ValidationError } from '../generated/validators.js';
import { parseBloodhoundReport } from '../facts/apiclient.js';
import { bloodhoundTextLines, bloodhoundTextToJson, isBloodhoundText } from '../facts/bloodhound-text.js';
import { ParseError } from '../facts/parse-error.js';
import { requireOnFirstUse } from '../on-first-use.js';
import { CAPTURE, capturesAlwaysTaken } from '../facts/captures.js';
import type { Capture, HostInput, InputProblem, Snapshot, UserDataSettings } from '../types.js';
import {
  hostInputOf,
  looksLikeHcl,
  looksLikeManifest,
  parseTemplatedToml,
  readHclNodeConfigs,
  readJsonNodeConfigs,
  readYamlNodeConfigs,
  templateReader,
  type HclParser,
  type NodeConfigRead,
} from './node-config/index.js';
import { mentionsSettings, normaliseBootAliases } from './node-config/definition.js';
import { userDataLines } from './userdata-lines.js';
import { LIMITS, settingsProblem } from '../limits.js';
import { isObject } from '../values.js';
import { redactUrlCredentials } from '../settings/secrets.js';

export interface DetectOptions {
  /** Where the text came from: a path, or "-" for standard input. */
  source: string;
  /** collectedAt for inputs that are not snapshots, which carry no time of their own (e.g. the file's mtime). */
  collectedAt?: string | (() => string);
  variant?: string;
  /** The TOML parser; by default smol-toml, loaded only when an input is not JSON. */
  parseToml?: (text: string) => Record<string, unknown>;
  /** Record the line of each key of a JSON input, for reports that point at lines (SARIF). */
  locate?: boolean;
  /** The Terraform HCL parser (loadHclParser), loaded beforehand: it is asynchronous to load. */
  parseHcl?: HclParser;
}

/** What one input held: hosts (a node configuration file may define many), definitions that could not be read, or why it was skipped. */
export interface DetectedInputs {
  inputs: HostInput[];
  problems: InputProblem[];
  /** Set when the file is of a kind brsec reads but defines no Bottlerocket node (a Deployment manifest). */
  skipped?: string;
}

/** A JSON pointer as a readable path: /captures/cat ~1proc~1cmdline/stdout → captures["cat /proc/cmdline"].stdout */
function readablePath(pointer: string): string {
  if (pointer === '') return 'the document';
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg, i) =>
      /^[A-Za-z_][\w]*$/.test(seg) ? (i === 0 ? seg : `.${seg}`) : /^\d+$/.test(seg) ? `[${seg}]` : `[${JSON.stringify(seg)}]`,
    )
    .join('');
}

export function describeSchemaError(error: ValidationError | undefined): string {
  if (!error) return 'does not match the schema';
  const where = readablePath(error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `${where === 'the document' ? 'the document' : where} has no "${String(error.params.missingProperty)}"`;
    case 'type':
      return `${where} must be ${String(error.params.type)}`;
    case 'const':
      return `${where} must be ${JSON.stringify(error.params.allowedValue)}`;
    default:
      return `${where} ${error.message ?? 'is invalid'}`;
  }
}

function collectedAtOf(options: DetectOptions): string {
  const given = options.collectedAt;
  return typeof given === 'function' ? given() : (given ?? new Date(0).toISOString());
}

function snapshotFrom(source: string, collectedAt: string, captures: Record<string, Capture>, hostId?: string, name?: string): Snapshot {
  const host: Snapshot['host'] = { id: hostId ?? source };
  if (name) host.name = name;
  return { brsec: 'snapshot/1', host, collectedAt, collector: { name: 'brsec', via: 'file' }, captures };
}

function instanceIdFromSettings(settings: unknown): { id?: string; name?: string } {
  if (!isObject(settings)) return {};
  const k8s = isObject(settings.kubernetes) ? settings.kubernetes : {};
  const network = isObject(settings.network) ? settings.network : {};
  const providerId = typeof k8s['provider-id'] === 'string' ? k8s['provider-id'] : '';
  const instance = /\/(i-[0-9a-f]+)$/.exec(providerId)?.[1];
  const out: { id?: string; name?: string } = {};
  if (instance) out.id = instance;
  // A host name is shown everywhere; one that holds URL credentials keeps them to itself, as every setting does.
  if (typeof network.hostname === 'string') out.name = redactUrlCredentials(network.hostname);
  return out;
}

/** Captures written as base64 (`"encoding": "base64"`) become plain text, as every other capture is. */
function decodeCaptures(captures: Record<string, Capture & { encoding?: string }>): void {
  for (const key in captures) {
    const capture = captures[key] as Capture & { encoding?: string };
    if (capture.encoding !== 'base64') continue;
    capture.stdout = Buffer.from(capture.stdout, 'base64').toString('utf8');
    if (capture.stderr !== undefined) capture.stderr = Buffer.from(capture.stderr, 'base64').toString('utf8');
    delete capture.encoding;
  }
}

function fromJson(doc: unknown, text: string, options: DetectOptions): HostInput {
  const { source } = options;
  const base = options.variant ? { variantOverride: options.variant } : {};
  if (!isObject(doc)) {
    throw new InputError(
      source,
      `valid JSON of no known kind (${Array.isArray(doc) ? 'an array' : typeof doc}); expected a brsec snapshot, apiclient output or a bloodhound report`,
      { unrecognised: true },
    );
  }
  if ('brsec' in doc) {
    if (doc.brsec !== 'snapshot/1')
      throw new InputError(source, `unsupported snapshot format ${JSON.stringify(doc.brsec)}; this brsec reads "snapshot/1"`);
    if (!validateSnapshot(doc))
      throw new InputError(source, `not a valid snapshot/1: ${describeSchemaError(validateSnapshot.errors?.[0])}`);
    decodeCaptures(doc.captures as Record<string, Capture & { encoding?: string }>);
    const always = capturesAlwaysTaken(isObject(doc.collector) ? doc.collector : undefined);
    return { source, kind: 'snapshot', snapshot: doc as unknown as Snapshot, ...base, ...(always ? { alwaysCaptured: always } : {}) };
  }
  // Snapshots carry their own time; only the other kinds ask for one (a stat of the file).
  const collectedAt = collectedAtOf(options);
  if (isObject(doc.results) && ('level' in doc || 'status' in doc || 'name' in doc)) {
    let report;
    try {
      report = parseBloodhoundReport(text);
    } catch (err) {
      if (err instanceof ParseError) throw new InputError(source, `not a usable bloodhound report: ${err.message}`);
      throw err;
    }
    if (report.type === 'unknown')
      throw new InputError(source, `a bloodhound report brsec does not evaluate ("${report.name.slice(0, 80)}")`);
    const key = report.type === 'cis' ? CAPTURE.reportCis : report.type === 'cis-k8s' ? CAPTURE.reportCisK8s : CAPTURE.reportFips;
    return {
      source,
      kind: 'bloodhound-report',
      snapshot: snapshotFrom(source, collectedAt, { [key]: { stdout: text, exitCode: 0 } }),
      ...base,
    };
  }
  if (typeof doc.update_state === 'string') {
    return {
      source,
      kind: 'apiclient-update-check',
      snapshot: snapshotFrom(source, collectedAt, { [CAPTURE.updateCheck]: { stdout: text, exitCode: 0 } }),
      ...base,
    };
  }
  if (isObject(doc.settings) || isObject(doc.os)) {
    const { id, name } = instanceIdFromSettings(doc.settings);
    return {
      source,
      kind: 'apiclient-get',
      snapshot: snapshotFrom(source, collectedAt, { [CAPTURE.apiclientGet]: { stdout: text, exitCode: 0 } }, id, name),
      ...base,
    };
  }
  throw new InputError(
    source,
    'valid JSON of no known kind; expected a brsec snapshot ("brsec": "snapshot/1"), `apiclient get` output, `apiclient update check` output or a bloodhound report',
    { unrecognised: true },
  );
}

let defaultToml: ((text: string) => Record<string, unknown>) | undefined;

/** smol-toml, required on first use: most scans read JSON only, and a start should not pay for TOML. */
function defaultTomlParser(): (text: string) => Record<string, unknown> {
  defaultToml ??= requireOnFirstUse<{ parse(text: string): Record<string, unknown> }>('smol-toml').parse;
  return defaultToml;
}

/** Whether TOML text is a template (Terraform's `${…}`/`%{…}`): Bottlerocket itself never interpolates. */
const isTemplate = (text: string): boolean => /\$\{|%\{/.test(text) && mentionsSettings(text);

/** User data written as a template: values left to deploy time are unknown, never a parse error. */
function fromTemplate(text: string, options: DetectOptions, lineOffset: number): HostInput {
  const { source } = options;
  const parseToml = options.parseToml ?? defaultTomlParser();
  const parsed = parseTemplatedToml(text, { syntax: 'terraform', source, parseToml });
  const tooLarge = settingsProblem(parsed.settings);
  if (tooLarge) throw new InputError(source, tooLarge);
  const lines = options.locate ? userDataLines(parsed.plainText) : {};
  if (lineOffset > 0) for (const k in lines) lines[k] = (lines[k] as number) + lineOffset;
  const userData: UserDataSettings = { settings: normaliseBootAliases(parsed.settings), lines, holdsUnknown: true };
  const snapshot = snapshotFrom(source, collectedAtOf(options), {}, source);
  const input: HostInput = { source, kind: 'user-data', snapshot, userData };
  if (options.variant) input.variantOverride = options.variant;
  return input;
}

/** Text that is not JSON as TOML user data, or why it is not (for when it is nothing else brsec reads either). */
function asToml(
  text: string,
  options: DetectOptions,
): { doc: Record<string, unknown> & { settings: Record<string, unknown> } } | { problem: string } {
  const parseToml = options.parseToml ?? defaultTomlParser();
  try {
    const doc = parseToml(text);
    if (isObject(doc.settings)) return { doc: doc as Record<string, unknown> & { settings: Record<string, unknown> } };
    return { problem: 'TOML without a [settings] table is not Bottlerocket user data' };
  } catch (err) {
    return { problem: `neither JSON nor valid TOML user data: ${describeTomlError(err)}` };
  }
}

function fromToml(text: string, doc: { settings: Record<string, unknown> }, options: DetectOptions, lineOffset: number): HostInput {
  const { source } = options;
  const tooLarge = settingsProblem(doc.settings);
  if (tooLarge) throw new InputError(source, tooLarge);
  const settings = normaliseBootAliases(doc.settings);
  // Lines are for reports that point at them (SARIF), and take a second parse: only when asked for.
  const lines = options.locate ? userDataLines(text) : {};
  if (lineOffset > 0) for (const k in lines) lines[k] = (lines[k] as number) + lineOffset;
  const userData: UserDataSettings = { settings, lines };
  const { name } = instanceIdFromSettings(settings);
  const snapshot = snapshotFrom(source, collectedAtOf(options), {}, source, name);
  const input: HostInput = { source, kind: 'user-data', snapshot, userData };
  if (options.variant) input.variantOverride = options.variant;
  return input;
}

/** Index of the first character that is not a byte-order mark or white space, without copying the text. */
function contentStart(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && /\s/.test(text[i] as string)) i++;
  return i;
}

/** Whether the text must be parsed as TOML (so the caller can load a TOML parser first). */
export function looksLikeToml(text: string): boolean {
  const at = contentStart(text);
  if (at >= text.length) return false;
  const first = text[at];
  if (first === '{') return false;
  if (first === '[') {
    try {
      JSON.parse(text.slice(at));
      return false;
    } catch {
      return true;
    }
  }
  return true;
}

/** The first bound of LIMITS a snapshot breaks, or null. */
function snapshotLimitProblem(snapshot: Snapshot): string | null {
  const { host } = snapshot;
  if (host.id.length > LIMITS.hostIdChars) return `host.id is ${host.id.length} characters, over brsec's limit of ${LIMITS.hostIdChars}`;
  if (host.name !== undefined && host.name.length > LIMITS.hostIdChars)
    return `host.name is ${host.name.length} characters, over brsec's limit of ${LIMITS.hostIdChars}`;
  if (host.region !== undefined && host.region.length > LIMITS.regionChars)
    return `host.region is ${host.region.length} characters, over brsec's limit of ${LIMITS.regionChars}`;
  const tags = Object.entries(host.tags ?? {});
  if (tags.length > LIMITS.tags) return `host.tags has ${tags.length} tags, over brsec's limit of ${LIMITS.tags}`;
  for (const [k, v] of tags)
    if (k.length > LIMITS.tagChars || v.length > LIMITS.tagChars)
      return `a host tag is over brsec's limit of ${LIMITS.tagChars} characters`;
  for (const [key, capture] of Object.entries(snapshot.captures)) {
    const size = capture.stdout.length + (capture.stderr?.length ?? 0);
    if (size > LIMITS.captureChars)
      return `capture "${key.slice(0, 80)}" is ${size} characters, over brsec's limit of ${LIMITS.captureChars} for one capture`;
  }
  return null;
}

/**
 * Reads and recognises one input that holds one host; an input past one of brsec's limits is an input error naming the
 * limit. A node configuration file that defines several hosts is read with detectInputs.
 */
export function detectInput(text: string, options: DetectOptions): HostInput {
  const found = detectInputs(text, options);
  const first = found.problems[0];
  if (first) throw new InputError(first.file, first.message);
  if (found.inputs.length !== 1) {
    const why = found.skipped ?? `defines ${found.inputs.length} hosts; read it with detectInputs or readInputs`;
    throw new InputError(options.source, why);
  }
  return found.inputs[0] as HostInput;
}

/** Reads and recognises one input: one host, or every node a node configuration file defines. */
export function detectInputs(text: string, options: DetectOptions): DetectedInputs {
  const found = recognise(text, options);
  if (!('inputs' in found)) {
    const problem = snapshotLimitProblem(found.snapshot);
    if (problem) throw new InputError(options.source, problem);
    return { inputs: [found], problems: [] };
  }
  return found;
}

/** Node definitions as hosts, each within brsec's limits. */
function nodeConfigInputs(read: NodeConfigRead, options: DetectOptions): DetectedInputs {
  const collectedAt = collectedAtOf(options);
  const out: DetectedInputs = { inputs: [], problems: [...read.problems] };
  if (read.skipped) out.skipped = read.skipped;
  for (const def of read.definitions) {
    const input = hostInputOf(def, { source: options.source, collectedAt, ...(options.variant ? { variant: options.variant } : {}) });
    const problem = snapshotLimitProblem(input.snapshot);
    if (problem) out.problems.push({ file: `${options.source} (${def.definition})`, message: problem });
    else out.inputs.push(input);
  }
  return out;
}

function readerContext(options: DetectOptions) {
  // Loaded when a definition's user data is read: most JSON is a snapshot and never needs it.
  const parseToml = options.parseToml ?? ((text: string) => defaultTomlParser()(text));
  return { source: options.source, locate: options.locate === true, parseToml };
}

function recognise(text: string, options: DetectOptions): HostInput | DetectedInputs {
  const at = contentStart(text);
  if (at >= text.length) throw new InputError(options.source, 'empty input');
  const body = at === 0 ? text : text.slice(at);
  // bloodhound's text report (`apiclient report cis` without `-f json`) reads as its JSON report would.
  if (isBloodhoundText(body)) {
    let json: string | null;
    try {
      json = bloodhoundTextToJson(body);
    } catch (err) {
      if (err instanceof ParseError) throw new InputError(options.source, `not a usable bloodhound report: ${err.message}`);
      throw err;
    }
    if (json === null) throw new InputError(options.source, 'a bloodhound text report without a single result line');
    const input = fromJson(JSON.parse(json), json, options);
    if (options.locate) {
      const skipped = text.slice(0, at).split('\n').length - 1;
      const lines = bloodhoundTextLines(body);
      for (const k in lines) lines[k] = (lines[k] as number) + skipped;
      input.lines = lines;
    }
    return input;
  }
  if (!looksLikeToml(body)) {
    let doc: unknown;
    try {
      doc = JSON.parse(body);
    } catch (err) {
      throw new InputError(options.source, `malformed JSON: ${describeJsonError(err)}`);
    }
    const nodes = readJsonNodeConfigs(doc, text, readerContext(options));
    if (nodes) return nodeConfigInputs(nodes, options);
    const input = fromJson(doc, body, options);
    if (options.locate) {
      // Lines count from the start of the file, which may begin with blank lines before the JSON.
      const skipped = text.slice(0, at).split('\n').length - 1;
      const lines = jsonKeyLines(body);
      if (skipped > 0) for (const k in lines) lines[k] = (lines[k] as number) + skipped;
      input.lines = lines;
    }
    return input;
  }
  const skippedLines = text.slice(0, at).split('\n').length - 1;
  // Node configuration is told by its first lines; trying it as TOML first would throw for every such file.
  if (looksLikeHcl(body)) return fromHcl(text, options);
  const manifest = looksLikeManifest(body) ? readYamlNodeConfigs(text, readerContext(options)) : null;
  if (manifest) return nodeConfigInputs(manifest, options);
  const toml = asToml(body, options);
  if ('doc' in toml) return isTemplate(body) ? fromTemplate(body, options, skippedLines) : fromToml(body, toml.doc, options, skippedLines);
  const nodes = manifest === null && !looksLikeManifest(body) ? readYamlNodeConfigs(text, readerContext(options)) : null;
  if (nodes) return nodeConfigInputs(nodes, options);
  if (isTemplate(body)) return fromTemplate(body, options, skippedLines);
  // Text that names no Bottlerocket setting is of no kind brsec reads; with settings, it is broken user data.
  throw new InputError(options.source, toml.problem, { unrecognised: !mentionsSettings(body) });
}

function fromHcl(text: string, options: DetectOptions): DetectedInputs {
  if (!options.parseHcl) throw new InputError(options.source, 'Terraform HCL is read by readInputs, which loads its parser first');
  return nodeConfigInputs(
    readHclNodeConfigs(text, options.parseHcl, { ...readerContext(options), ...templateReader(options.source) }),
    options,
  );
}
