#!/usr/bin/env node
// Performance harness. Generates a fleet of realistic snapshots (every capture, ~50 KB each: a full
// `sysctl -a` and a Kubernetes node's iptables rules), then measures side by side in one run:
//   1. `brsec scan <dir> --format json > /dev/null` against a plain Node script that reads and JSON.parses
//      the same files (time and peak RSS);
//   2. one snapshot scanned from a cold start against `node -e 0`.
// Usage: node bench/run.mjs [--hosts 10000] [--dir bench/out/fleet] [--runs 3] [--profile all] [--regenerate] [--clean]
//                           [--compare DIR]
// --compare DIR times another build of brsec (a built checkout, e.g. a `git worktree` of the previous commit)
// interleaved with this one, run for run, so a change's cost is measured side by side on the same machine state.
// The fleet is generated once and reused by later runs (a fleet made by an older generator is made anew);
// --regenerate makes it anew, --clean removes it afterwards.
// Build first (npm run build). Figures go to stdout; nothing here is a test assertion.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchOptions } from './options.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const options = benchOptions({
  hosts: { type: 'string', default: '10000' },
  dir: { type: 'string', default: join(root, 'bench', 'out', 'fleet') },
  runs: { type: 'string', default: '3' },
  profile: { type: 'string' },
  regenerate: { type: 'boolean', default: false },
  clean: { type: 'boolean', default: false },
  compare: { type: 'string' },
});
const hosts = Number(options.hosts);
const dir = options.dir;
const runs = Number(options.runs);
// Profiles to scan with (e.g. --profile all); by default each host gets the defaults for its variant.
const profileArgs = options.profile ? ['--profile', options.profile] : [];
const bin = join(root, 'bin', 'brsec.cjs');
const otherBin = options.compare ? join(options.compare, 'bin', 'brsec.cjs') : null;
if (otherBin && !existsSync(join(options.compare, 'dist', 'cli', 'brsec.cjs'))) {
  console.error(`bench: --compare ${options.compare} is not a built brsec checkout (npm run build there)`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'cli', 'brsec.cjs'))) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}

// A deterministic pseudo-random sequence, so every run generates the same fleet.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = (list) => list[Math.floor(random() * list.length)];

const sample = JSON.parse(readFileSync(join(root, 'examples', 'k8s-stock-full.json'), 'utf8'));

function sysctlDump(overrides) {
  const lines = new Map(
    sample.captures['sysctl -a'].stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' = ')),
  );
  const ifaces = ['eth0', 'eth1', 'eth2', 'lo', 'eni0a1b2c3d', 'eni1b2c3d4e', 'eni2c3d4e5f', 'eni3d4e5f6a'];
  const v4 = [
    'accept_local',
    'accept_redirects',
    'accept_source_route',
    'arp_accept',
    'arp_announce',
    'arp_filter',
    'arp_ignore',
    'arp_notify',
    'bootp_relay',
    'disable_policy',
    'disable_xfrm',
    'drop_gratuitous_arp',
    'forwarding',
    'log_martians',
    'mc_forwarding',
    'medium_id',
    'promote_secondaries',
    'proxy_arp',
    'route_localnet',
    'rp_filter',
    'secure_redirects',
    'send_redirects',
    'shared_media',
    'src_valid_mark',
    'tag',
  ];
  const v6 = [
    'accept_dad',
    'accept_ra',
    'accept_ra_defrtr',
    'accept_ra_pinfo',
    'accept_redirects',
    'accept_source_route',
    'autoconf',
    'dad_transmits',
    'disable_ipv6',
    'forwarding',
    'hop_limit',
    'max_addresses',
    'mtu',
    'router_solicitations',
    'use_tempaddr',
  ];
  for (const iface of ifaces) {
    for (const k of v4)
      if (!lines.has(`net.ipv4.conf.${iface}.${k}`)) lines.set(`net.ipv4.conf.${iface}.${k}`, String(Math.floor(random() * 2)));
    for (const k of v6)
      if (!lines.has(`net.ipv6.conf.${iface}.${k}`)) lines.set(`net.ipv6.conf.${iface}.${k}`, String(Math.floor(random() * 3)));
    for (const k of [
      'anycast_delay',
      'app_solicit',
      'base_reachable_time_ms',
      'delay_first_probe_time',
      'gc_stale_time',
      'locktime',
      'mcast_solicit',
      'proxy_delay',
      'proxy_qlen',
      'retrans_time_ms',
      'ucast_solicit',
      'unres_qlen_bytes',
    ]) {
      lines.set(`net.ipv4.neigh.${iface}.${k}`, String(Math.floor(random() * 1000)));
      lines.set(`net.ipv6.neigh.${iface}.${k}`, String(Math.floor(random() * 1000)));
    }
  }
  let n = 0;
  while (lines.size < 1000) lines.set(`vm.synthetic_${n++}`, String(Math.floor(random() * 100000)));
  for (const [k, v] of Object.entries(overrides)) lines.set(k, v);
  // `sysctl -a` prints its keys sorted.
  return (
    [...lines]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n') + '\n'
  );
}

