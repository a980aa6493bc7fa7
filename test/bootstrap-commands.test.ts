// Bootstrap commands that run `apiclient set` at boot change settings after user data is applied: every check judges
// the user data with them laid over it, and BRSEC-bootstrap-commands reports them (its fixtures are in
// test/fixtures/checks). Here: the overlay, and how `apiclient set` is read.
import { describe, expect, it } from 'vitest';
import { detectInput, scanHost, planScan, loadCatalog, UnknownValue } from '../src/index.js';
import { settingsOfSet, withBootstrapSets, bootstrapCommands } from '../src/settings/bootstrap-commands.js';

const userData = (extra: string) => `[settings.kernel]\nlockdown = "integrity"\n\n${extra}`;
const scanUserData = (text: string) =>
  scanHost(detectInput(text, { source: 'user-data.toml', variant: 'aws-k8s-1.31' }), planScan(loadCatalog(), { profiles: ['all'] }));

describe('bootstrap commands', () => {
  it('a command that lowers lockdown at boot fails the lockdown check the user data alone would pass', () => {
    const alone = scanUserData(userData(''));
    expect(alone.results.find((r) => r.id === 'BR-1.5.2')!.status).toBe('PASS');
    const lowered = scanUserData(
      userData('[settings.bootstrap-commands.001-lockdown]\ncommands = [["apiclient", "set", "kernel.lockdown=none"]]\nmode = "always"\n'),
    );
    const lockdown = lowered.results.find((r) => r.id === 'BR-1.5.2')!;
    expect(lockdown.status).toBe('FAIL');
    expect(lockdown.reason).toContain('settings.kernel.lockdown: none in user data and its bootstrap commands');
    const own = lowered.results.find((r) => r.id === 'BRSEC-bootstrap-commands')!;
    expect(own.status).toBe('FAIL');
    expect(own.reason).toContain('001-lockdown: apiclient set kernel.lockdown=none');
  });

  it('a command that is off changes nothing', () => {
    const off = scanUserData(
      userData('[settings.bootstrap-commands.001-lockdown]\ncommands = [["apiclient", "set", "kernel.lockdown=none"]]\nmode = "off"\n'),
    );
    expect(off.results.find((r) => r.id === 'BR-1.5.2')!.status).toBe('PASS');
    expect(off.results.find((r) => r.id === 'BRSEC-bootstrap-commands')!.status).toBe('PASS');
  });

  it('reads apiclient set as the API takes it: key=value with or without settings., --json, true and false', () => {
    expect(settingsOfSet(['apiclient', 'set', 'kernel.lockdown=none', 'settings.host-containers.admin.enabled=true'])).toEqual({
      kernel: { lockdown: 'none' },
      'host-containers': { admin: { enabled: true } },
    });
    expect(settingsOfSet(['apiclient', 'set', '--json', '{"kernel": {"sysctl": {"user.max_user_namespaces": "0"}}}'])).toEqual({
      kernel: { sysctl: { 'user.max_user_namespaces': '0' } },
    });
    expect(settingsOfSet(['apiclient', 'set', '-j', 'not json'])).toBeNull();
    expect(settingsOfSet(['apiclient', 'get', 'settings'])).toBeNull();
  });

  it('runs in the order of their names, and leaves the user data as it was, unknown values included', () => {
    const unknown = new UnknownValue('${var.dns}');
    const settings = {
      network: { hostname: unknown },
      'bootstrap-commands': {
        b: { commands: [['apiclient', 'set', 'kernel.lockdown=integrity']] },
        a: { commands: [['apiclient', 'set', 'kernel.lockdown=none']], mode: 'once' },
      },
    };
    expect(bootstrapCommands(settings).map((b) => b.name)).toEqual(['a', 'b']);
    const { settings: laid, set } = withBootstrapSets(settings);
    expect((laid.kernel as { lockdown: string }).lockdown).toBe('integrity');
    expect(set).toEqual([
      ['kernel', 'lockdown'],
      ['kernel', 'lockdown'],
    ]);
    expect(settings).not.toHaveProperty('kernel');
    expect((laid.network as { hostname: unknown }).hostname).toBe(unknown);
  });
});
