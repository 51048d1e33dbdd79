// cli.mjs - issue 4 acceptance with the official E2B CLI (@e2b/cli 2.19.0, its own bundled
// SDK): `e2b sandbox list` (pretty, --format json, --metadata, --state), `info`, `metrics`,
// `logs`, `kill`, `pause`/`resume`. Output is parsed, not just grepped for an id.
import { test } from 'node:test';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { spawnSync } from 'node:child_process';
import { e2bCliJs, runCli, sleep } from './lib/boxtopd.mjs';

const ctx = fileContext('cli');
const T = { timeout: 90000 };
const RUN = uniq();
let x;
let y;
let createdAt;

const ok = (r, what) => assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
// The CLI prints ANSI colours only on a TTY; strip any anyway to parse plain text.
const plain = (s) => s.replace(/\x1b\[[0-9;]*m/g, '').replace(/\x1b\]8;;[^\x07]*\x07/g, '');

test('boxtopd starts and two sandboxes are created with metadata', T, async () => {
  const d = await ctx.start();
  createdAt = Date.now();
  x = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { run: RUN, role: 'x' } });
  d.track(x);
  y = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { run: RUN, role: 'y' } });
  d.track(y);
});

test('e2b sandbox list (pretty): header and one row per sandbox with its fields', T, async () => {
  const d = ctx.need();
  const r = await runCli(d, ['sandbox', 'list']);
  ok(r, 'list');
  const lines = plain(r.stdout).split('\n');
  // renderTable upper-cases the column titles.
  const header = lines.find((l) => l.toUpperCase().includes('SANDBOX ID'));
  assert.ok(header, `no header in ${r.stdout}`);
  for (const h of ['Template ID', 'Started at', 'End at', 'State', 'vCPUs', 'RAM MiB', 'Envd version', 'Metadata']) {
    assert.ok(header.toUpperCase().includes(h.toUpperCase()), `header lacks ${h}: ${header}`);
  }
  for (const s of [x, y]) {
    const row = lines.find((l) => l.includes(s.sandboxId));
    assert.ok(row, `${s.sandboxId} not listed:\n${r.stdout}`);
    assert.ok(/\bRunning\b/.test(row), `state column: ${row}`);
    assert.ok(row.includes(`"run":"${RUN}"`), `metadata column: ${row}`);
  }
});

test('e2b sandbox list --format json --metadata run=…,role=y: exactly y, SDK fields', T, async () => {
  const d = ctx.need();
  const r = await runCli(d, ['sandbox', 'list', '--format', 'json', '--metadata', `run=${RUN},role=y`]);
  ok(r, 'list json');
  const arr = JSON.parse(r.stdout);
  assert.ok(Array.isArray(arr));
  assert.deepEqual(arr.map((s) => s.sandboxId), [y.sandboxId]);
  const s = arr[0];
  assert.deepEqual(s.metadata, { run: RUN, role: 'y' });
  assert.equal(s.state, 'running');
  assert.ok(s.cpuCount >= 1 && s.memoryMB >= 1, 'cpu/mem');
  assert.ok(Date.parse(s.endAt) > Date.parse(s.startedAt), 'endAt > startedAt');
  const all = JSON.parse((await runCli(d, ['sandbox', 'list', '--format', 'json', '--metadata', `run=${RUN}`])).stdout);
  assert.deepEqual(all.map((z) => z.sandboxId).sort(), [x.sandboxId, y.sandboxId].sort());
});

