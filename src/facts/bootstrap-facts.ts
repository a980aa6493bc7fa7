// Bootstrap commands as evidence: those that change settings at boot (after user data is applied), and those that
// are not API commands. Read from the settings the input has: user data, or the host's `apiclient get`.
import { bootstrapCommands, changesSettings, commandText } from '../settings/bootstrap-commands.js';
import { CAPTURE, type Fact } from './captures.js';
import { define, found, missing } from './definition.js';
import { parseApiclientGet } from './apiclient.js';
import { ParseError } from './parse-error.js';
import type { HostInput } from '../types.js';

export interface BootstrapEvidence {
  /** `<name>: apiclient set …`, for each command that changes settings at boot. */
  changing: string[];
  /** `<name>: …`, for each command that is not an `apiclient` command. */
  notApiclient: string[];
}

const CAPTURES = [CAPTURE.apiclientGet, CAPTURE.apiclientGetSettings];

function settingsOf(input: HostInput): Fact<Record<string, unknown>> {
  if (input.userData) return { state: 'ok', source: input.nodeConfig ? 'node definition' : 'user data', value: input.userData.settings };
  const key = CAPTURES.find((k) => input.snapshot.captures[k] !== undefined);
  const capture = key === undefined ? undefined : input.snapshot.captures[key];
  if (!key || !capture)
    return { state: 'absent', sources: [CAPTURE.apiclientGet], why: 'the settings (`apiclient get`) are not in this input' };
  if (capture.exitCode !== 0) return { state: 'unusable', source: key, problem: `exited ${capture.exitCode}` };
  try {
    const settings = parseApiclientGet(capture.stdout).settings;
    if (!settings) return { state: 'absent', sources: [key], why: 'the capture holds no settings' };
    return { state: 'ok', source: key, value: settings };
  } catch (err) {
    if (err instanceof ParseError) return { state: 'unusable', source: key, problem: err.message };
    throw err;
  }
}

function bootstrapOf(input: HostInput): Fact<BootstrapEvidence> {
  const settings = settingsOf(input);
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
