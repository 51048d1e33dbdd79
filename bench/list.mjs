// bench/list - boxtop's sandboxes view at 10 000 sandboxes (BENCH_SANDBOXES) against a fixture
// of the platform API on loopback (bench/list-fixture.mjs: seeded, recorded shapes, paged list
// and batch metrics), next to the official `e2b sandbox list` on the same server.
//   boxtop: time to first full frame (exec -> the first frame whose table has a full page of
//           rows; the start stamp is taken by bash right before exec, the frame stamp by
//           boxtop's BOXTOP_FRAME_LOG, both wall clock, and the rows are checked in tmux),
//           CPU per refresh (utime+stime of /proc/PID/stat, and the precise on-CPU time of
//           /proc/PID/schedstat, over BENCH_ROUNDS poll rounds counted by the fixture, while
//           nothing else happens; the default view polls the metrics of the rows on screen),
//           the same sorted by CPU (every running sandbox's metrics each round), and RSS
//           (VmRSS, VmHWM) after the default rounds.
//   e2b CLI: `e2b sandbox list --state running,paused --limit 0` (all pages): wall time, CPU
//           time and peak RSS from GNU time, median of BENCH_CLI_RUNS runs.
// Targets (issue 6): first full frame < 100 ms, refresh < 10 ms CPU, RSS < 32 MiB.
// BOXTOP_BASELINE=path: the same measures of another boxtop binary (an older build) in the same
// run, against the same fixture, printed with the ratios of this one to it (issue 22).
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const top = process.env.abs_top_srcdir || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const build = process.env.abs_top_builddir || top;
const BOXTOP = process.env.BOXTOP || path.join(build, 'src/boxtop');
const BASELINE = process.env.BOXTOP_BASELINE || '';
const N = +(process.env.BENCH_SANDBOXES || 10000);
const ROUNDS = +(process.env.BENCH_ROUNDS || 12); // utime+stime counts 10 ms ticks: 4 rounds could only say 7.5, 10 or 12.5 ms
const CLI_RUNS = +(process.env.BENCH_CLI_RUNS || 3);
const ROWS = 50, COLS = 200; // terminal size; the table body is ROWS - 6 rows
const BODY = ROWS - 6;
const KEY = 'e2b_' + '0123456789abcdef'.repeat(3).slice(0, 40);
const TICK_MS = 1000 / 100; // /proc/PID/stat counts clock ticks (USER_HZ = 100)

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-list-'));
const sock = `bench-list-${process.pid}`;
const children = [];

function startFixture() {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [path.join(top, 'bench/list-fixture.mjs'), String(N), '1'], {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FIXTURE_API_KEY: KEY },
    });
    children.push(p);
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ proc: p, url: `http://127.0.0.1:${m[1]}` });
    });
    p.on('exit', (c) => reject(new Error(`fixture exited ${c}`)));
  });
}