// Packet and byte counters, which differ between nodes (and between runs on one node), as `-v` prints them.
function counters() {
  const scaled = (n) => (n >= 1e6 ? `${Math.floor(n / 1e6)}M` : n >= 1e4 ? `${Math.floor(n / 1e3)}K` : String(n));
  const packets = Math.floor(random() * 2e6);
  return `${scaled(packets).padStart(5)} ${scaled(packets * (40 + Math.floor(random() * 1400))).padStart(5)}`;
}

function kubeIptables(services) {
  const out = [];
  const hdr = ' pkts bytes target     prot opt in     out     source               destination         ';
  out.push('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)', hdr);
  out.push(
    `${counters()} KUBE-PROXY-FIREWALL  all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes load balancer firewall */`,
  );
  out.push(
    `${counters()} KUBE-NODEPORTS  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes health check service ports */`,
  );
  out.push(
    `${counters()} KUBE-EXTERNAL-SERVICES  all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes externally-visible service portals */`,
  );
  out.push(`${counters()} KUBE-FIREWALL  all  --  *      *       0.0.0.0/0            0.0.0.0/0`, '');
  out.push('Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)', hdr);
  out.push(
    '    0     0 KUBE-FORWARD  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes forwarding rules */',
    '',
  );
  out.push('Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)', hdr);
  out.push(
    `${counters()} KUBE-SERVICES  all  --  *      *       0.0.0.0/0            0.0.0.0/0            ctstate NEW /* kubernetes service portals */`,
    '',
  );
  out.push('Chain KUBE-SERVICES (2 references)', hdr);
  for (let i = 0; i < services; i++) {
    const ip = `10.100.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    out.push(
      `    0     0 KUBE-SVC-${String(i).padStart(4, '0')}ABCDEFGHIJKL  tcp  --  *      *       0.0.0.0/0            ${ip.padEnd(20)} /* default/service-${i}:http cluster IP */ tcp dpt:${8000 + i}`,
    );
  }
  out.push('');
  for (let i = 0; i < services; i++) {
    out.push(`Chain KUBE-SVC-${String(i).padStart(4, '0')}ABCDEFGHIJKL (1 references)`, hdr);
    out.push(
      `    0     0 KUBE-MARK-MASQ  tcp  --  *      *      !192.168.0.0/16       10.100.${Math.floor(i / 250)}.${(i % 250) + 1}         /* default/service-${i}:http cluster IP */ tcp dpt:${8000 + i}`,
    );
    out.push(
      `    0     0 KUBE-SEP-${String(i).padStart(4, '0')}MNOPQRSTUV  all  --  *      *       0.0.0.0/0            0.0.0.0/0            /* default/service-${i}:http -> 192.168.${i % 200}.${(i * 7) % 250}:8080 */`,
      '',
    );
  }
  out.push('Chain KUBE-FIREWALL (1 references)', hdr);
  out.push(
    '    0     0 DROP       all  --  *      *      !127.0.0.0/8          127.0.0.0/8          /* block incoming localnet connections */ ! ctstate RELATED,ESTABLISHED,DNAT',
    '',
  );
  return out.join('\n');
}

// Bumped whenever generate() makes different snapshots, so figures are never taken on a stale fleet.
// 2: `sysctl -a` sorted and iptables counters per node, as on real nodes.
const GENERATOR = '2';
const generatorMark = join(dir, '.generator');

function generate() {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < hosts; i++) {
    const id = `i-0a1b2c3d${i.toString(16).padStart(9, '0')}`;
    const snapshot = structuredClone(sample);
    snapshot.host = {
      id,
      name: `ip-10-0-${i >> 8}-${i & 255}.us-west-2.compute.internal`,
      accountId: '123456789012',
      region: 'us-west-2',
      tags: { cluster: pick(['prod', 'staging', 'batch']) },
    };
    const values = {
      'net.ipv4.conf.all.send_redirects': pick(['0', '1']),
      'net.ipv4.conf.all.log_martians': pick(['0', '1']),
      'user.max_user_namespaces': pick(['0', '0', '0', '15000']),
    };
    const lockdown = pick(['integrity', 'integrity', 'none']);
    snapshot.captures['sysctl -a'].stdout = sysctlDump(values);
    snapshot.captures['iptables -L -v -n'].stdout = kubeIptables(8 + Math.floor(random() * 7));
    snapshot.captures['cat /sys/kernel/security/lockdown'].stdout =
      lockdown === 'none' ? '[none] integrity confidentiality\n' : 'none [integrity] confidentiality\n';
    // The bloodhound report agrees with this host's own state and carries its own time, as a real one would.
    const report = JSON.parse(sample.captures['apiclient report cis -f json -l 2'].stdout);
    const set = (name, fail, error) =>
      Object.assign(report.results[name], fail ? { status: 'FAIL', error } : { status: 'PASS', error: '' });
    set('br01040400', values['user.max_user_namespaces'] !== '0', 'user namespaces are not disabled');
    set('br01050200', lockdown === 'none', 'lockdown integrity mode is not enabled');
    set('br03020400', true, 'martian packet logging not enabled');
    report.timestamp = new Date(Date.UTC(2026, 10, 20, 6, 0, 0) + i * 1013).toISOString().replace('Z', '123456Z');
    const statuses = Object.values(report.results).map((r) => r.status);
    Object.assign(report, { passed: statuses.filter((s) => s === 'PASS').length, failed: statuses.filter((s) => s === 'FAIL').length });
    snapshot.captures['apiclient report cis -f json -l 2'].stdout = JSON.stringify(report);
    // What differs between real nodes of one cluster: their identity in settings and in the kubelet config,
    // and the time of their Kubernetes report.
    const nodeIp = `10.0.${i >> 8}.${i & 255}`;
    const get = JSON.parse(sample.captures['apiclient get'].stdout);
    Object.assign(get.settings.kubernetes, {
      'provider-id': `aws:///us-west-2b/${id}`,
      'node-ip': nodeIp,
      'hostname-override': snapshot.host.name,
      'max-pods': pick([29, 58, 110]),
    });
    get.settings.network = { ...get.settings.network, hostname: snapshot.host.name };
    snapshot.captures['apiclient get'].stdout = JSON.stringify(get, null, 2);
    snapshot.captures['cat /etc/kubernetes/kubelet/config'].stdout = sample.captures['cat /etc/kubernetes/kubelet/config'].stdout
      .replace(/providerID: .*/, `providerID: aws:///us-west-2b/${id}`)
      .replace(/maxPods: \d+/, `maxPods: ${get.settings.kubernetes['max-pods']}`);
    const k8sReport = JSON.parse(sample.captures['apiclient report cis-k8s -f json -l 2'].stdout);
    k8sReport.timestamp = report.timestamp;
    snapshot.captures['apiclient report cis-k8s -f json -l 2'].stdout = JSON.stringify(k8sReport);
    const text = JSON.stringify(snapshot);
    bytes += text.length;
    writeFileSync(join(dir, `${id}.json`), text);
  }
  writeFileSync(generatorMark, `${GENERATOR}\n`);
  return { seconds: (performance.now() - started) / 1000, bytes };
}

