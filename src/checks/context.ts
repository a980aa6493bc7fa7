// What the engine knows about one host: its facts (parsed on first use), effective settings, variant and
// bloodhound reports. Built from a HostInput; no I/O.
import { withBootstrapSets } from '../settings/bootstrap-commands.js';
import { API_FACTS, FACTS } from '../facts/registry.js';
import { readFact, type Fact } from '../facts/captures.js';
import type { FactDefinition } from '../facts/definition.js';
import type { KernelCmdline } from '../facts/kernel.js';
import type { ApiclientGet, BloodhoundReport } from '../facts/apiclient.js';
import { EffectiveSettings, type SettingsSource } from '../settings/effective.js';
import { familyOf, inferVariant, kindOf, variantFromFlag, type FamilyDefinition } from '../settings/variants.js';
import type { Capture, HostInput, NodeConfig, VariantInfo } from '../types.js';
import type { BloodhoundReportName, Catalog } from './loader.js';
import { memoSlot, type ScanMemo } from '../memo.js';

export type SettingsEvidence =
  | { state: 'absent' }
  | { state: 'unusable'; source: string; problem: string }
  | { state: 'ok'; source: string; settings: EffectiveSettings };

/**
 * Recently parsed facts per memo key, with the capture each came from. Hosts of one fleet print the same text for
 * most captures (the kernel command line of an OS version, its modules, chrony's configuration), though a fleet
 * may interleave a few node groups that differ; a parsed fact is never changed, so a capture equal to one of the
 * last few hosts' reuses its fact.
 */
const RECENT_FACTS = memoSlot(
  'parsed facts of recent hosts, by fact and capture key, with the capture each was read from',
  () => new Map<string, { key: string; capture: Capture; fact: Fact<unknown> }[]>(),
);
const KEPT_FACTS = 4;
/** Larger captures are far beyond any real one and are not kept, so a few odd inputs cannot hold much memory. */
const MAX_KEPT_CAPTURE = 1 << 20;

/** The variant a node definition names, saying where; --variant only where the file names no more than a family. */
function declaredVariant(declared: NonNullable<NodeConfig['variant']>, override: string | undefined): VariantInfo {
  const named = declared.id ?? declared.family ?? '';
  const family = familyOf(named);
  if (!family) return { id: null, family: null, source: 'unknown', note: `${declared.why}, a variant brsec knows no defaults for` };
  if (!declared.id && override && familyOf(override)?.name === family.name && override !== family.name) {
    return { id: override, family: family.name, source: 'flag', note: `${declared.why}; --variant ${override} names which` };
  }
  const info: VariantInfo = {
    id: declared.id && declared.id !== family.name ? declared.id : null,
    family: family.name,
    source: 'inferred',
  };
  info.note = override && override !== named ? `${declared.why}, which decides over --variant ${override}` : declared.why;
  return info;
}

export class HostContext {
  readonly variant: VariantInfo;
  /** Kubernetes, ECS or dev, from the variant's family; null when the family is not known. */
  readonly kind: FamilyDefinition['kind'] | null;
  readonly osVersion: string | null;
  readonly settings: SettingsEvidence;
  /**
   * The settings as written, before defaults or bootstrap commands: the user data's, or those `apiclient get` printed
   * (parsed once, here); facts that read settings (bootstrap commands) take them from here.
   */
  readonly writtenSettings: Fact<Record<string, unknown>>;
  /** Facts this host has read, by fact key: several checks read the same one. */
  private readonly facts = new Map<string, Fact<unknown>>();
  private readonly reports = new Map<string, Fact<BloodhoundReport>>();

