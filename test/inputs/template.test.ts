// User data written as a template (Terraform templatefile/heredoc, CloudFormation !Sub): expressions are unknown
// values, never a parse error, and every line stays where it was.
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parseTemplatedToml } from '../../src/inputs/node-config/template.js';
import { UnknownValue } from '../../src/settings/unknown.js';

const parseToml = (t: string) => parse(t) as Record<string, unknown>;
const read = (text: string, syntax: 'terraform' | 'cloudformation' = 'terraform', known?: Record<string, string | number | boolean>) =>
  parseTemplatedToml(text, { syntax, source: 'x.tpl', parseToml, ...(known ? { known } : {}) });

describe('templated user data', () => {
  it('an interpolation outside a string is an unknown value; inside one, the string is unknown', () => {
    const { settings } = read('[settings.kubernetes]\nmax-pods = ${var.max_pods}\napi-server = "https://${var.host}:443"\n');
    const k8s = settings.kubernetes as Record<string, unknown>;
    expect(k8s['max-pods']).toEqual(new UnknownValue('${var.max_pods}'));
    expect(k8s['api-server']).toEqual(new UnknownValue('"https://${var.host}:443"'));
  });

  it('known template variables are written in, as their type', () => {
    const { settings } = read('[settings.kubernetes]\nmax-pods = ${max_pods}\ncluster-name = "${name}"\n', 'terraform', {
      max_pods: 110,
      name: 'prod',
    });
    expect(settings.kubernetes).toEqual({ 'max-pods': 110, 'cluster-name': 'prod' });
  });

  it('escapes write a literal ${: Terraform $${, CloudFormation ${!', () => {
    expect(read('[settings]\nmotd = "cost: $${x}"\n').settings.motd).toBe('cost: ${x}');
    expect(read('[settings]\nmotd = "cost: ${!x}"\n', 'cloudformation').settings.motd).toBe('cost: ${x}');
  });

  it('values set inside %{ if } are unknown, naming the condition; an else branch does not duplicate keys', () => {
    const text = '[settings.host-containers.admin]\n%{ if var.debug }\nenabled = true\n%{ else }\nenabled = false\n%{ endif }\n';
    const { settings, plainText } = read(text);
    expect((settings['host-containers'] as any).admin.enabled).toEqual(new UnknownValue('true, set only %{ if var.debug }'));
    expect(plainText.split('\n')).toHaveLength(text.split('\n').length);
  });

  it('an interpolation inside a multi-line string is left to the string', () => {
    const { settings } = read('[settings.host-containers.x]\nuser-data = """\nline ${a}\n"""\nenabled = true\n');
    const x = (settings['host-containers'] as any).x;
    expect(x['user-data']).toBeInstanceOf(UnknownValue);
    expect(x.enabled).toBe(true);
  });

  it('text that is not TOML even with expressions set aside is an error naming the source', () => {
    expect(() => read('[settings\nx = ${y}\n')).toThrow(/x\.tpl.*|not valid TOML/);
  });
});
