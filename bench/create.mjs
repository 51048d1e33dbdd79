// bench/create - time from Sandbox.create() to the first output of a command in it, through
// boxtopd and the official SDK, over N sandboxes (default 50, BENCH_N), as p50/p99, on the
// Debian base image (the default) and on the host's root (`boxtopd --base host`, the old
// mode), and as ratios to the baseline measured in the same run: a bare
// `unshare --user --map-root-user --pid --mount --uts --ipc --fork` + exec of the same command.
// Targets: the image no slower than the host root (issue 14), p50 at most 2x the bare unshare
// (issue 22). The load average is printed with the numbers: on a loaded machine both shift.
// BENCH_CREATE_VS=/path/to/another/boxtopd (with its boxtopd-init next to it) measures that
// build too, interleaved with this one, and prints the ratio of the two: a change measured
// against the binary before it in the same run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, loadSdk, startBoxtopd, summary } from './lib.mjs';

const N = +(process.env.BENCH_N || 50);
const CMD = 'echo ready';

// The same login shell the SDK asks for (`/bin/bash -l -c CMD`), in a clean environment with an
// empty home like a fresh sandbox's: the caller's own profile (here root's pyenv setup, ~120 ms)
// would otherwise dominate the baseline.
const bareHome = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-home-'));
const bareEnv = { HOME: bareHome, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', TERM: 'xterm-256color' };

function bareOnce() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('unshare', ['--user', '--map-root-user', '--pid', '--mount', '--uts', '--ipc', '--fork', '/bin/bash', '-l', '-c', CMD], { stdio: ['ignore', 'pipe', 'ignore'], env: bareEnv });
    let t1 = 0;
    p.stdout.once('data', () => (t1 = performance.now()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 && t1 ? resolve(t1 - t0) : reject(new Error(`unshare exited ${code}`))));
  });
}

const E = await loadSdk();
// No creation rate limit: past 120 a minute the limiter's Retry-After (1 s) would be measured.
const unlimited = ['--create-rate', '100000'];
const image = await startBoxtopd({ name: 'bench-create-image', extraArgs: unlimited });
let host;
try {
  host = await startBoxtopd({ name: 'bench-create-host', extraArgs: [...unlimited, '--base', 'host'] });
} catch (e) {
  await image.teardown();
  throw e;
}
const kinds = [
  { name: 'image', d: image, ms: [], failures: 0 },
  { name: 'host', d: host, ms: [], failures: 0 },
];
const vsBin = process.env.BENCH_CREATE_VS;
if (vsBin) {
  for (const [name, extra] of [['image (vs)', []], ['host (vs)', ['--base', 'host']]]) {
    try {
      const d = await startBoxtopd({ name: `bench-create-vs-${extra.length ? 'host' : 'image'}`, extraArgs: [...unlimited, ...extra], bin: vsBin });
      kinds.push({ name, d, ms: [], failures: 0 });
    } catch (e) {
      for (const k of kinds) await k.d.teardown();
      throw e;
    }
  }
}
const bare = [];

async function boxOnce(k, record) {
  k.d.applyEnv(); // the SDK reads its URLs and key when a sandbox is created
  const t0 = performance.now();
  let sbx;
  try {
    sbx = await E.Sandbox.create('base', { timeoutMs: 60_000 });
    let t1 = 0;
    await sbx.commands.run(CMD, { onStdout: () => { if (!t1) t1 = performance.now(); } });
    if (record) k.ms.push((t1 || performance.now()) - t0);
  } catch (e) {
    if (record) k.failures++;
    console.error(`# ${k.name}: ${e.message}`);
  } finally {
    if (sbx) await sbx.kill().catch(() => {});
  }
}

try {
  // Warm-up (page cache, first-time setup) is not measured.
  for (const k of kinds) await boxOnce(k, false);
  await bareOnce();
  for (let i = 0; i < N; i++) {
    // Interleave all kinds so that machine noise hits them alike.
    bare.push(await bareOnce());
    for (const k of i % 2 ? [...kinds].reverse() : kinds) await boxOnce(k, true);
  }
} finally {
  for (const k of kinds) {
    const problems = await k.d.teardown();
    if (problems.length) console.error(`# teardown ${k.name}: ${problems.join('; ')}`);
  }
  fs.rmSync(bareHome, { recursive: true, force: true });
}
const a = summary(bare);
const [im, ho, imVs, hoVs] = kinds.map((k) => summary(k.ms));
const line = (label, x) => `  ${label.padEnd(22)} p50 ${fmt(x.p50)} ms  p99 ${fmt(x.p99)} ms  (min ${fmt(x.min)}, max ${fmt(x.max)})`;
const failed = kinds.reduce((n, k) => n + k.failures, 0);
console.log(`bench/create: ${N} sandboxes per base (${failed} failed), create -> first output of "${CMD}" via boxtopd + e2b SDK; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(line('boxtopd, Debian image:', im));
console.log(line('boxtopd, --base host:', ho));
console.log(line('bare unshare:', a));
console.log(`  ratio image/host: p50 ${fmt(im.p50 / ho.p50, 2)}x  p99 ${fmt(im.p99 / ho.p99, 2)}x  (target <= 1: no slower than the host root)`);
console.log(`  ratio image/bare: p50 ${fmt(im.p50 / a.p50, 2)}x  p99 ${fmt(im.p99 / a.p99, 2)}x  (target p50 <= 2: issue 22)`);
console.log(`  ratio host/bare:  p50 ${fmt(ho.p50 / a.p50, 2)}x  p99 ${fmt(ho.p99 / a.p99, 2)}x`);
if (vsBin) {
  console.log(`  vs ${vsBin}:`);
  console.log(line('  its Debian image:', imVs));
  console.log(line('  its --base host:', hoVs));
  console.log(`  ratio image/its image: p50 ${fmt(im.p50 / imVs.p50, 2)}x  host/its host: p50 ${fmt(ho.p50 / hoVs.p50, 2)}x  its image/bare: p50 ${fmt(imVs.p50 / a.p50, 2)}x`);
}
process.exitCode = failed || kinds.some((k) => !k.ms.length) ? 1 : 0;
