// process-logs.mjs - issue 16 step 1 through the real API with the official SDK as the agent:
// boxtopd's envd logs every process it starts as envd does (envd-process-logs.md): v2
// fields are strings (process_result dropped, numbers as Go's %G), the raw v1 line keeps
// process_result; process_output lines (infra PR #2935) with ?pid=, the 10 000-line cap
// and its warn-level marker, and the logs API's cursor paging both ways, level and search.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';

const ctx = fileContext('process-logs');
const T = { timeout: 90000 };
let sbx;

const v2 = async (q) => {
  const r = await ctx.need().api('GET', `/v2/sandboxes/${sbx.sandboxId}/logs?${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json.logs;
};
const v1 = async (q = '') => {
  const r = await ctx.need().api('GET', `/sandboxes/${sbx.sandboxId}/logs?limit=100000${q}`);
  assert.equal(r.status, 200, r.text);
  return r.json.logs.map((l) => ({ timestamp: l.timestamp, ...JSON.parse(l.line) }));
};
const proc = (logs) => logs.filter((l) => (l.fields ? l.fields.logger : l.logger) === 'process');

test('boxtopd starts; the SDK runs commands (exit 0, exit 3, 20 000 lines, background)', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(sbx);
  await sbx.commands.run('echo hello; echo oops >&2');
  await sbx.commands.run('exit 3').catch((e) => assert.equal(e.exitCode, 3));
  await sbx.commands.run('seq 1 20000');
  await sbx.commands.run('sleep 300', { background: true });
});

test('v2: process_start / process_end with envd keys, string values, no process_result', T, async () => {
  // search matches the message: only the start/end lines, not the 10 000 output lines
  const logs = proc(await v2('search=' + encodeURIComponent('Process with pid') + '&direction=forward&limit=1000&cursor=' + (Date.now() - 600000)));
  const starts = logs.filter((l) => l.fields.event_type === 'process_start');
  const ends = logs.filter((l) => l.fields.event_type === 'process_end');
  assert.equal(starts.length, 4, JSON.stringify(starts.map((l) => l.fields.command)));
  assert.equal(ends.length, 3);
  const s = starts[0];
  assert.equal(s.level, 'info');
  assert.match(s.message, /^Process with pid \d+ started$/);
  assert.equal(s.fields.command, '/bin/bash -l -c echo hello; echo oops >&2');
  assert.equal(s.fields.operation_id, '1');
  assert.equal(s.fields.pid, s.message.split(' ')[3]);
  assert.equal(typeof s.fields.request_timeout_ms, 'string');
  for (const k of ['instanceID', 'envID', 'sandboxID', 'teamID', 'service', 'category']) assert.equal(typeof s.fields[k], 'string', k);
  for (const l of logs) for (const v of Object.values(l.fields)) assert.equal(typeof v, 'string');
  const e = ends[0];
  assert.match(e.message, /^Process with pid \d+ ended$/);
  assert.equal(e.fields.stdout_bytes, '6');
  assert.equal(e.fields.stderr_bytes, '5');
  assert.equal(e.fields.pty_bytes, '0');
  assert.equal(e.fields.process_result, undefined, 'an object: dropped from v2 fields');
  // operation_id counts up per Start
  assert.deepEqual(starts.map((l) => +l.fields.operation_id), [1, 2, 3, 4]);
});

test('v1: the raw line keeps process_result (exit 3; exit 0 omitted) and numbers', T, async () => {
  const logs = proc(await v1());
  const ends = logs.filter((l) => l.event_type === 'process_end');
  assert.deepEqual(ends[0].process_result, { exited: true, status: 'exit status 0' });
  assert.deepEqual(ends[1].process_result, { exit_code: 3, exited: true, status: 'exit status 3', error: 'exit status 3' });
  assert.equal(typeof ends[0].stdout_bytes, 'number');
  assert.equal(ends[2].stdout_bytes, 108894, 'seq 1 20000 printed 108 894 bytes');
});

test('process_output: ?pid= serves one command\'s lines in order, stdout/stderr, the cap and marker', T, async () => {
  const all = proc(await v2('search=' + encodeURIComponent('Process with pid') + '&direction=forward&cursor=' + (Date.now() - 600000)));
  const starts = all.filter((l) => l.fields.event_type === 'process_start');
  const out1 = await v2(`pid=${starts[0].fields.pid}&direction=forward&limit=1000&cursor=${Date.now() - 600000}`);
  assert.deepEqual(out1.map((l) => [l.message, l.fields.stream]), [['hello', 'stdout'], ['oops', 'stderr']]);
  assert.ok(out1.every((l) => l.fields.event_type === 'process_output'), 'start/end lines excluded');
  // seq 1 20000: 10 000 records, then one warn marker; paged forward with ms cursors
  const pid = starts[2].fields.pid;
  const seen = new Map();
  let cursor = Date.now() - 600000;
  for (let i = 0; i < 50; i++) {
    const page = await v2(`pid=${pid}&direction=forward&limit=1000&cursor=${cursor}`);
    for (const l of page) seen.set(l.timestamp + l.message, l);
    if (page.length < 1000) break;
    cursor = Math.floor(Date.parse(page[page.length - 1].timestamp));
  }
  const lines = [...seen.values()].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
  assert.equal(lines.length, 10001);
  assert.deepEqual(lines.slice(0, 3).map((l) => l.message), ['1', '2', '3']);
  assert.equal(lines[9999].message, '10000');
  assert.equal(lines[10000].level, 'warn');
  assert.equal(lines[10000].message, '[output truncated: command exceeded log capture limit]');
  // backward from the newest: the marker first
  const back = await v2(`pid=${pid}&direction=backward&limit=2&cursor=${Date.now() + 1000}`);
  assert.equal(back[0].level, 'warn');
  assert.equal(back[1].message, '10000');
});

test('level and search filters apply to process lines', T, async () => {
  const warn = proc(await v2('level=warn&direction=forward&cursor=' + (Date.now() - 600000)));
  assert.deepEqual(warn.map((l) => l.message), ['[output truncated: command exceeded log capture limit]']);
  const found = proc(await v2('search=oops&direction=forward&cursor=' + (Date.now() - 600000)));
  assert.deepEqual(found.map((l) => [l.message, l.fields.event_type]), [['oops', 'process_output']]);
});

// A stop ends the processes: their process_end is logged then, with the signal that ended
// them, not never (boxtopd's restart) nor at the resume (pause without memory).
// (pid numbers start over after the reboot: the command is its Start's operation_id)
const endOf = async (id, pid) => {
  const r = await ctx.need().api('GET', `/sandboxes/${id}/logs?limit=100000`);
  assert.equal(r.status, 200, r.text);
  const logs = r.json.logs.map((l) => ({ ts: Date.parse(l.timestamp), ...JSON.parse(l.line) })).filter((l) => l.logger === 'process');
  const start = logs.find((l) => l.event_type === 'process_start' && String(l.pid) === String(pid));
  assert.ok(start, `process_start of pid ${pid}`);
  return logs.filter((l) => l.event_type === 'process_end' && l.operation_id === start.operation_id);
};
const killedEnd = (ends, t0, t1, what) => {
  assert.equal(ends.length, 1, `${what}: one process_end for the command`);
  assert.ok(ends[0].ts >= t0 - 500 && ends[0].ts <= t1 + 1500, `${what}: ended at ${new Date(ends[0].ts).toISOString()}, stop at ${new Date(t0).toISOString()}..${new Date(t1).toISOString()}`);
  assert.deepEqual(ends[0].process_result, { exit_code: -1, status: 'signal: killed', error: 'signal: killed' });
};

test('pause without memory: the running command\'s process_end at the pause, killed', T, async () => {
  const { Sandbox } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 300_000 });
  ctx.need().track(s);
  const { pid } = await s.commands.run('sleep 600', { background: true });
  const t0 = Date.now();
  assert.equal(await s.pause({ keepMemory: false }), true);
  const t1 = Date.now();
  await new Promise((r) => setTimeout(r, 4000)); // the resume is well after the pause
  const r = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000 });
  await r.commands.run('true');
  killedEnd(await endOf(s.sandboxId, pid), t0, t1, 'pause');
  await r.kill();
});

test('boxtopd restart: the running command\'s process_end at the stop, killed', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(s);
  const { pid } = await s.commands.run('sleep 600', { background: true });
  const t0 = Date.now();
  const st = await d.stop('SIGTERM');
  const t1 = Date.now();
  assert.equal(st.forced, false, 'boxtopd stopped on SIGTERM');
  await new Promise((r) => setTimeout(r, 3000));
  await d.restart();
  killedEnd(await endOf(s.sandboxId, pid), t0, t1, 'restart');
  // the sandbox came back paused; resuming it ends nothing twice
  const r = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000 });
  await r.commands.run('true');
  assert.equal((await endOf(s.sandboxId, pid)).length, 1);
  await r.kill();
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
