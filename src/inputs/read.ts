// Finds and reads input files: paths, directories (recursively) and "-" for standard input.
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { LIMITS } from '../limits.js';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { HostInput } from '../types.js';
import { detectInputs, looksLikeToml, type DetectedInputs } from './detect.js';
import { loadHclParser, looksLikeHcl } from './node-config/index.js';

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ERR_STRING_TOO_LONG':
    case 'ERR_FS_FILE_TOO_LARGE':
      return 'too large to be an input (over 512 MB; a snapshot is well under 1 MB)';
    default:
      return `cannot read: ${(err as Error).message}`;
  }
}

async function walk(dir: string, out: string[], visited: Set<string>): Promise<void> {
  let entries;
  try {
    // A folder reached twice through symbolic links is read once.
    const real = await realpath(dir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(dir, describeFsError(err));
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let kind: 'file' | 'directory' | 'other' = entry.isDirectory() ? 'directory' : entry.isFile() ? 'file' : 'other';
    // Symbolic links count as what they point at: a Kubernetes ConfigMap or Secret mounts its files as links.
    if (entry.isSymbolicLink()) {
      const target = await stat(path).catch(() => null);
      kind = target?.isDirectory() ? 'directory' : target?.isFile() ? 'file' : 'other';
    }
    if (kind === 'directory') await walk(path, out, visited);
    else if (kind === 'file') out.push(path);
  }
}

/**
 * Expands the given paths into the list of input files, in order. A directory contributes every file below
 * it except hidden ones; a directory with none is an error.
 */
export async function expandInputs(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (path === '-') {
      files.push('-');
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      throw new InputError(path, describeFsError(err));
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await walk(path, found, new Set());
      if (found.length === 0) throw new InputError(path, 'directory holds no input files');
      files.push(...found);
    } else {
      files.push(path);
    }
  }
  return files;
}

/** Snapshots are almost always ASCII, which decodes as a plain copy; anything else is decoded as UTF-8. */
function decode(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  // UTF-16 with its byte order mark, as PowerShell's `>` writes files.
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
      .swap16()
      .toString('utf16le');
  return bytes.toString('utf8');
}

const TOO_LARGE = `larger than ${LIMITS.inputBytes / 1024 / 1024} MiB, brsec's limit for one input`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size > LIMITS.inputBytes) throw new InputError('stdin', TOO_LARGE);
    chunks.push(chunk as Buffer);
  }
  return decode(Buffer.concat(chunks));
}

/**
 * A file's bytes, refused before it is read when it is larger than any input brsec reads. A regular file is read in
 * one buffer of its size (faster than readFileSync, which asks for the size again); a pipe or a /proc file, whose
 * size reads 0, is read to its end, but never past the limit.
 */
function readBounded(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > LIMITS.inputBytes) throw new InputError(file, TOO_LARGE);
    if (size === 0) return readToEnd(file, fd);
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const read = readSync(fd, bytes, at, size - at, null);
      if (read === 0) break;
      at += read;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

function readToEnd(file: string, fd: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(64 * 1024);
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    total += read;
    if (total > LIMITS.inputBytes) throw new InputError(file, TOO_LARGE);
    chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
  }
}

let tomlParser: ((text: string) => Record<string, unknown>) | undefined;

async function loadToml(): Promise<(text: string) => Record<string, unknown>> {
  if (!tomlParser) {
    const toml = await import('smol-toml');
    tomlParser = (text) => toml.parse(text) as Record<string, unknown>;
  }
  return tomlParser;
}

export interface ReadOptions {
  variant?: string;
  /** Record where each key is, for reports that point at lines (SARIF). */
  locate?: boolean;
}

/** Reads and recognises one input file that holds one host (see readInputs for node configuration files). */
export async function readInput(file: string, options: ReadOptions = {}): Promise<HostInput> {
  const found = await readInputs(file, options);
  const first = found.problems[0];
  if (first) throw new InputError(first.file, first.message);
  if (found.inputs.length !== 1)
    throw new InputError(file === '-' ? 'stdin' : file, found.skipped ?? `defines ${found.inputs.length} hosts; read it with readInputs`);
  return found.inputs[0] as HostInput;
}

/** Reads and recognises one input file: one host, or every node a node configuration file defines. */
export async function readInputs(file: string, options: ReadOptions = {}): Promise<DetectedInputs> {
  let text: string;
  try {
    // Synchronous reads: a scan is CPU-bound, and the promise API costs more than the read itself here.
    text = file === '-' ? await readStdin() : decode(readBounded(file));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(file === '-' ? 'stdin' : file, describeFsError(err));
  }
  const source = file === '-' ? 'stdin' : file;
  const readAt = new Date().toISOString();
  // Only inputs that are not snapshots ask for this: the file's modification time stands in for collectedAt.
  const collectedAt = () => {
    if (file === '-') return readAt;
    try {
      return statSync(file).mtime.toISOString();
    } catch {
      return readAt;
    }
  };
  const detectOptions: Parameters<typeof detectInputs>[1] = { source, collectedAt };
  if (options.variant) detectOptions.variant = options.variant;
  if (options.locate) detectOptions.locate = true;
  if (looksLikeToml(text)) {
    detectOptions.parseToml = await loadToml();
    if (looksLikeHcl(text)) detectOptions.parseHcl = await loadHclParser();
  }
  return detectInputs(text, detectOptions);
}