  constructor(
    readonly input: HostInput,
    /** What the scan shares between hosts. */
    readonly memo: ScanMemo,
    /** The catalogue being scanned: its benchmarks name the versions checks belong to. */
    readonly catalog: Catalog,
  ) {
    const captures = input.snapshot.captures;
    const apiFact = (keys: readonly string[]): Fact<ApiclientGet> => readFact({ captures, keys, parse: API_FACTS.apiclient.parse, memo });
    let api: Fact<ApiclientGet> = this.lost(apiFact(API_FACTS.apiclient.captures));
    // `apiclient get os` alone carries no settings, so look for settings in the other captures too.
    let os = api.state === 'ok' ? api.value.os : null;
    if (api.state === 'ok' && api.value.settings === null) {
      const settingsOnly = apiFact([API_FACTS.apiclient.captures[1]]);
      if (settingsOnly.state !== 'absent') api = settingsOnly;
    }
    if (os === null && api.state === 'ok') {
      const osOnly = apiFact([API_FACTS.apiclient.captures[2]]);
      if (osOnly.state === 'ok') os = osOnly.value.os;
    }
    const setValues = input.userData?.settings ?? (api.state === 'ok' ? api.value.settings : null);
    this.writtenSettings = input.userData
      ? { state: 'ok', source: input.nodeConfig ? 'node definition' : 'user data', value: input.userData.settings }
      : api.state === 'ok'
        ? api.value.settings
          ? { state: 'ok', source: api.source, value: api.value.settings }
          : { state: 'absent', sources: [api.source], why: 'the capture holds no settings' }
        : api;
    this.osVersion = os?.versionId ?? null;
    this.variant = this.resolveVariant(os?.variantId ?? null, setValues);
    this.kind = kindOf(this.variant.family);

    if (input.userData) {
      const { written, unknown } = input.userData;
      // Bootstrap commands that run `apiclient set` at boot change settings after user data is applied.
      const { settings, set: changedAtBoot } = withBootstrapSets(input.userData.settings);
      const source: SettingsSource = { set: settings, family: this.variant.family, fips: this.isFips(), variantId: this.variant.id, memo };
      if (input.userData.holdsUnknown) {
        source.holdsUnknown = true;
        if (written) source.written = written;
        if (unknown !== undefined) source.unknown = unknown;
      }
      this.settings = {
        state: 'ok',
        source: changedAtBoot.length > 0 ? 'user data and its bootstrap commands' : 'user data',
        settings: new EffectiveSettings(source),
      };
    } else if (api.state === 'ok' && api.value.settings) {
      this.settings = {
        state: 'ok',
        source: api.source,
        settings: new EffectiveSettings({
          set: api.value.settings,
          family: this.variant.family,
          fips: this.isFips(),
          variantId: this.variant.id,
          memo,
        }),
      };
    } else if (api.state === 'unusable') {
      this.settings = { state: 'unusable', source: api.source, problem: api.problem };
    } else {
      this.settings = { state: 'absent' };
    }
  }

  /** A FIPS variant (`aws-k8s-1.31-fips`), whose own images come from FIPS endpoints where the region has them. */
  isFips(): boolean {
    return (this.variant.id?.endsWith('-fips') ?? false) || this.input.nodeConfig?.variant?.fips === true;
  }

  private fipsMemo: string | null | undefined;
  /**
   * Why the host should run in FIPS mode: a FIPS variant, or fips=1 on its kernel command line or in its boot
   * settings; null when nothing says it should.
   */
  get fips(): string | null {
    if (this.fipsMemo === undefined) this.fipsMemo = this.findFips();
    return this.fipsMemo;
  }

  private findFips(): string | null {
    if (this.isFips()) return `${this.variant.id} is a FIPS variant`;
    const cmdline = this.fact('cmdline', FACTS.cmdline!.captures, FACTS.cmdline!);
    if (cmdline.state === 'ok' && (cmdline.value as KernelCmdline).params.get('fips')?.includes('1'))
      return 'the kernel was booted with fips=1';
    if (this.settings.state === 'ok') {
      // User data names the table kernel-parameters; the API prints it as kernel.
      for (const path of [
        ['boot', 'kernel-parameters', 'fips'],
        ['boot', 'kernel', 'fips'],
      ]) {
        const found = this.settings.settings.lookup(path);
        if (found.state === 'set' && Array.isArray(found.value) && found.value.includes('1'))
          return 'settings.boot.kernel-parameters has fips=1';
      }
    }
    return null;
  }

