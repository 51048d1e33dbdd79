// bench/commands - issue 16: the commands view on a sandbox whose log holds 10 000 commands
// (BENCH_COMMANDS) with 200 MB of output (their byte counts; E2B cloud keeps no output
// lines) as E2B cloud serves it (v1 raw lines, 1000 a page), from a fixture on loopback,
// next to the official `e2b sandbox logs` fetching the same history from the same server.
//   boxtop: first screen (':commands ID' typed → the first table rows on screen, tmux polled
//           every ~5 ms), the whole history (→ "10000 commands" in the header), RSS (VmRSS,
//           VmHWM) after it, and CPU while following with nothing new (schedstat over
//           BENCH_IDLE_S seconds: one forward page a second), as % of one core.
//   e2b CLI: `e2b sandbox logs ID`: wall, CPU and peak RSS (GNU time), median of
//           BENCH_CLI_RUNS runs.
// Targets (issue 16): first screen < 200 ms, RSS < 64 MiB, following < 1 % CPU when idle.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const top = process.env.abs_top_srcdir || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const build = process.env.abs_top_builddir || top;
const TUI = process.env.BOXTOP_TUI || path.join(build, 'src/tui/boxtop-tui');
const N = +(process.env.BENCH_COMMANDS || 10000);
const IDLE_S = +(process.env.BENCH_IDLE_S || 10);
const CLI_RUNS = +(process.env.BENCH_CLI_RUNS || 3);
const OUTPUT = 200e6; // bytes of output over all commands
const KEY = 'e2b_' + '0123456789abcdef'.repeat(3).slice(0, 40);
const ID = 'ibench0000000000000';
const sock = `bench-cmds-${process.pid}`;

