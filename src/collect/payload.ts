// The capture script's SSM payload: a header line, then the gzip+base64 snapshot in chunks that each fit in
// SSM's 24,000-character output limit. The first chunk comes with the capture; the others are fetched by number.
import { zlib } from '../builtins.js';
import { SSM_TRUNCATION_MARKER } from '../facts/captures.js';

export interface PayloadHeader {
  format: 'gzip+base64' | 'base64';
  length: number;
  chunks: number;
  chunkSize: number;
  run: string;
}

export class PayloadError extends Error {
  constructor(
    readonly reason: 'output-cut' | 'bad-payload',
    message: string,
  ) {
    super(message);
  }
}

/** SSM cut the output (it keeps the first 24,000 characters and ends them with its marker). */
export function wasCut(text: string): boolean {
  return text.trimEnd().endsWith(SSM_TRUNCATION_MARKER);
}

const HEADER = /^brsec-payload\/1 (gzip\+base64|base64) length=(\d+) chunks=(\d+) chunk-size=(\d+) run=(\S+)$/;

/** The header and the first chunk of a capture's output. */
export function parseFirst(stdout: string): { header: PayloadHeader; chunk: string } {
  if (wasCut(stdout)) throw new PayloadError('output-cut', `SSM cut the output at ${stdout.length} characters`);
  const newline = stdout.indexOf('\n');
  const first = newline === -1 ? stdout : stdout.slice(0, newline);
  const m = HEADER.exec(first.trim());
  if (!m) throw new PayloadError('bad-payload', `the capture printed no brsec payload header (first line: "${first.slice(0, 80)}")`);
  const header: PayloadHeader = {
    format: m[1] as PayloadHeader['format'],
    length: Number(m[2]),
    chunks: Number(m[3]),
    chunkSize: Number(m[4]),
    run: m[5] as string,
  };
  return { header, chunk: stdout.slice(newline + 1).replace(/\s+$/, '') };
}

/** A follow-up chunk's output: `brsec-chunk/1 <n>` and the chunk. */
export function parseChunk(stdout: string, expected: number): string {
  if (wasCut(stdout)) throw new PayloadError('output-cut', `SSM cut chunk ${expected} at ${stdout.length} characters`);
  const newline = stdout.indexOf('\n');
  const head = newline === -1 ? stdout : stdout.slice(0, newline);
  if (head.trim() !== `brsec-chunk/1 ${expected}`)
    throw new PayloadError('bad-payload', `expected chunk ${expected}, got "${head.slice(0, 80)}"`);
  return stdout.slice(newline + 1).replace(/\s+$/, '');
}

/** Payloads beyond this many characters are refused: a snapshot is well under a megabyte. */
export const MAX_PAYLOAD = 64 * 1024 * 1024;
/** A decompressed snapshot beyond this many bytes is refused. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/**
 * Checks a host's header against the run and chunk size brsec asked for. A host's output is not trusted: its run id
 * goes into the shell commands that fetch further chunks (sent to up to 50 hosts at once), and its counts decide
 * how many commands are sent.
 */
export function checkHeader(header: PayloadHeader, expected: { run: string; chunkSize: number }): void {
  if (header.run !== expected.run)
    throw new PayloadError('bad-payload', `the payload is of another run ("${header.run.slice(0, 40)}", expected "${expected.run}")`);
  if (header.chunkSize !== expected.chunkSize)
    throw new PayloadError('bad-payload', `the payload's chunk size is ${header.chunkSize}, expected ${expected.chunkSize}`);
  if (header.length > MAX_PAYLOAD)
    throw new PayloadError('bad-payload', `the payload is ${header.length} characters, more than the ${MAX_PAYLOAD} brsec accepts`);
  if (header.chunks !== Math.max(1, Math.ceil(header.length / header.chunkSize))) {
    throw new PayloadError(
      'bad-payload',
      `the payload header says ${header.chunks} chunks for ${header.length} characters of ${header.chunkSize}`,
    );
  }
}

/** The shell command that prints chunk n (0-based) of a kept payload, removing it after the last. */
export function chunkCommand(header: PayloadHeader, n: number): string {
  // Only brsec's own run ids (hex) ever reach a shell; checkHeader has made sure of that, and this makes sure again.
  if (!/^[0-9A-Za-z_-]{1,64}$/.test(header.run) || !Number.isSafeInteger(header.chunkSize) || !Number.isSafeInteger(n))
    throw new Error('unsafe chunk command');
  const from = n * header.chunkSize + 1;
  const to = (n + 1) * header.chunkSize;
  const file = `/tmp/brsec-${header.run}.b64`;
  const cleanup = n === header.chunks - 1 ? `; rm -f ${file}` : '';
  return `[ -f ${file} ] || { echo "brsec: ${file} is gone" >&2; exit 4; }; echo "brsec-chunk/1 ${n}"; cut -c ${from}-${to} ${file}${cleanup}`;
}

/** The snapshot text from all chunks, checked against the header. */
export function decodePayload(header: PayloadHeader, chunks: readonly string[], maxBytes = MAX_SNAPSHOT_BYTES): string {
  const text = chunks.join('');
  if (text.length !== header.length)
    throw new PayloadError('bad-payload', `payload is ${text.length} characters, the header said ${header.length}`);
  const bytes = Buffer.from(text, 'base64');
  try {
    // A bounded inflate: a host's output must not be able to exhaust the auditor's memory.
    return (header.format === 'gzip+base64' ? zlib().gunzipSync(bytes, { maxOutputLength: maxBytes }) : bytes).toString('utf8');
  } catch (err) {
    throw new PayloadError('bad-payload', `payload does not decompress: ${(err as Error).message}`);
  }
}
