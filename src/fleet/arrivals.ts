// Inputs of a fleet scan one at a time: read from files, or collected over SSM as hosts answer; and Amazon
// Inspector's evidence added to each EC2 host's snapshot.
import { InputError } from '../errors.js';
import { detectInput, detectInputs } from '../inputs/detect.js';
import type { LaunchTemplateOptions } from '../aws/launch-templates.js';
import { readInputs, type ReadOptions } from '../inputs/read.js';
import type { InspectorReader } from '../aws/inspector.js';
import type { SsmOptions } from '../collect/ssm.js';
import type { HostInput, InputProblem, SkippedInput } from '../types.js';

/** A host's input; or a bad input and whose Security Hub findings it keeps: a host's, or (when brsec cannot tell) every unseen host's. */
export type Arrival =
  | { input: HostInput }
  | { problem: InputProblem; keep?: string; keepUnseen?: boolean }
  /** A file of a kind brsec reads that defines no Bottlerocket node (a Deployment manifest in a folder of them). */
  | { skipped: SkippedInput };

/** The instance id a file is named by, as `brsec collect --out` names them (`i-0123456789abcdef0.json`), or undefined. */
function instanceIdOfFile(file: string): string | undefined {
  return /(?:^|[\\/])(i-[0-9a-f]{8,17})\.json$/.exec(file)?.[1];
}

/** Files read one at a time; the host of a file that cannot be read keeps its findings, as an unreachable one does. */
export async function* fileArrivals(files: readonly string[], read: ReadOptions): AsyncGenerator<Arrival> {
  for (const file of files) {
    try {
      const found = await readInputs(file, read);
      for (const input of found.inputs) yield { input };
      for (const problem of found.problems) yield { problem, keepUnseen: true };
      if (found.skipped) yield { skipped: { file, reason: found.skipped } };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const id = instanceIdOfFile(file);
      yield { problem: err.toProblem(), ...(id ? { keep: id } : { keepUnseen: true }) };
    }
  }
}

/** Snapshots collected over SSM as hosts answer; a host without one is a problem that keeps its findings. */
export async function* ssmArrivals(ssm: SsmOptions, read: ReadOptions): AsyncGenerator<Arrival> {
  const { collectOverSsm } = await import('../collect/ssm.js');
  for await (const outcome of collectOverSsm(ssm)) {
    if (outcome.state === 'failed') {
      yield { problem: { file: `ssm:${outcome.id}`, message: `${outcome.reason}: ${outcome.detail}` }, keep: outcome.id };
      continue;
    }
    try {
      yield { input: detectInput(JSON.stringify(outcome.snapshot), { source: `ssm:${outcome.id}`, ...read }) };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { problem: err.toProblem(), keep: outcome.id };
    }
  }
}

/** Launch template versions read from EC2 as they are listed; each that runs Bottlerocket is a host. */
export async function* launchTemplateArrivals(options: LaunchTemplateOptions, read: ReadOptions): AsyncGenerator<Arrival> {
  const { readLaunchTemplates } = await import('../aws/launch-templates.js');
  for await (const record of readLaunchTemplates(options)) {
    const version = record.LaunchTemplateVersions[0] ?? {};
    const source = `ec2:${String(version.LaunchTemplateId)}:${String(version.VersionNumber)}`;
    try {
      const found = detectInputs(JSON.stringify(record), { source, ...read });
      for (const input of found.inputs) yield { input };
      for (const problem of found.problems) yield { problem };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      yield { problem: err.toProblem() };
    }
  }
}

/** How many hosts Inspector is asked about at once. */
const INSPECTOR_BATCH = 10;

/** Adds Amazon Inspector's coverage and findings to each EC2 host's snapshot, asking about a few hosts at a time. */
export async function* withInspector(source: AsyncIterable<Arrival>, reader: InspectorReader): AsyncGenerator<Arrival> {
  let buffer: Arrival[] = [];
  let waiting = 0;
  const drain = async function* () {
    const ids = buffer.flatMap((a) => ('input' in a ? [a.input.snapshot.host.id] : []));
    const evidence = ids.length > 0 ? await reader.read(ids) : new Map();
    for (const a of buffer) {
      if ('input' in a) {
        const found = evidence.get(a.input.snapshot.host.id);
        if (found) a.input.snapshot.aws = { ...(a.input.snapshot.aws ?? {}), inspector2: found };
      }
      yield a;
    }
    buffer = [];
    waiting = 0;
  };
  for await (const arrival of source) {
    buffer.push(arrival);
    if ('input' in arrival) waiting++;
    if (waiting >= INSPECTOR_BATCH) yield* drain();
  }
  yield* drain();
}