// the fixture runs in a child process (this file with the argument "fixture"), so that the
// bench's own waiting never delays its answers
if (process.argv[2] === 'fixture') {
// ---- the fixture: cloud-format v1 lines, oldest first ----
const t0 = Date.now() - N * 1000 - 60000;
const entries = [];
const common = { logger: 'process', instanceID: ID, envID: 'base', sandboxID: ID, teamID: 't', category: 'default', service: 'envd' };
for (let i = 0; i < N; i++) {
  const s = t0 + i * 1000, pid = 100 + (i % 30000), op = String(i + 1);
  const out = Math.floor(OUTPUT / N);
  entries.push({ ms: s, ts: new Date(s).toISOString().replace('Z', '123456Z'), line: JSON.stringify({
    level: 'info', message: `Process with pid ${pid} started`, ...common, operation_id: op, event_type: 'process_start',
    pid, command: `/bin/bash -l -c python step_${i}.py --input data/${i}.csv`, request_timeout_ms: 0 }) });
  const e = s + 200 + (i % 7) * 50;
  const code = i % 13 === 0 ? 1 : 0;
  entries.push({ ms: e, ts: new Date(e).toISOString().replace('Z', '654321Z'), line: JSON.stringify({
    level: 'info', message: `Process with pid ${pid} ended`, ...common, operation_id: op, event_type: 'process_end', pid,
    process_result: code ? { exit_code: code, exited: true, status: `exit status ${code}`, error: `exit status ${code}` } : { exited: true, status: 'exit status 0' },
    stdout_bytes: out, stderr_bytes: 0, pty_bytes: 0 }) });
}
let pages = 0;
const box = { sandboxID: ID, templateID: 'base', alias: 'base', clientID: 'x', envdVersion: '0.6.13', state: 'running',
  startedAt: new Date(t0).toISOString(), endAt: new Date(Date.now() + 3600e3).toISOString(), cpuCount: 2, memoryMB: 512,
  diskSizeMB: 1024, metadata: {} };
function send(res, code, body) {
  const d = Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': d.length });
  res.end(d);
}
const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  req.resume();
  if (p === '/health') return send(res, 200, {});
  if (p === '/_stats') return send(res, 200, { pages });
  if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, [box]);
  if (p === '/sandboxes/metrics') return send(res, 200, { sandboxes: {} });
  if (p === `/sandboxes/${ID}` || p.endsWith(`/sandboxes/${ID}/connect`)) return send(res, 200, box);
  if (p === `/sandboxes/${ID}/metrics`) return send(res, 200, []);
  if (p === `/sandboxes/${ID}/logs`) {
    pages++;
    const start = +(u.searchParams.get('start') || 0), limit = +(u.searchParams.get('limit') || 1000);
    let lo = 0, hi = entries.length; // first entry with ms >= start
    while (lo < hi) { const m = (lo + hi) >> 1; if (entries[m].ms < start) lo = m + 1; else hi = m; }
    const v = entries.slice(lo, lo + limit);
    return send(res, 200, { logs: v.map((e) => ({ timestamp: e.ts, line: e.line })), logEntries: [] });
  }
  if (p === '/process.Process/List') return send(res, 200, {});
  return send(res, 404, { code: 404, message: 'not found' });
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));

} else {
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-commands-'));
const fx = spawn(process.execPath, [new URL(import.meta.url).pathname, 'fixture'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  fx.stdout.on('data', (d) => { out += d; const m = /PORT (\d+)/.exec(out); if (m) resolve(`http://127.0.0.1:${m[1]}`); });
  fx.on('exit', (c) => reject(new Error(`fixture exited ${c}`)));
});
const pagesNow = async () => (await (await fetch(`${url}/_stats`)).json()).pages;
const tmux = (...a) => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'b');
const schedNs = (pid) => +fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0];
const status = (pid, k) => +new RegExp(`${k}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1] / 1024;
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
async function waitFor(what, fn, ms, every = 20) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

async function runBoxtop() {
  const pidf = path.join(tmp, 'pid'), home = path.join(tmp, 'home');
  fs.mkdirSync(home, { recursive: true });
  const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const cmd = `echo $$ > ${q(pidf)}; exec env HOME=${q(home)} LANG=C.UTF-8 TERM=xterm-256color E2B_SANDBOX_URL=${q(url)} ` +
    `${q(TUI)} --api-url ${q(url)} --api-key ${KEY}`;
  tmux('new-session', '-d', '-s', 'b', '-x', '200', '-y', '50', 'bash', '--norc', '--noprofile', '-c', cmd);
  await waitFor('the sandbox', () => screen().includes(ID), 15000);
  const pid = +fs.readFileSync(pidf, 'utf8');
  tmux('send-keys', '-t', 'b', ':');
  tmux('send-keys', '-t', 'b', '-l', `commands ${ID}`);
  await sleep(200);
  const p0 = await pagesNow(), s0 = performance.now();
  tmux('send-keys', '-t', 'b', 'Enter');
  await waitFor('the first screen', () => /python step_\d+\.py/.test(screen()), 20000, 2);
  const first = performance.now() - s0;
  await waitFor('the whole history', () => new RegExp(`Commands ${ID} +${N} commands`).test(screen()), 120000, 5);
  const whole = performance.now() - s0, pagesLoad = (await pagesNow()) - p0;
  await sleep(1500);
  const rss = status(pid, 'VmRSS'), hwm = status(pid, 'VmHWM');
  const n0 = schedNs(pid), w0 = performance.now(), pg0 = await pagesNow();
  await sleep(IDLE_S * 1000);
  const idlePct = (schedNs(pid) - n0) / 1e6 / (performance.now() - w0) * 100, idlePages = (await pagesNow()) - pg0;
  tmux('send-keys', '-t', 'b', 'q', 'q');
  return { first, whole, pagesLoad, rss, hwm, idlePct, idlePages };
}

// async: the fixture answers from this process's event loop
async function runCli() {
  const cli = path.join(top, 'tests/node_modules/.bin/e2b');
  const tf = path.join(tmp, 'time.txt');
  const p = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', tf, process.execPath, '--require',
    path.join(top, 'tests/integration/lib/loopback-only.cjs'), cli, 'sandbox', 'logs', ID], {
    env: { ...process.env, HOME: tmp, NO_UPDATE_NOTIFIER: '1', E2B_API_URL: url, E2B_API_KEY: KEY, E2B_SANDBOX_URL: url },
  });
  const r = { stdout: '', stderr: '' };
  p.stdout.on('data', (d) => { r.stdout += d; });
  p.stderr.on('data', (d) => { r.stderr += d; });
  r.status = await new Promise((res) => p.on('close', res));
  if (r.status !== 0) throw new Error(`e2b sandbox logs failed (${r.status}): ${(r.stderr || '').slice(0, 300)}`);
  const lines = r.stdout.split('\n').filter((l) => l.includes('Process with pid')).length;
  const [wall, user, sys, maxrss] = fs.readFileSync(tf, 'utf8').trim().split(/\s+/).map(Number);
  return { wall_ms: wall * 1000, cpu_ms: (user + sys) * 1000, rss_mib: maxrss / 1024, lines };
}

let failed = false;
try {
  const cli = [];
  for (let i = 0; i < CLI_RUNS; i++) cli.push(await runCli());
  const c = { wall_ms: median(cli.map((x) => x.wall_ms)), cpu_ms: median(cli.map((x) => x.cpu_ms)),
    rss_mib: median(cli.map((x) => x.rss_mib)), lines: cli[0].lines };
  const b = await runBoxtop();
  const f1 = (x) => x.toFixed(1);
  const ok = (v, t) => (v < t ? 'ok' : 'MISSED');
  console.log(`bench/commands: ${N} commands, ${OUTPUT / 1e6} MB of output (byte counts), ${2 * N} cloud-format v1 lines on loopback, 200x50 terminal`);
  console.log(`  boxtop   first screen ${f1(b.first)} ms; whole history ${f1(b.whole)} ms (${b.pagesLoad} pages of 1000)`);
  console.log(`           RSS ${f1(b.rss)} MiB (peak ${f1(b.hwm)} MiB) with the whole history`);
  console.log(`           following, nothing new: ${b.idlePct.toFixed(2)} % of one core over ${IDLE_S} s (${b.idlePages} polls)`);
  console.log(`  e2b CLI  sandbox logs: wall ${f1(c.wall_ms)} ms, CPU ${f1(c.cpu_ms)} ms, peak RSS ${f1(c.rss_mib)} MiB, ` +
    `${c.lines} process lines printed (median of ${CLI_RUNS})`);
  console.log(`  ratios boxtop/CLI: first screen vs CLI wall ${(b.first / c.wall_ms).toFixed(3)}, whole history vs CLI wall ` +
    `${(b.whole / c.wall_ms).toFixed(3)}, peak RSS ${(b.hwm / c.rss_mib).toFixed(3)}`);
  console.log(`  targets: first screen < 200 ms: ${ok(b.first, 200)}; RSS < 64 MiB: ${ok(b.hwm, 64)}; ` +
    `following < 1 % CPU: ${ok(b.idlePct, 1)}`);
} catch (e) {
  console.error(`bench/commands: ${e.message}`);
  failed = true;
} finally {
  try { execFileSync('tmux', ['-L', sock, 'kill-server'], { stdio: 'ignore' }); } catch {}
  fx.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
}
