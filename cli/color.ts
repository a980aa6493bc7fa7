import { Chalk } from 'chalk';
import type { Paint } from '../src/index.js';

/** Colour only on a terminal; NO_COLOR turns it off and FORCE_COLOR on, whatever the output is. */
export function paintFor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): Paint | undefined {
  const force = env.FORCE_COLOR;
  let level: 0 | 1 | 2 | 3;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') level = force === '2' ? 2 : force === '3' ? 3 : 1;
  else if (force === '0' || force === 'false') level = 0;
  else if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') level = 0;
  else level = isTTY && env.TERM !== 'dumb' ? 1 : 0;
  if (level === 0) return undefined;
  const chalk = new Chalk({ level });
  return {
    pass: chalk.green,
    fail: chalk.red.bold,
    error: chalk.magenta.bold,
    warn: chalk.yellow,
    muted: chalk.gray,
    bold: chalk.bold,
  };
}
