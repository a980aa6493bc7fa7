// chrony, journald, systemctl and stat listings.
import { describe, expect, it } from 'vitest';
import { parseChronyConf, parseFileModes, parseSestatus, parseSystemdIni } from '../../src/facts/services.js';
import { ParseError } from '../../src/facts/parse-error.js';

describe('services', () => {
  it('sestatus fields', () => {
    expect(parseSestatus('SELinux status:                 enabled\nCurrent mode:                   enforcing\n').get('Current mode')).toBe(
      'enforcing',
    );
  });
  it('chrony directives skip comments', () => {
    expect(parseChronyConf('# c\n! x\npool a iburst\nServer b\n').map((d) => d.name)).toEqual(['pool', 'server']);
  });
  it('journald keys are Section.Key, later wins', () => {
    expect(parseSystemdIni('[Journal]\nStorage=volatile\n# x\nStorage=persistent\n').get('Journal.Storage')).toBe('persistent');
    expect(() => parseSystemdIni('Storage=persistent\n')).toThrow(ParseError);
  });
  it('file modes are octal', () => {
    expect(parseFileModes('640 root systemd-journal /var/log/journal/x/system.journal\n')[0]).toMatchObject({ mode: 0o640, owner: 'root' });
  });
});
