// Parsers for SELinux, chrony, systemd, journald and file-mode captures.
import { ParseError, lines } from './parse-error.js';

/** `sestatus`: `Label:   value` lines, keyed by label without the colon. */
export function parseSestatus(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  if (!fields.has('SELinux status')) throw new ParseError('no "SELinux status:" line');
  return fields;
}

/** `/sys/fs/selinux/enforce`: 1 enforcing, 0 permissive. */
export function parseSelinuxEnforce(text: string): 'enforcing' | 'permissive' {
  const value = text.trim();
  if (value === '1') return 'enforcing';
  if (value === '0') return 'permissive';
  throw new ParseError(`expected 0 or 1, got "${value.slice(0, 20)}"`);
}

export interface Directive {
  name: string;
  args: string[];
}

/** chrony.conf: one directive per line; `#`, `!`, `;` and `%` start comments. */
export function parseChronyConf(text: string): Directive[] {
  const directives: Directive[] = [];
  for (const line of lines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || /^[#!;%]/.test(trimmed)) continue;
    const [name = '', ...args] = trimmed.split(/\s+/);
    directives.push({ name: name.toLowerCase(), args });
  }
  return directives;
}

/** `systemctl show --property …`: `Key=value` lines. */
export function parseSystemctlShow(text: string): Map<string, string> {
  const props = new Map<string, string>();
  for (const line of lines(text)) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  if (props.size === 0) throw new ParseError('no "Key=value" lines');
  return props;
}

/** An INI file as systemd reads it: keys are `Section.Key`; a later assignment wins. */
export function parseSystemdIni(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let section = '';
  for (const line of lines(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(trimmed);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) throw new ParseError(`not "Key=value": "${trimmed.slice(0, 60)}"`);
    if (!section) throw new ParseError('assignment before any [Section]');
    keys.set(`${section}.${trimmed.slice(0, eq).trim()}`, trimmed.slice(eq + 1).trim());
  }
  return keys;
}

export interface FileMode {
  /** Permission bits as a number (parsed from octal). */
  mode: number;
  owner: string;
  group: string;
  path: string;
}

/** Lines of `<octal mode> <owner> <group> <path>`, as `find -printf '%m %u %g %p\n'` and `stat -c '%a %u %g %n'` print. */
export function parseFileModes(text: string): FileMode[] {
  const files: FileMode[] = [];
  for (const line of lines(text)) {
    if (line.trim() === '') continue;
    const match = /^([0-7]{1,4}) (\S+) (\S+) (.+)$/.exec(line.trim());
    if (!match) throw new ParseError(`not "<mode> <owner> <group> <path>": "${line.slice(0, 80)}"`);
    files.push({ mode: parseInt(match[1] as string, 8), owner: match[2] as string, group: match[3] as string, path: match[4] as string });
  }
  return files;
}
