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

  it('is read by detectInput without a TOML parser handed in (the library loads one)', () => {
    const input = detectInput('[settings.kernel]\nlockdown = "integrity"\n', { source: 'ud.toml', variant: 'aws-k8s-1.30' });
    expect(input.kind).toBe('user-data');
    expect(input.userData?.settings).toEqual({ kernel: { lockdown: 'integrity' } });
  });
});
