// bench/snapshot - what a snapshot and a fork cost, through boxtopd and the official SDK, for a
// sandbox whose writable layer holds SIZE MiB (BENCH_SNAP_MB, default 256) in 64 files, next to
// the baseline measured in the same run: `cp -a` of that writable layer (the same bytes, the
// same disk). Also: how long boxtopd's loop is held (a /health probe sent during the snapshot),
// since the copy runs in boxtopd's loop, and the disk the snapshot takes.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, http, loadSdk, startBoxtopd, summary } from './lib.mjs';

const MB = +(process.env.BENCH_SNAP_MB || 256);
const ROUNDS = +(process.env.BENCH_ROUNDS || 5);

const E = await loadSdk();
const d = await startBoxtopd({ name: 'bench-snapshot' });
const snap = [];
const fork = [];
const create = [];
const cp = [];
const held = [];
let bytes = 0;
let failures = 0;
try {
  const s = await E.Sandbox.create('base', { timeoutMs: 600_000 });
  d.track(s);
  await s.commands.run(`mkdir -p /home/user/data && for i in $(seq 1 64); do head -c ${Math.ceil((MB << 20) / 64)} /dev/urandom > /home/user/data/f$i; done`, { timeoutMs: 300_000 });
  const upper = path.join(d.stateDir, 'runtime', s.sandboxId, fs.existsSync(path.join(d.stateDir, 'runtime', s.sandboxId, 'upper')) ? 'upper' : 'home');
  for (let r = 0; r < ROUNDS; r++) {
    // baseline: cp -a of the same layer
    const dst = path.join(d.stateDir, `bench-cp-${r}`);
    execFileSync('sync');
    let t0 = performance.now();
    spawnSync('cp', ['-a', upper, dst]);
    cp.push(performance.now() - t0);
    fs.rmSync(dst, { recursive: true, force: true });

    // snapshot, with a /health probe in flight: its latency is how long the loop was held
    execFileSync('sync');
    t0 = performance.now();
    const probe = (async () => {
      await new Promise((res) => setTimeout(res, 5));
      const p0 = performance.now();
      await http(d.apiUrl + '/health', { timeoutMs: 120_000 });
      return performance.now() - p0;
    })();
    let info;
    try {
      info = await s.createSnapshot();
      snap.push(performance.now() - t0);
      held.push(await probe);
    } catch (e) {
      failures++;
      console.error(`# snapshot ${r}: ${e.message}`);
      continue;
    }
    const h = (await d.api('GET', '/health', { headers: { Accept: 'application/json' } })).json;
    bytes = h.snapshots.bytes;

    t0 = performance.now();
    const c = await E.Sandbox.create(info.snapshotId, { timeoutMs: 60_000 });
    create.push(performance.now() - t0);
    d.track(c);
    await c.kill();
    await E.Sandbox.deleteSnapshot(info.snapshotId);

    t0 = performance.now();
    const forks = await s.fork({ count: 1 });
    fork.push(performance.now() - t0);
    for (const f of forks) {
      if (f instanceof Error) {
        failures++;
        continue;
      }
      d.track(f);
      await f.kill();
    }
  }
} finally {
  const problems = await d.teardown();
  if (problems.length) console.error(`# teardown: ${problems.join('; ')}`);
}
const a = summary(cp);
const row = (name, x) => {
  const b = summary(x);
  console.log(`  ${name.padEnd(24)} p50 ${fmt(b.p50)} ms  max ${fmt(b.max)} ms  ratio to cp -a: ${fmt(b.p50 / a.p50, 2)}x`);
};
console.log(`bench/snapshot: a ${MB} MiB writable layer (64 files), ${ROUNDS} rounds (${failures} failed)`);
console.log(`  cp -a of the layer       p50 ${fmt(a.p50)} ms  max ${fmt(a.max)} ms  (baseline)`);
row('createSnapshot()', snap);
row('create(snapshotId)', create);
row('fork() (count 1)', fork);
row('/health during snapshot', held);
console.log(`  snapshot on disk: ${fmt(bytes / 1048576)} MiB (GET /health snapshots.bytes)`);
process.exitCode = failures ? 1 : 0;