  private resolveVariant(osVariant: string | null, settings: Record<string, unknown> | null): VariantInfo {
    const override = this.input.variantOverride;
    // A node definition names its image (an AMI alias, an AMI type); that decides before --variant does.
    const declared = this.input.nodeConfig?.variant;
    if (declared && (declared.id || declared.family)) return declaredVariant(declared, override);
    if (override) {
      const info = variantFromFlag(override);
      if (osVariant && osVariant !== override) info.note = `--variant ${override} overrides the host's own ${osVariant}`;
      return info;
    }
    if (osVariant) {
      const family = familyOf(osVariant);
      const info: VariantInfo = { id: osVariant, family: family?.name ?? null, source: 'os' };
      if (!family) info.note = `variant ${osVariant} is not one brsec knows defaults for`;
      return info;
    }
    return inferVariant(settings);
  }

  /**
   * An absent fact whose capture the snapshot's collector always takes is unusable instead: the capture was lost
   * (a snapshot cut or edited), so the snapshot is incomplete, never clean.
   */
  private lost<T>(fact: Fact<T>): Fact<T> {
    const always = this.input.alwaysCaptured;
    if (fact.state !== 'absent' || !always) return fact;
    const key = fact.sources.find((k) => always.keys.includes(k));
    return key === undefined
      ? fact
      : { state: 'unusable', source: key, problem: `missing from the snapshot, though ${always.by} always takes it` };
  }

  /** A fact for a check leaf, parsed once per host and capture (memoKey names fact and capture). */
  fact(memoKey: string, captureKeys: readonly string[], definition: FactDefinition): Fact<unknown> {
    let fact = this.facts.get(memoKey);
    if (!fact) {
      fact = definition.fromInput ? definition.fromInput(this.input, this) : this.lost(this.sharedFact(memoKey, captureKeys, definition));
      this.facts.set(memoKey, fact);
    }
    return fact;
  }

  /** A fact parsed for this host, or the same fact of a recent host whose capture was the same text. */
  private sharedFact(memoKey: string, captureKeys: readonly string[], definition: FactDefinition): Fact<unknown> {
    const { memo } = this;
    const captures = this.input.snapshot.captures;
    const key = captureKeys.find((k) => captures[k] !== undefined);
    const capture = key === undefined ? undefined : captures[key];
    const recentFacts = memo.get(RECENT_FACTS);
    let recent = recentFacts.get(memoKey);
    if (capture && recent) {
      for (let i = recent.length - 1; i >= 0; i--) {
        const known = recent[i] as (typeof recent)[number];
        if (
          known.key === key &&
          known.capture.exitCode === capture.exitCode &&
          known.capture.stdout === capture.stdout &&
          known.capture.stderr === capture.stderr
        ) {
          return known.fact;
        }
      }
    }
    const fact = Object.freeze(
      readFact({
        captures,
        keys: captureKeys,
        allowEmpty: definition.allowEmpty,
        parse: definition.parse,
        emptyProblem: definition.emptyProblem,
        fileMayBeAbsent: definition.fileMayBeAbsent,
        memo,
      }),
    );
    if (capture && key !== undefined && capture.stdout.length <= MAX_KEPT_CAPTURE) {
      if (!recent) recentFacts.set(memoKey, (recent = []));
      if (recent.length >= KEPT_FACTS) recent.shift();
      recent.push({ key, capture, fact });
    }
    return fact;
  }

  bloodhound(report: BloodhoundReportName): Fact<BloodhoundReport> {
    let fact = this.reports.get(report);
    if (!fact) {
      const def = report === 'cis' ? API_FACTS.bloodhoundCis : report === 'cis-k8s' ? API_FACTS.bloodhoundK8s : API_FACTS.bloodhoundFips;
      fact = this.lost(readFact({ captures: this.input.snapshot.captures, keys: def.captures, parse: def.parse, memo: this.memo }));
      this.reports.set(report, fact);
    }
    return fact;
  }
}
