// bench/fleet - issue 18: `:exec 'echo hi'` over BENCH_FLEET_N (200) sandboxes on boxtopd,
// next to a shell loop of the official CLI's `e2b sandbox exec` over the same sandboxes.
//   boxtop TUI: all rows marked (a), `:exec echo hi` typed, Enter → "N done" on screen (tmux
//               polled every 5 ms); median of BENCH_ROUNDS runs. 8 at a time (the default).
//   boxtop CLI: `boxtop exec --all --meta bench=fleet -- echo hi` wall time (lists too).
//   baseline:   `for id in ...; do e2b sandbox exec $id 'echo hi'; done` wall time, once.
// Target (issue 18): the TUI at least 10x faster than the loop. boxtopd runs with
// --max-sandboxes N+10 and --create-rate 10N (its defaults, 20 and 120/min, would refuse the fleet).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmt, loadSdk, startBoxtopd } from './lib.mjs';

const top = process.env.abs_top_srcdir || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const build = process.env.abs_top_builddir || top;
const TUI = process.env.BOXTOP_TUI || path.join(build, 'src/tui/boxtop-tui');
const BOXTOP = path.join(build, 'src/boxtop');
const CLI = path.join(build, 'tests/node_modules/.bin/e2b');
const N = +(process.env.BENCH_FLEET_N || 200);
const ROUNDS = +(process.env.BENCH_ROUNDS || 3);
const sock = `bench-fleet-${process.pid}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-fleet-'));
const tmux = (...a) => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'b');
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
async function waitFor(what, fn, ms, every = 20) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

const d = await startBoxtopd({ name: 'bench-fleet', extraArgs: ['--max-sandboxes', String(N + 10), '--create-rate', String(N * 10)] });
const res = { tui: [], cli: [], loop: NaN, loopOk: 0 };
try {
  const { Sandbox } = await loadSdk();
  const opts = { apiKey: d.apiKey, apiUrl: d.apiUrl, sandboxUrl: d.sandboxUrl, timeoutMs: 3600e3, metadata: { bench: 'fleet' } };
  const ids = [];
  for (let i = 0; i < N; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, N - i) }, () => Sandbox.create('base', opts)));
    for (const s of batch) { d.track(s); ids.push(s.sandboxId); }
  }
  const env = d.env;

  // boxtop's TUI
  const exp = ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_API_KEY'].map((k) => `export ${k}=${q(env[k])}`).join('; ');
  tmux('new-session', '-d', '-s', 'b', '-x', '200', '-y', '50', 'bash', '--norc', '--noprofile', '-c',
    `${exp}; export HOME=${q(tmp)} LANG=C.UTF-8 TERM=xterm-256color; exec ${q(TUI)}`);
  await waitFor('the sandboxes', () => screen().includes(`Sandboxes (${N} of ${N})`), 60000);
  tmux('send-keys', '-t', 'b', 'a');
  await waitFor('the marks', () => screen().includes(`marked: ${N}`), 10000);
  for (let r = 0; r < ROUNDS; r++) {
    tmux('send-keys', '-t', 'b', ':');
    tmux('send-keys', '-t', 'b', '-l', 'exec echo hi');
    await sleep(300);
    const t0 = performance.now();
    tmux('send-keys', '-t', 'b', 'Enter');
    await waitFor('all results', () => screen().includes(`${N} sandboxes: ${N} done`), 300000, 5);
    res.tui.push(performance.now() - t0);
    const s = screen();
    if (!/exec finished in \d+ sandboxes: (\d+) ok/.test(s) || !s.includes(` ${N} ok,`))
      await waitFor('the summary', () => screen().includes(` ${N} ok,`), 5000);
    tmux('send-keys', '-t', 'b', 'Escape');
    await waitFor('the sandboxes again', () => screen().includes(`marked: ${N}`), 10000);
  }

  // boxtop's command line: the same engine, listing included
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    const p = spawnSync(BOXTOP, ['exec', '--all', '--meta', 'bench=fleet', '--json', '--', 'echo', 'hi'], { env, encoding: 'utf8' });
    res.cli.push(performance.now() - t0);
    const ok = (p.stdout.match(/"exitCode":0,/g) || []).length;
    if (ok !== N) throw new Error(`boxtop exec --all: ${ok} of ${N} exited 0`);
  }

  // the baseline: a shell loop of the official CLI
  if (fs.existsSync(CLI)) {
    fs.writeFileSync(path.join(tmp, 'ids'), ids.join('\n') + '\n');
    const script = `n=0; while read id; do out=$(${q(CLI)} sandbox exec "$id" 'echo hi' < /dev/null) && [ "$out" = hi ] && n=$((n+1)); done < ${q(path.join(tmp, 'ids'))}; echo "$n"`;
    const t0 = performance.now();
    const p = spawnSync('sh', ['-c', script], { env, encoding: 'utf8' });
    res.loop = performance.now() - t0;
    res.loopOk = +p.stdout.trim();
  }
} finally {
  try { tmux('kill-server'); } catch { /* gone */ }
  const problems = await d.teardown();
  if (problems.length) console.error(`# teardown: ${problems.join('; ')}`);
  fs.rmSync(tmp, { recursive: true, force: true });
}
const tui = median(res.tui), cli = median(res.cli);
console.log(`bench/fleet: 'echo hi' in ${N} boxtopd sandboxes (8 at a time), median of ${ROUNDS}`);
console.log(`  e2b sandbox exec, shell loop   ${fmt(res.loop / 1000, 2)} s  (baseline; ${res.loopOk}/${N} said hi)`);
console.log(`  boxtop :exec (TUI)             ${fmt(tui / 1000, 2)} s  ratio ${fmt(res.loop / tui, 1)}x  (target >= 10x)`);
console.log(`  boxtop exec --all (CLI)        ${fmt(cli / 1000, 2)} s  ratio ${fmt(res.loop / cli, 1)}x`);
process.exitCode = res.loop / tui >= 10 && res.loopOk === N ? 0 : 1;
