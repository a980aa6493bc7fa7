// Bootstrap commands as evidence: those that change settings at boot (after user data is applied), and those that
// are not API commands. Read from the settings the host has as written (user data, or its `apiclient get`), which
// the host context parses once.
import { bootstrapCommands, changesSettings, commandText } from '../settings/bootstrap-commands.js';
import type { Fact } from './captures.js';
import { define, found, missing } from './definition.js';
import type { HostInput } from '../types.js';

export interface BootstrapEvidence {
  /** `<name>: apiclient set …`, for each command that changes settings at boot. */
  changing: string[];
  /** `<name>: …`, for each command that is not an `apiclient` command. */
  notApiclient: string[];
}

function bootstrapOf(_input: HostInput, host: { writtenSettings: Fact<Record<string, unknown>> }): Fact<BootstrapEvidence> {
  const settings = host.writtenSettings;
  if (settings.state !== 'ok') return settings;
  const evidence: BootstrapEvidence = { changing: [], notApiclient: [] };
  for (const { name, commands } of bootstrapCommands(settings.value)) {
    for (const argv of commands) {
      if (argv[0] !== 'apiclient') evidence.notApiclient.push(commandText(name, argv));
      else if (changesSettings(argv)) evidence.changing.push(commandText(name, argv));
    }
  }
  return { state: 'ok', source: settings.source, value: evidence };
}

export const BOOTSTRAP_COMMANDS = define({
  key: 'required',
  keyDoc: '`changing`, `notApiclient`',
  valueDoc:
    'the bootstrap commands that run at boot (`settings.bootstrap-commands`, mode not `off`): `changing`, each API command that changes settings (`apiclient set`, `apply`, a writing `raw`); `notApiclient`, each command that is not `apiclient`; as `<name>: <command>`',
  captures: [],
  allowEmpty: false,
  parse: () => null,
  fromInput: bootstrapOf,
  select: (value: BootstrapEvidence, key) =>
    key === 'changing' ? found(value.changing) : key === 'notApiclient' ? found(value.notApiclient) : missing,
  describe: (key) => (key === 'notApiclient' ? 'bootstrap commands that are not apiclient' : 'bootstrap commands that change settings'),
});
