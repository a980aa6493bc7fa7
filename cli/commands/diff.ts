// `brsec diff OLD.json NEW.json`: failures new, fixed and still failing per host and check, and hosts added and gone,
// between two JSON reports. Exit 1 when the newer report has new failures, as a gate on a trend.
import type { Argv } from 'yargs';
import { DIFF_FORMATS, diffReports, renderDiff, type DiffFormat } from '../../src/index.js';
import { fileSink, streamSink } from '../../src/internal.js';

export interface DiffArgs {
  old: string;
  new: string;
  format?: DiffFormat;
  output?: string;
}

export function diffBuilder(yargs: Argv): Argv<DiffArgs> {
  return yargs
    .positional('old', { type: 'string', demandOption: true, describe: 'The earlier JSON report (brsec scan -f json)' })
    .positional('new', { type: 'string', demandOption: true, describe: 'The later JSON report' })
    .option('format', { alias: 'f', choices: DIFF_FORMATS, describe: 'Report format [default: text]' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to FILE (replaced only when it is complete)' })
    .example('$0 diff last-week.json today.json', 'What changed: new, fixed and still failing per host')
    .example('$0 diff old.json new.json -f markdown >> "$GITHUB_STEP_SUMMARY"', 'The same for a pull request') as unknown as Argv<DiffArgs>;
}

export async function runDiff(args: DiffArgs): Promise<number> {
  const diff = await diffReports(args.old, args.new);
  const sink = args.output ? await fileSink(args.output) : streamSink();
  try {
    await sink.write(renderDiff(diff, args.format ?? 'text'));
    await sink.commit();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  return diff.totals.new > 0 ? 1 : 0;
}
