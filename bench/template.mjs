// bench/template - issue 19: a 5-step template (no network: RUN, COPY, ENV, WORKDIR, RUN) built
// with the official SDK's Template.build() against boxtopd, first and cached rebuild (target:
// first < 3 s), then Sandbox.create() -> first output of a command, from the template and
// from base, interleaved over N sandboxes each (BENCH_N, default 100: with 30 the p99 is the
// slowest single create, pure noise on a loaded machine): p50/p99 of both and their ratio
// (target: template within 1.2x of base).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, loadSdk, startBoxtopd, summary } from './lib.mjs';

const N = +(process.env.BENCH_N || 100);
const E = await loadSdk();
const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-tpl-'));
fs.mkdirSync(path.join(ctxDir, 'app'));
for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(ctxDir, 'app', `f${i}.txt`), `file ${i}\n`.repeat(100));
const d = await startBoxtopd({ name: 'bench-template', extraArgs: ['--create-rate', '100000'] });
d.applyEnv();
const tpl = () =>
  E.Template({ fileContextPath: ctxDir })
    .fromBaseImage()
    .runCmd('mkdir -p /home/user/work && echo built > /home/user/work/marker')
    .copy('app', '/home/user/work/app')
    .setEnvs({ BENCH: '1' })
    .setWorkdir('/home/user/work')
    .runCmd('ls app | wc -l > count.txt');
const create = { base: [], tpl: [] };
let failures = 0;
let first = NaN;
let cached = NaN;
async function once(which, record) {
  const t0 = performance.now();
  let s;
  try {
    s = await E.Sandbox.create(which === 'base' ? 'base' : 'bench-tpl', { timeoutMs: 60_000 });
    let t1 = 0;
    await s.commands.run('echo ready', { onStdout: () => { if (!t1) t1 = performance.now(); } });
    if (record) create[which].push((t1 || performance.now()) - t0);
  } catch (e) {
    failures++;
    console.error(`# ${which}: ${e.message}`);
  } finally {
    if (s) await s.kill().catch(() => {});
  }
}
try {
  let t0 = performance.now();
  await E.Template.build(tpl(), 'bench-tpl');
  first = performance.now() - t0;
  t0 = performance.now();
  await E.Template.build(tpl(), 'bench-tpl');
  cached = performance.now() - t0;
  await once('base', false);
  await once('tpl', false);
  for (let i = 0; i < N; i++) for (const w of i % 2 ? ['tpl', 'base'] : ['base', 'tpl']) await once(w, true);
} finally {
  const problems = await d.teardown();
  if (problems.length) console.error(`# teardown: ${problems.join('; ')}`);
  fs.rmSync(ctxDir, { recursive: true, force: true });
}
const b = summary(create.base);
const t = summary(create.tpl);
const line = (label, x) => `  ${label.padEnd(26)} p50 ${fmt(x.p50)} ms  p99 ${fmt(x.p99)} ms  (min ${fmt(x.min)}, max ${fmt(x.max)})`;
console.log(`bench/template: 5-step template via Template.build(), then ${N} creates each (${failures} failed)`);
console.log(`  first build ${fmt(first, 0)} ms (target < 3000), cached rebuild ${fmt(cached, 0)} ms (${fmt((100 * cached) / first)} % of the first)`);
console.log(line('create from the template:', t));
console.log(line('create from base:', b));
console.log(`  ratio template/base: p50 ${fmt(t.p50 / b.p50, 2)}x  p99 ${fmt(t.p99 / b.p99, 2)}x  (target <= 1.2)`);
process.exitCode = failures || !t.n || !b.n ? 1 : 0;
