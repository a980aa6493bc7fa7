#!/usr/bin/env node
// Renders a Bottlerocket kubelet-config template (packages/kubernetes-1.NN/kubelet-config of
// bottlerocket-os/bottlerocket-core-kit) with the given settings, as Bottlerocket's schnauzer would, for the stock
// kubelet config fixtures in test/fixtures/real-world/. The template is read from a checkout of core-kit; brsec keeps
// only what it renders to.
//
//   node scripts/render-kubelet-config.mjs --template <core-kit>/packages/kubernetes-1.30/kubelet-config \
//     --settings '{"kubernetes": {...}}' --cores 2
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Handlebars from 'handlebars';

const { values } = parseArgs({
  options: { template: { type: 'string' }, settings: { type: 'string' }, cores: { type: 'string', default: '2' } },
});
if (!values.template || !values.settings) {
  console.error('usage: render-kubelet-config.mjs --template <kubelet-config> --settings <json> [--cores N]');
  process.exit(2);
}

/** schnauzer's kube_cpu_helper: 6% of the first core, 1% of the second, 0.5% of the next two, 0.25% of the rest. */
function reservedCpu(cores) {
  let millicores = 0;
  for (let core = 1; core <= cores; core++) millicores += core === 1 ? 60 : core === 2 ? 10 : core <= 4 ? 5 : 2.5;
  return `${Math.floor(millicores)}m`;
}

const cores = Number(values.cores);
const engine = Handlebars.create();
// The helpers the templates declare under [required-extensions], as schnauzer defines them.
engine.registerHelper('default', (fallback, value) => (value === undefined || value === null ? fallback : value));
engine.registerHelper('kube_reserve_cpu', (value) => (value === undefined || value === null ? reservedCpu(cores) : String(value)));
engine.registerHelper('kube_reserve_memory', (maxPods, value) =>
  value === undefined || value === null ? `${maxPods * 11 + 255}Mi` : String(value),
);
engine.registerHelper('and', (...args) => args.slice(0, -1).every(Boolean));
engine.registerHelper('any_enabled', (list) => Object.values(list ?? {}).some((v) => v?.enabled === true));

const text = readFileSync(values.template, 'utf8');
// The TOML front matter (`[required-extensions]`) ends at the `+++` line.
const body = text.includes('\n+++\n') ? text.slice(text.indexOf('\n+++\n') + 5) : text;
const template = engine.compile(body, { noEscape: true, strict: false });
process.stdout.write(template({ settings: JSON.parse(values.settings) }));
