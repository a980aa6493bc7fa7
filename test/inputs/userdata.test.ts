// User data TOML: where each key is, for SARIF lines.
import { describe, expect, it } from 'vitest';
import { userDataLines } from '../../src/inputs/userdata-lines.js';
import { detectInput } from '../../src/inputs/detect.js';

describe('user data TOML', () => {
  it('finds the lines of quoted keys with escapes and raw tabs, which TOML allows and JSON does not', () => {
    const text = '[settings.kernel.sysctl]\n"a\tb" = "1"\n"kernel.\\u0070anic" = "1"\n"x\\\\y\\"z" = "2"\n';
    const lines = userDataLines(text);
    expect(lines['kernel\u0000sysctl\u0000a\tb']).toBe(2);
    expect(lines['kernel\u0000sysctl\u0000kernel.panic']).toBe(3);
    expect(lines['kernel\u0000sysctl\u0000x\\y"z']).toBe(4);
  });

  it('takes no line from inside a multi-line string, and finds keys inside inline tables', () => {
    const text = [
      '[settings.host-containers.admin]',
      'user-data = """',
      '[settings.kernel]',
      'lockdown = "none"',
      '"""',
      'source = { registry = "public.ecr.aws" }',
      '[settings.kernel]',
      'lockdown = "integrity"',
      '',
    ].join('\n');
    const lines = userDataLines(text);
    expect(lines['kernel']).toBe(7);
    expect(lines['kernel\u0000lockdown']).toBe(8);
    expect(lines['host-containers\u0000admin\u0000user-data']).toBe(2);
    expect(lines['host-containers\u0000admin\u0000source\u0000registry']).toBe(6);
  });

  it('gives no lines for text that is not TOML, rather than guessing', () => {
    expect(userDataLines('[settings.kernel\nlockdown = "integrity"\n')).toEqual({});
  });

  it('is read by detectInput without a TOML parser handed in (the library loads one)', () => {
    const input = detectInput('[settings.kernel]\nlockdown = "integrity"\n', { source: 'ud.toml', variant: 'aws-k8s-1.30' });
    expect(input.kind).toBe('user-data');
    expect(input.userData?.settings).toEqual({ kernel: { lockdown: 'integrity' } });
  });
});