async function stats(url) {
  return (await fetch(`${url}/_stats`)).json();
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function runCli(url) {
  const cli = path.join(top, 'tests/node_modules/.bin/e2b');
  const tf = path.join(tmp, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', tf, process.execPath, '--require',
    path.join(top, 'tests/integration/lib/loopback-only.cjs'), cli, 'sandbox', 'list', '--state', 'running,paused', '--limit', '0'], {
    env: { ...process.env, HOME: tmp, NO_UPDATE_NOTIFIER: '1', E2B_API_URL: url, E2B_API_KEY: KEY, E2B_SANDBOX_URL: url },
    encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`e2b sandbox list failed (${r.status}): ${r.stderr.slice(0, 300)}`);
  const rows = r.stdout.split('\n').filter((l) => /^i[0-9a-f]{19}\s/.test(l)).length;
  if (rows !== N) throw new Error(`e2b sandbox list printed ${rows} sandboxes, not ${N}`);
  const [wall, user, sys, maxrss] = fs.readFileSync(tf, 'utf8').trim().split(/\s+/).map(Number);
  return { wall_ms: wall * 1000, cpu_ms: (user + sys) * 1000, rss_mib: maxrss / 1024 };
}

const tmux = (...a) => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
const procStat = (pid) => {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (+v[11] + +v[12]) * TICK_MS; // utime + stime, ms
};
const schedNs = (pid) => +fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0];
const status = (pid, k) => +new RegExp(`${k}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1] / 1024;

async function waitFor(what, fn, ms) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function runBoxtop(url, bin = BOXTOP) {
  const t0f = path.join(tmp, 't0'), flog = path.join(tmp, 'frames'), pidf = path.join(tmp, 'pid');
  const home = path.join(tmp, 'home');
  for (const f of [t0f, flog, pidf]) fs.rmSync(f, { force: true }); // a previous binary's run
  fs.mkdirSync(home, { recursive: true });
  const base = (await stats(url)).listFirst; // the CLI's listings so far
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  // bash stamps the wall clock and its pid (= boxtop's after exec), then execs boxtop
  const cmd = `echo $$ > ${q(pidf)}; echo $EPOCHREALTIME > ${q(t0f)}; exec env HOME=${q(home)} LANG=C.UTF-8 TERM=xterm-256color ` +
    `BOXTOP_FRAME_LOG=${q(flog)} ${q(bin)} --api-url ${q(url)} --api-key ${KEY}`;
  tmux('new-session', '-d', '-s', 'b', '-x', String(COLS), '-y', String(ROWS), 'bash', '--norc', '--noprofile', '-c', cmd);
  const frame = await waitFor('a full frame', () => {
    if (!fs.existsSync(flog)) return null;
    for (const l of fs.readFileSync(flog, 'utf8').split('\n')) {
      const m = /^frame (\d+) t_us (\d+) sandboxes (\d+) main (\d)/.exec(l);
      if (m && +m[3] >= BODY && m[4] === '1') return { n: +m[1], t_us: +m[2], sandboxes: +m[3] };
    }
    return null;
  }, 20000);
  const t0 = Math.round(parseFloat(fs.readFileSync(t0f, 'utf8')) * 1e6);
  const pid = +fs.readFileSync(pidf, 'utf8');
  // the frame really shows a full page of sandbox rows
  const shown = tmux('capture-pane', '-p', '-t', 'b').split('\n').filter((l) => /^\s*\S?\s*i[0-9a-f]{19}\s/.test(l)).length;
  if (shown < BODY) throw new Error(`the table shows ${shown} rows, expected ${BODY}`);
  // wait until every sandbox is known and one whole round (list + metrics) is done, then
  // measure from the start of a round to the start of the round ROUNDS later
  await waitFor('10 000 sandboxes listed', async () => (await stats(url)).listFirst >= base + 2, 30000);
  const atRound = async (k) => waitFor(`poll round ${k}`, async () => {
    const s = await stats(url);
    return s.listFirst >= base + k ? s : null;
  }, 10000 + 6000 * ROUNDS);
  let s = await atRound(3);
  const c0 = procStat(pid), n0 = schedNs(pid), r0 = s.listFirst - base;
  const q0 = s.list + (s.listV1 || 0), m0 = s.metrics;
  s = await atRound(r0 + ROUNDS);
  const c1 = procStat(pid), n1 = schedNs(pid), rounds = s.listFirst - base - r0;
  const listReqs = (s.list + (s.listV1 || 0) - q0) / rounds, metricsReqs = (s.metrics - m0) / rounds;
  const rss = status(pid, 'VmRSS'), hwm = status(pid, 'VmHWM');
  const title = /Sandboxes \((\d+) of (\d+)\)/.exec(tmux('capture-pane', '-p', '-t', 'b'));
  if (!title || +title[2] !== N) throw new Error(`boxtop shows ${title ? title[0] : 'no title'}, expected ${N}`);
  // the same, sorted by CPU: then every running sandbox's latest sample is polled each round
  tmux('send-keys', '-t', 'b', '>', '>', '>');
  await waitFor('sort by cpu', () => /sort: cpu/.test(tmux('capture-pane', '-p', '-t', 'b')), 5000);
  s = await atRound(r0 + ROUNDS + 2);
  const ids0 = s.metricsIds, sc0 = procStat(pid), sn0 = schedNs(pid), sr0 = s.listFirst;
  s = await atRound(sr0 - base + ROUNDS);
  const sc1 = procStat(pid), sn1 = schedNs(pid), srounds = s.listFirst - sr0;
  const sortedIds = (s.metricsIds - ids0) / srounds;
  tmux('send-keys', '-t', 'b', 'q');
  await waitFor('boxtop to quit', () => { try { process.kill(pid, 0); return false; } catch { return true; } }, 5000);
  return {
    first_frame_ms: (frame.t_us - t0) / 1000, frame_sandboxes: frame.sandboxes, frame_no: frame.n,
    refresh_cpu_ms: (c1 - c0) / rounds, refresh_sched_ms: (n1 - n0) / 1e6 / rounds, rounds,
    sorted_cpu_ms: (sc1 - sc0) / srounds, sorted_sched_ms: (sn1 - sn0) / 1e6 / srounds, sorted_ids: sortedIds,
    rss_mib: rss, hwm_mib: hwm, list_reqs: listReqs, metrics_reqs: metricsReqs,
  };
}

let failed = false;
try {
  const fx = await startFixture();
  await runCli(fx.url); // warm-up (page cache, node's compile cache), not measured
  const cli = [];
  for (let i = 0; i < CLI_RUNS; i++) cli.push(runCli(fx.url));
  const c = { wall_ms: median(cli.map((x) => x.wall_ms)), cpu_ms: median(cli.map((x) => x.cpu_ms)), rss_mib: median(cli.map((x) => x.rss_mib)) };
  const base = BASELINE ? await runBoxtop(fx.url, BASELINE) : null;
  const b = await runBoxtop(fx.url);
  const f1 = (x) => x.toFixed(1);
  const ok = (v, t) => (v < t ? 'ok' : 'MISSED');
  console.log(`bench/list: ${N} sandboxes (fixture on loopback, 100 per page), ${COLS}x${ROWS} terminal`);
  console.log(`  boxtop   first full frame ${f1(b.first_frame_ms)} ms (frame ${b.frame_no}, ${b.frame_sandboxes} sandboxes known)`);
  console.log(`           CPU per refresh ${f1(b.refresh_cpu_ms)} ms (utime+stime), ${f1(b.refresh_sched_ms)} ms (schedstat), over ${b.rounds} rounds of list + batch metrics`);
  console.log(`           sorted by CPU (the latest sample of every running sandbox, ${Math.round(b.sorted_ids)} ids a round): ` +
    `${f1(b.sorted_cpu_ms)} ms (utime+stime), ${f1(b.sorted_sched_ms)} ms (schedstat) per refresh`);
  console.log(`           RSS ${f1(b.rss_mib)} MiB (peak ${f1(b.hwm_mib)} MiB)`);
  const reqs = (x) => `${f1(x.list_reqs)} list + ${f1(x.metrics_reqs)} metrics requests a round by id`;
  console.log(`           ${reqs(b)}${base ? ` (baseline: ${reqs(base)})` : ''}`);
  console.log(`  e2b CLI  sandbox list --limit 0: wall ${f1(c.wall_ms)} ms, CPU ${f1(c.cpu_ms)} ms, peak RSS ${f1(c.rss_mib)} MiB (median of ${CLI_RUNS})`);
  console.log(`  ratios boxtop/CLI: first frame vs CLI wall ${(b.first_frame_ms / c.wall_ms).toFixed(3)}, ` +
    `refresh CPU vs CLI CPU ${(b.refresh_sched_ms / c.cpu_ms).toFixed(3)}, peak RSS ${(b.hwm_mib / c.rss_mib).toFixed(3)}`);
  console.log(`  targets: first full frame < 100 ms: ${ok(b.first_frame_ms, 100)}; refresh < 10 ms CPU: ${ok(Math.max(b.refresh_cpu_ms, b.refresh_sched_ms), 10)}; ` +
    `RSS < 32 MiB: ${ok(b.hwm_mib, 32)}`);
  if (base) { // worded apart from the lines above: bench/summary.mjs reads those
    const r = (x, y) => (x / y).toFixed(3);
    console.log(`  baseline ${BASELINE}: by id ${f1(base.refresh_cpu_ms)} / ${f1(base.refresh_sched_ms)} ms a round, ` +
      `by cpu ${f1(base.sorted_cpu_ms)} / ${f1(base.sorted_sched_ms)} ms a round (utime+stime / schedstat), ` +
      `first frame ${f1(base.first_frame_ms)} ms, peak ${f1(base.hwm_mib)} MiB`);
    console.log(`  ratios boxtop/baseline (schedstat): by id ${r(b.refresh_sched_ms, base.refresh_sched_ms)}, ` +
      `by cpu ${r(b.sorted_sched_ms, base.sorted_sched_ms)}, first frame ${r(b.first_frame_ms, base.first_frame_ms)}, ` +
      `peak memory ${r(b.hwm_mib, base.hwm_mib)}`);
  }
} catch (e) {
  console.error(`bench/list: ${e.message}`);
  failed = true;
} finally {
  try { execFileSync('tmux', ['-L', sock, 'kill-server'], { stdio: 'ignore' }); } catch {}
  for (const p of children) p.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
