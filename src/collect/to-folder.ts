// `brsec collect --ssm --out DIR`: snapshots collected over SSM, with Inspector evidence if asked, written one file
// per host as they arrive, and a record of every targeted host's outcome beside them.
import { mkdir } from 'node:fs/promises';
import { writeFileAtomically } from '../files.js';
import { join } from 'node:path';
import type { InspectorOptions, InspectorReader } from '../aws/inspector.js';
import type { LaunchTemplateOptions } from '../aws/launch-templates.js';
import type { HostOutcome, SsmOptions } from './ssm.js';

export interface CollectToFolderOptions {
  ssm: SsmOptions;
  /** Where snapshots go, `<instance id>.json` each; made if missing. */
  folder: string;
  /** Add Amazon Inspector's coverage and findings to each snapshot (aws.inspector2). */
  inspector?: InspectorOptions;
  /** Called for each host without a snapshot, as it is known. */
  onFailure?: (outcome: Extract<HostOutcome, { state: 'failed' }>) => void;
}

export interface CollectSummary {
  snapshots: number;
  failed: number;
}

/** The name of the record of outcomes in the folder: hidden, so `brsec scan DIR` reads only snapshots. */
export const OUTCOMES_FILE = '.brsec-outcomes.json';

/** How many snapshots wait for one Inspector question: one ListCoverage and one ListFindings filter hold 10 instances. */
const INSPECTOR_BATCH = 10;

export async function collectToFolder(options: CollectToFolderOptions): Promise<CollectSummary> {
  const { folder } = options;
  await mkdir(folder, { recursive: true });
  const { collectOverSsm } = await import('./ssm.js');
  const outcomes: { id: string; name?: string; outcome: string; detail?: string; file?: string }[] = [];
  let reader: InspectorReader | null = null;
  if (options.inspector) {
    const { InspectorReader } = await import('../aws/inspector.js');
    reader = await InspectorReader.open(options.inspector);
  }
  let waiting: Extract<HostOutcome, { state: 'snapshot' }>[] = [];
  const write = async () => {
    if (reader && waiting.length > 0) {
      const evidence = await reader.read(waiting.map((o) => o.id));
      for (const o of waiting) {
        const found = evidence.get(o.id);
        if (found) o.snapshot.aws = { ...(o.snapshot.aws ?? {}), inspector2: found };
      }
    }
    for (const o of waiting) {
      const file = join(folder, `${o.id}.json`);
      await writeFileAtomically(file, `${JSON.stringify(o.snapshot)}\n`);
      outcomes.push({ id: o.id, ...(o.name ? { name: o.name } : {}), outcome: 'snapshot', file });
    }
    waiting = [];
  };
  try {
    for await (const outcome of collectOverSsm(options.ssm)) {
      if (outcome.state === 'snapshot') {
        waiting.push(outcome);
        if (!reader || waiting.length >= INSPECTOR_BATCH) await write();
      } else {
        options.onFailure?.(outcome);
        outcomes.push({ id: outcome.id, ...(outcome.name ? { name: outcome.name } : {}), outcome: outcome.reason, detail: outcome.detail });
      }
    }
    await write();
  } finally {
    reader?.close();
  }
  // Every targeted host, with its snapshot or why there is none.
  await writeFileAtomically(
    join(folder, OUTCOMES_FILE),
    `${JSON.stringify({ collectedAt: new Date().toISOString(), hosts: outcomes }, null, 2)}\n`,
  );
  const failed = outcomes.filter((o) => o.outcome !== 'snapshot').length;
  return { snapshots: outcomes.length - failed, failed };
}

export interface LaunchTemplatesToFolderOptions {
  launchTemplates: LaunchTemplateOptions;
  /** Where launch template versions go, `<template id>-v<version>.json` each; made if missing. */
  folder: string;
}

/**
 * `brsec collect --launch-templates --out DIR`: each launch template version in use that runs Bottlerocket, written as
 * `aws ec2 describe-launch-template-versions` prints it (with its image's name), readable only by its owner: user
 * data can hold secrets.
 */
export async function launchTemplatesToFolder(options: LaunchTemplatesToFolderOptions): Promise<{ versions: number }> {
  await mkdir(options.folder, { recursive: true });
  const { readLaunchTemplates } = await import('../aws/launch-templates.js');
  let versions = 0;
  for await (const record of readLaunchTemplates(options.launchTemplates)) {
    const version = record.LaunchTemplateVersions[0] ?? {};
    const name = `${String(version.LaunchTemplateId).replace(/[^\w.-]/g, '_')}-v${String(version.VersionNumber)}.json`;
    await writeFileAtomically(join(options.folder, name), `${JSON.stringify(record, null, 2)}\n`);
    versions++;
  }
  return { versions };
}
