// streams.mjs - issue 5 streaming at scale and envd's small HTTP endpoints: 100 concurrent PTY
// streams across 10 sandboxes stay responsive (every shell echoes a marker, round trips
// measured), output fans out to every attached stream, GET /envs and /metrics.
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { assert, fileContext } from './lib/common.mjs';
import { http, waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('streams');
const enc = new TextEncoder();
const dec = new TextDecoder();
const boxes = [];
const clean = (s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r\n|\n|\r/);

test('boxtopd starts and 10 sandboxes are created', { timeout: 90000 }, async () => {
  const d = await ctx.start();
  const made = await Promise.all(Array.from({ length: 10 }, (_, i) => ctx.E.Sandbox.create('base', { timeoutMs: 300_000, envs: { BOX: String(i) } })));
  for (const s of made) {
    d.track(s);
    boxes.push(s);
  }
});

test('GET /envs and /metrics of envd (token required)', { timeout: 30000 }, async () => {
  const d = ctx.need();
  const s = boxes[3];
  assert.ok(s, 'no sandbox');
  const h = { 'E2b-Sandbox-Id': s.sandboxId, 'E2b-Sandbox-Port': '49983', 'X-Access-Token': s.envdAccessToken };
  const e = await http(`${d.sandboxUrl}/envs`, { headers: h });
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.BOX, '3', `create-time envVars in /envs: ${e.text.slice(0, 300)}`);
  const m = await http(`${d.sandboxUrl}/metrics`, { headers: h });
  assert.equal(m.status, 200, m.text);
  for (const f of ['ts', 'cpu_count', 'cpu_used_pct', 'mem_total', 'mem_used', 'disk_used', 'disk_total']) assert.equal(typeof m.json[f], 'number', `/metrics ${f}: ${m.text.slice(0, 300)}`);
  assert.ok(Math.abs(m.json.ts - Date.now() / 1000) < 30, 'ts is now');
  for (const p of ['/envs', '/metrics']) {
    const bad = await http(`${d.sandboxUrl}${p}`, { headers: { ...h, 'X-Access-Token': 'nope' } });
    assert.equal(bad.status, 401, `${p} with a wrong token`);
  }
});

test('100 concurrent PTY streams across 10 sandboxes stay responsive', { timeout: 120000 }, async (t) => {
  assert.equal(boxes.length, 10, 'sandboxes missing');
  const ptys = [];
  await Promise.all(
    boxes.flatMap((s, b) =>
      Array.from({ length: 10 }, async (_, k) => {
        const p = { s, out: '', name: `m${b}x${k}` };
        p.h = await s.pty.create({ cols: 80, rows: 24, timeoutMs: 0, onData: (x) => (p.out += dec.decode(x)) });
        ptys.push(p);
      }),
    ),
  );
  assert.equal(ptys.length, 100);
  // Two rounds: every shell echoes its marker; a round trip is send → marker line seen.
  const rtts = [];
  for (const round of [1, 2]) {
    await Promise.all(
      ptys.map(async (p) => {
        const mark = `${p.name}r${round}`;
        const t0 = performance.now();
        await p.s.pty.sendInput(p.h.pid, enc.encode(`echo ${mark.slice(0, 2)}""${mark.slice(2)}\n`));
        const ok = await waitFor(() => clean(p.out).includes(mark), 20000, 10);
        assert.ok(ok, `${mark} never echoed: ${JSON.stringify(p.out.slice(-200))}`);
        rtts.push(performance.now() - t0);
      }),
    );
  }
  rtts.sort((a, b) => a - b);
  const p50 = rtts[Math.floor(rtts.length / 2)];
  const p99 = rtts[Math.floor(rtts.length * 0.99)];
  t.diagnostic(`echo round trip over 100 PTYs: p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms`);
  assert.ok(p99 < 3000, `p99 round trip ${p99.toFixed(0)} ms`);
  await Promise.all(ptys.map((p) => p.s.pty.kill(p.h.pid)));
});

test('output fans out to every attached stream (Start + two Connects)', { timeout: 30000 }, async () => {
  const s = boxes[0];
  assert.ok(s, 'no sandbox');
  const outs = ['', '', ''];
  const h = await s.commands.run('sleep 1; for i in 1 2 3; do echo fan$i; sleep 0.3; done', { background: true, onStdout: (x) => (outs[0] += x) });
  const c1 = await s.commands.connect(h.pid, { onStdout: (x) => (outs[1] += x) });
  const c2 = await s.commands.connect(h.pid, { onStdout: (x) => (outs[2] += x) });
  await Promise.all([h.wait(), c1.wait(), c2.wait()]);
  for (const o of outs) assert.equal(o, 'fan1\nfan2\nfan3\n');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', { timeout: 60000 }, async () => {
  await ctx.teardown();
});
