// The seeded mutation fuzzer, briefly: the same harness `npm run fuzz` runs for long, against the sources in-process
// and the build through the CLI. A failure lists the index that replays it (`npm run fuzz -- --first N --count 1`).
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { SECRET_MARK, SECRET_TOKENS } from './fuzz/corpus.mjs';
import { fuzz, fuzzCli, fuzzInput, secretMoved } from './fuzz/harness.mjs';

describe('fuzzer', () => {
  it('finds no failure in 400 mutated inputs of every kind, in-process, every check and every format', async () => {
    const { figures, failures } = await fuzz({ lib, seed: 12, count: 400 });
    expect(failures).toEqual([]);
    // Every kind of input was tried, and most inputs were checked for secrets.
    expect(Object.keys(figures.byOrigin).length).toBe(22);
    expect(figures.scanned).toBeGreaterThan(80);
    expect(figures.inputErrors).toBeGreaterThan(80);
    expect(figures.secretChecks).toBeGreaterThan(300);
  });

  it('finds no failure in mutated inputs through the CLI: documented exit codes, no stack, no secret', () => {
    const { figures, failures } = fuzzCli({ lib, seed: 12, count: 6 });
    expect(failures).toEqual([]);
    expect(Object.values(figures.exitCodes).reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('replays an input from its seed and index', () => {
    expect(fuzzInput(7, 123).text).toBe(fuzzInput(7, 123).text);
    expect(fuzzInput(7, 123).text).not.toBe(fuzzInput(7, 124).text);
  });
});

describe('the fuzzer can fail', () => {
  const run = (changed: Partial<typeof lib>) => fuzz({ lib: { ...lib, ...changed } as typeof lib, seed: 3, count: 40 });

  it('on an error that is not an input error', async () => {
    const { failures } = await run({
      detectInputs: () => {
        throw new TypeError('Cannot convert object to primitive value');
      },
    });
    expect(failures.length).toBe(40);
    expect(failures[0].kind).toBe('internal-error');
  });

  it('on a stack trace in an input error', async () => {
    const { failures } = await run({
      detectInputs: (_text: string, options: { source: string }) => {
        throw new lib.InputError(options.source, 'bad\n    at recognise (src/inputs/detect.ts:1:1)');
      },
    });
    expect(failures.map((f) => f.kind)).toContain('stack-trace');
  });

  it('on a secret in a report, and on a control character in the text report', async () => {
    const leaky = (format: lib.Format) => ({
      ...lib.createWriter(format, { aws: { accountId: '123456789012', region: 'us-east-1' } }),
      begin: () => (format === 'text' ? `\u001b[2J${SECRET_TOKENS[0]}` : `${SECRET_MARK}`),
    });
    const { failures } = await run({ createWriter: leaky as typeof lib.createWriter });
    const kinds = new Set(failures.map((f) => f.kind));
    expect(kinds).toContain('secret');
    expect(kinds).toContain('control-character');
    expect(kinds).toContain('invalid-report');
  });
});

describe('the secret check', () => {
  const api = (settings: unknown) => JSON.stringify({ settings });
  it('applies while secrets stay where secrets live, URL credentials included', () => {
    expect(secretMoved(api({ kubernetes: { 'bootstrap-token': SECRET_TOKENS[2] } }), lib)).toEqual({ checked: true, moved: false });
    expect(secretMoved(api({ network: { 'https-proxy': `http://u:${SECRET_TOKENS[0]}@proxy:3128` } }), lib)).toEqual({
      checked: true,
      moved: false,
    });
    const snapshot = JSON.stringify({
      captures: { 'apiclient get': { stdout: api({ 'container-registry': { credentials: [{ password: SECRET_TOKENS[0] }] } }) } },
    });
    expect(secretMoved(snapshot, lib)).toEqual({ checked: true, moved: false });
  });

  it('does not apply where a mutation moved a secret to a setting shown as it is', () => {
    expect(secretMoved(api({ kubernetes: { 'cluster-name': SECRET_TOKENS[2] } }), lib).moved).toBe(true);
    expect(secretMoved(`{"settings": ${SECRET_TOKENS[0]}`, lib)).toEqual({ checked: false, moved: true });
  });
});