test('e2b sandbox info ID: labelled fields; unknown id → "wasn\'t found", exit 1', T, async () => {
  const d = ctx.need();
  const r = await runCli(d, ['sandbox', 'info', x.sandboxId]);
  ok(r, 'info');
  const out = plain(r.stdout);
  const field = (label) => {
    const m = out.match(new RegExp(`^\\s*${label}:?\\s+(.*)$`, 'm'));
    return m && m[1].trim();
  };
  assert.equal(field('Sandbox ID'), x.sandboxId, out);
  assert.equal(field('State'), 'running', out);
  assert.ok(+field('vCPUs') >= 1, out);
  assert.ok(+field('RAM MiB') >= 1, out);
  assert.match(field('Envd version') || '', /^\d+\.\d+\.\d+/);
  assert.ok(out.includes(`"role": "x"`), `metadata in ${out}`);
  const j = await runCli(d, ['sandbox', 'info', x.sandboxId, '--format', 'json']);
  ok(j, 'info json');
  const info = JSON.parse(j.stdout);
  assert.equal(info.sandboxId, x.sandboxId);
  assert.deepEqual(info.metadata, { run: RUN, role: 'x' });
  const missing = await runCli(d, ['sandbox', 'info', 'inosuchsandbox0000000']);
  assert.equal(missing.code, 1);
  assert.match(plain(missing.stderr), /wasn't found/);
});

test('e2b sandbox metrics ID (json and pretty) after >= 6 s', T, async () => {
  const d = ctx.need();
  const wait = createdAt + 6500 - Date.now();
  if (wait > 0) await sleep(wait);
  const r = await runCli(d, ['sandbox', 'metrics', x.sandboxId, '--format', 'json']);
  ok(r, 'metrics json');
  const pts = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.ok(pts.length >= 1, `no metric lines: ${r.stdout}`);
  for (const p of pts) {
    const t = Date.parse(p.timestamp);
    assert.ok(t >= createdAt - 10_000 && t <= Date.now() + 5000, `timestamp ${p.timestamp}`);
    assert.ok(p.cpuUsedPct >= 0 && p.cpuUsedPct <= 100 * p.cpuCount, `cpu ${p.cpuUsedPct}`);
    assert.ok(p.memUsed <= p.memTotal && p.memTotal > 0, `mem ${p.memUsed}/${p.memTotal}`);
  }
  const pretty = await runCli(d, ['sandbox', 'metrics', x.sandboxId]);
  ok(pretty, 'metrics pretty');
  assert.match(plain(pretty.stdout), /CPU:\s+[\d.]+% \/\s+\d+ Core.*\| Memory:\s+\d+ \/ \d+\s+MiB \| Disk:\s+\d+ \/ \d+\s+MiB/);
});

test('e2b sandbox logs ID: JSON lines with timestamp and level; pretty header', T, async () => {
  const d = ctx.need();
  const r = await runCli(d, ['sandbox', 'logs', x.sandboxId, '--format', 'json']);
  ok(r, 'logs json');
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  assert.ok(lines.length >= 1, `no log lines: ${r.stdout}\n${r.stderr}`);
  for (const l of lines) {
    assert.ok(!isNaN(Date.parse(l.timestamp)), `timestamp ${l.timestamp}`);
    assert.match(plain(String(l.level)).trim(), /^(INFO|WARN|ERROR)$/i); // the CLI passes the line's own level through
  }
  const t0 = Date.parse(lines[0].timestamp);
  assert.ok(t0 >= createdAt - 60_000 && t0 <= Date.now() + 5000, 'log timestamps near the sandbox start');
  const pretty = await runCli(d, ['sandbox', 'logs', x.sandboxId]);
  ok(pretty, 'logs pretty');
  assert.ok(plain(pretty.stdout).includes(`Logs for sandbox ${x.sandboxId}`), pretty.stdout);
  assert.match(plain(pretty.stdout), /\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\]/);
});

test('e2b sandbox pause / resume / list --state paused', T, async () => {
  const d = ctx.need();
  const p = await runCli(d, ['sandbox', 'pause', y.sandboxId]);
  ok(p, 'pause');
  assert.match(plain(p.stdout), /has been paused/);
  const again = await runCli(d, ['sandbox', 'pause', y.sandboxId]);
  ok(again, 'pause again');
  assert.match(plain(again.stdout), /already paused/);
  const l = JSON.parse((await runCli(d, ['sandbox', 'list', '--format', 'json', '--state', 'paused', '--metadata', `run=${RUN}`])).stdout);
  assert.deepEqual(l.map((s) => [s.sandboxId, s.state]), [[y.sandboxId, 'paused']]);
  const rs = await runCli(d, ['sandbox', 'resume', y.sandboxId]);
  ok(rs, 'resume');
  assert.match(plain(rs.stdout), /has been resumed/);
  assert.equal((await ctx.E.Sandbox.getInfo(y.sandboxId)).state, 'running');
});

test('e2b sandbox kill ID: "has been killed", gone from list; again → "wasn\'t found"', T, async () => {
  const d = ctx.need();
  const r = await runCli(d, ['sandbox', 'kill', x.sandboxId]);
  ok(r, 'kill');
  assert.match(plain(r.stdout), new RegExp(`Sandbox ${x.sandboxId} has been killed`));
  const l = JSON.parse((await runCli(d, ['sandbox', 'list', '--format', 'json', '--metadata', `run=${RUN}`])).stdout);
  assert.deepEqual(l.map((s) => s.sandboxId), [y.sandboxId]);
  const again = await runCli(d, ['sandbox', 'kill', x.sandboxId]);
  assert.match(plain(again.stderr), /wasn't found/);
  const all = await runCli(d, ['sandbox', 'kill', '--all', '--metadata', `run=${RUN}`]);
  ok(all, 'kill --all');
  assert.match(plain(all.stdout), /Killed 1 running sandboxes/);
});

test('a wrong API key: the CLI fails with an authentication error, exit 1', T, async () => {
  const d = ctx.need();
  const env = d.env;
  const bad = { ...env, E2B_API_KEY: 'e2b_' + 'f'.repeat(40) };
  const out = spawnSync(process.execPath, [e2bCliJs, 'sandbox', 'list'], { env: bad, encoding: 'utf8', timeout: 60000 });
  assert.equal(out.status, 1, out.stdout + out.stderr);
  assert.match(out.stderr, /AuthenticationError|Invalid API key|401/i);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
