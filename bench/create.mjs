// bench/create - time from Sandbox.create() to the first output of a command in it, through
// boxtopd and the official SDK, over N sandboxes (default 50, BENCH_N), as p50/p99 and as a
// ratio to the baseline measured in the same run: a bare
// `unshare --user --map-root-user --pid --mount --uts --ipc --fork` + exec of the same command.
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
const d = await startBoxtopd({ name: 'bench-create' });
const box = [];
const bare = [];
let failures = 0;
try {
  // Warm-up (page cache, first-time template setup) is not measured.
  const w = await E.Sandbox.create('base', { timeoutMs: 60_000 });
  await w.commands.run(CMD);
  await w.kill();
  await bareOnce();
  for (let i = 0; i < N; i++) {
    // Interleave both kinds so that machine noise hits them alike.
    bare.push(await bareOnce());
    const t0 = performance.now();
    let sbx;
    try {
      sbx = await E.Sandbox.create('base', { timeoutMs: 60_000 });
      let t1 = 0;
      await sbx.commands.run(CMD, { onStdout: () => { if (!t1) t1 = performance.now(); } });
      box.push((t1 || performance.now()) - t0);
    } catch (e) {
      failures++;
      console.error(`# sandbox ${i}: ${e.message}`);
    } finally {
      if (sbx) await sbx.kill().catch(() => {});
    }
  }
} finally {
  const problems = await d.teardown();
  if (problems.length) console.error(`# teardown: ${problems.join('; ')}`);
  fs.rmSync(bareHome, { recursive: true, force: true });
}
const b = summary(box);
const a = summary(bare);
console.log(`bench/create: ${b.n} sandboxes (${failures} failed), create -> first output of "${CMD}" via boxtopd + e2b SDK`);
console.log(`  boxtopd:        p50 ${fmt(b.p50)} ms  p99 ${fmt(b.p99)} ms  (min ${fmt(b.min)}, max ${fmt(b.max)})`);
console.log(`  bare unshare:   p50 ${fmt(a.p50)} ms  p99 ${fmt(a.p99)} ms  (min ${fmt(a.min)}, max ${fmt(a.max)})`);
console.log(`  ratio boxtopd/bare: p50 ${fmt(b.p50 / a.p50, 2)}x  p99 ${fmt(b.p99 / a.p99, 2)}x`);
process.exitCode = failures || !b.n ? 1 : 0;