const baselineScript = `
const fs = require('fs'), path = require('path');
const dir = process.argv[1];
let n = 0;
for (const name of fs.readdirSync(dir).sort()) { if (name.startsWith('.')) continue; JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')); n++; }
if (n === 0) process.exit(1);
`;

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS in MB. */
function timed(cmd, cmdArgs) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...cmdArgs], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  const rssKb = Number(result.stderr.trim().split('\n').at(-1));
  return { seconds, rssMb: rssKb / 1024, status: result.status };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function scanWith(brsecBin) {
  const s = timed(process.execPath, [brsecBin, 'scan', dir, '--format', 'json', '--output', '/dev/null', ...profileArgs]);
  if (s.status !== 0 && s.status !== 1) throw new Error(`brsec scan (${brsecBin}) exited with ${s.status}`);
  return s;
}

function fleetComparison() {
  const base = [];
  const scan = [];
  const other = [];
  for (let r = 0; r < runs; r++) {
    base.push(timed(process.execPath, ['-e', baselineScript, dir]));
    // Which build goes first alternates, so neither always runs on a warmer page cache.
    if (otherBin && r % 2 === 1) other.push(scanWith(otherBin));
    scan.push(scanWith(bin));
    if (otherBin && r % 2 === 0) other.push(scanWith(otherBin));
  }
  return { base, scan, other };
}

