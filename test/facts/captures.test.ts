// Captures that cannot be used: exit codes, SSM truncation, empty output.
import { describe, expect, it } from 'vitest';
import { captureProblem } from '../../src/facts/captures.js';

describe('unusable captures', () => {
  it.each([
    [{ stdout: 'x', exitCode: 1, stderr: 'denied' }, false, 'exit code 1 (denied)'],
    [{ stdout: '  \n', exitCode: 0 }, false, 'empty output'],
    [{ stdout: 'a = 1\n--output truncated--', exitCode: 0 }, false, 'output was cut by SSM'],
  ])('%j is unusable', (capture, allowEmpty, problem) => {
    expect(captureProblem(capture, allowEmpty)).toContain(problem);
  });
  it('empty output can be valid', () => {
    expect(captureProblem({ stdout: '', exitCode: 0 }, true)).toBeNull();
  });
});
