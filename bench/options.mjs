// Command-line options of the bench harnesses: node's own parseArgs, with a bad option as one line and exit 2.
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

export function benchOptions(options) {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    console.error(`${basename(process.argv[1] ?? 'bench')}: ${err.message}`);
    process.exit(2);
  }
}
