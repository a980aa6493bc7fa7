// The kernel captures: sysctl -a, /proc/cmdline, lockdown, modules and modprobe.
import { describe, expect, it } from 'vitest';
import { parseCmdline, parseLockdown, parseModprobe, parseModules, parseSysctl as parseSysctlIn } from '../../src/facts/kernel.js';
import { ParseError } from '../../src/facts/parse-error.js';
import { ScanMemo } from '../../src/memo.js';

// One memo per file, as one scan of a fleet has: parsers share what consecutive inputs have in common.
const memo = new ScanMemo();
const parseSysctl = (text: string) => parseSysctlIn(text, memo);

describe('sysctl', () => {
  it('keeps inner whitespace and empty values', () => {
    const map = parseSysctl(
      'net.ipv4.ip_local_port_range = 32768\t60999\nkernel.domainname = \nfs.suid_dumpable = 0\nkernel.panic_on_oops = 1',
    );
    expect(map.get('kernel.panic')).toBeUndefined();
    expect(map.get('net.ipv4.ip_local_port_range')).toBe('32768\t60999');
    expect(map.get('fs.suid_dumpable')).toBe('0');
    expect(map.get('kernel.domainname')).toBe('');
  });
  it('rejects text with no key = value lines', () => {
    expect(() => parseSysctl('sysctl: permission denied\n')).toThrow(ParseError);
  });
  it('finds the first line of each key in any order of lines, as a search from the top does', () => {
    // Keys met in earlier dumps are found in one pass over a new one; it must agree with a plain search from the
    // top on sorted and shuffled dumps, repeated keys, keys that prefix others, and keys on the first line.
    const firstValue = (text: string, key: string): string | undefined => {
      const line = ('\n' + text).split('\n').find((l) => l.startsWith(`${key} =`));
      return line?.slice(key.length + 2).trim();
    };
    const segments = [
      ['net', 'fs', 'kernel', 'n'],
      ['ipv4', 'ipv6', 'ipv4x', ''],
      ['conf', 'route', 'c'],
      ['all', 'default', 'al'],
    ];
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const keyOf = () =>
      segments
        .slice(0, 1 + random(4))
        .map((options) => options[random(options.length)])
        .join('.');
    for (let round = 0; round < 300; round++) {
      // Some values hold a carriage return or a Unicode line break followed by a key: not a line of its own.
      const valueOf = () =>
        random(3) === 0 ? '' : random(8) === 0 ? `1${['\r', '\u2028', '\r\n'][random(3)]}${keyOf()} = 9` : String(random(100));
      const lines = Array.from({ length: 1 + random(40) }, () => `${keyOf()} = ${valueOf()}`);
      if (random(2) === 0) lines.sort();
      const text = lines.join('\n') + (random(2) === 0 ? '\n' : '');
      const values = parseSysctl(text);
      for (let k = 0; k < 20; k++) {
        const key = keyOf();
        expect(values.get(key), `${key} in ${JSON.stringify(text)}`).toBe(firstValue(text, key));
      }
    }
  });
});

describe('kernel command line', () => {
  const line =
    'BOOT_IMAGE=(hd0,gpt3)/vmlinuz console=tty0 console=ttyS0,115200n8 root=/dev/dm-0 ro selinux=1 "dm-mod.create=root,,,ro,0 1884160 verity 1 PARTUUID=a/PARTNROFF=1 PARTUUID=a/PARTNROFF=2 4096 4096 235520 1 sha256 3f1d 5c2a 2 restart_on_corruption ignore_zero_blocks" -- systemd.log_color=0';
  it('groups the quoted dm-mod.create table into one token and parses it', () => {
    const cmdline = parseCmdline(line);
    expect(cmdline.params.get('console')).toEqual(['tty0', 'ttyS0,115200n8']);
    expect(cmdline.params.get('ro')).toEqual(['']);
    expect(cmdline.initTokens).toEqual(['systemd.log_color=0']);
    expect(cmdline.verity).toMatchObject({
      name: 'root',
      readOnly: true,
      target: 'verity',
      hashAlgorithm: 'sha256',
      rootHash: '3f1d',
      options: ['restart_on_corruption', 'ignore_zero_blocks'],
    });
  });
  it('has no verity table for a linear target', () => {
    expect(parseCmdline('root=/dev/dm-0 "dm-mod.create=root,,,ro,0 100 linear /dev/sda 0"').verity).toBeNull();
  });
});

describe('lockdown, modules, modprobe', () => {
  it('reads the bracketed mode', () => {
    expect(parseLockdown('none integrity [confidentiality]\n').active).toBe('confidentiality');
    expect(() => parseLockdown('none integrity confidentiality')).toThrow(ParseError);
  });
  it('lists loaded modules', () => {
    expect([...parseModules('udf 1 0 - Live 0x0\nsctp 2 0 - Live 0x0\n')]).toEqual(['udf', 'sctp']);
  });
  it('tells disabled, loadable and already-loaded apart', () => {
    expect(parseModprobe('install /bin/true \n').disposition).toBe('disabled');
    expect(parseModprobe('insmod /lib/modules/x/udf.ko.xz \n').disposition).toBe('loadable');
    expect(parseModprobe('').disposition).toBe('nothing-to-load');
  });
});
