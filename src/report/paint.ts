import { Chalk } from 'chalk';
import { plainPaint, type Paint } from './text.js';

export type ColorLevel = 0 | 1 | 2 | 3;

/** The terminal report's colours at a chalk colour level; level 0 is plain text. */
export function paintAt(level: ColorLevel): Paint {
  if (level === 0) return plainPaint;
  const chalk = new Chalk({ level });
  return { pass: chalk.green, fail: chalk.red.bold, error: chalk.magenta.bold, warn: chalk.yellow, muted: chalk.gray, bold: chalk.bold };
}

/** Colour only on a terminal; NO_COLOR turns it off and FORCE_COLOR on, whatever the output is. */
export function colorLevel(isTTY: boolean, env: Record<string, string | undefined>): ColorLevel {
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return 0;
  if (force !== undefined) return force === '2' ? 2 : force === '3' ? 3 : 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  return isTTY && env.TERM !== 'dumb' ? 1 : 0;
}