function coldStart() {
  const one = join(dir, snapshotsIn(dir).sort()[0]);
  const node0 = [];
  const brsec = [];
  const other = [];
  for (let r = 0; r < 21; r++) {
    let t = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    node0.push(performance.now() - t);
    t = performance.now();
    spawnSync(process.execPath, [bin, 'scan', one, '--format', 'json', ...profileArgs], { stdio: 'ignore' });
    brsec.push(performance.now() - t);
    if (otherBin) {
      t = performance.now();
      spawnSync(process.execPath, [otherBin, 'scan', one, '--format', 'json', ...profileArgs], { stdio: 'ignore' });
      other.push(performance.now() - t);
    }
  }
  return { node0: median(node0), brsec: median(brsec), other: otherBin ? median(other) : null };
}

function snapshotsIn(folder) {
  return readdirSync(folder).filter((name) => !name.startsWith('.'));
}

const existing = existsSync(dir) ? snapshotsIn(dir).length : 0;
const current = existsSync(generatorMark) && readFileSync(generatorMark, 'utf8').trim() === GENERATOR;
let generated = null;
if (existing !== hosts || !current || options.regenerate) generated = generate();
const files = snapshotsIn(dir);
const totalBytes = files.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
console.log(
  `fleet: ${files.length} snapshots, ${(totalBytes / 1e6).toFixed(0)} MB, ${(totalBytes / files.length / 1024).toFixed(1)} KB each${generated ? ` (generated in ${generated.seconds.toFixed(1)} s)` : ' (reused)'}`,
);
console.log(
  `machine: ${process.version}, ${(await import('node:os')).cpus().length} cores; profiles: ${profileArgs[1] ?? 'default by variant'}`,
);

const { base, scan, other } = fleetComparison();
const baseS = median(base.map((b) => b.seconds));
const scanS = median(scan.map((s) => s.seconds));
console.log('\nfleet scan (median of %d runs, interleaved):', runs);
console.log(`  read + JSON.parse only : ${baseS.toFixed(2)} s, peak RSS ${median(base.map((b) => b.rssMb)).toFixed(0)} MB`);
console.log(`  brsec scan --format json: ${scanS.toFixed(2)} s, peak RSS ${median(scan.map((s) => s.rssMb)).toFixed(0)} MB`);
console.log(`  ratio                  : ${(scanS / baseS).toFixed(2)}x (budget 2x), ${(files.length / scanS).toFixed(0)} hosts/s`);
if (otherBin) {
  const otherS = median(other.map((s) => s.seconds));
  console.log(
    `  --compare build        : ${otherS.toFixed(2)} s, peak RSS ${median(other.map((s) => s.rssMb)).toFixed(0)} MB, ${(otherS / baseS).toFixed(2)}x`,
  );
  console.log(`  this build / compared  : ${((scanS / otherS - 1) * 100).toFixed(1)}%`);
}

const cold = coldStart();
console.log('\ncold start, one snapshot (median of 21 runs, interleaved):');
console.log(`  node -e 0              : ${cold.node0.toFixed(1)} ms`);
console.log(`  brsec scan one.json    : ${cold.brsec.toFixed(1)} ms`);
console.log(`  ratio                  : ${(cold.brsec / cold.node0).toFixed(2)}x (budget 2x)`);
if (cold.other !== null) {
  console.log(`  --compare build        : ${cold.other.toFixed(1)} ms`);
  console.log(`  this build / compared  : ${((cold.brsec / cold.other - 1) * 100).toFixed(1)}%`);
}
if (options.clean) rmSync(dir, { recursive: true, force: true });
