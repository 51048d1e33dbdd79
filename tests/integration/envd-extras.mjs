// envd-extras.mjs - issue 5 behaviour that the SDK calls above do not reach, on the raw wire:
// curl's `Expect: 100-continue` does not stall uploads, keepalive frames at the interval asked
// for, a stream is cut when its sandbox is killed, the polling watcher RPCs
// (CreateWatcher/GetWatcherEvents/RemoveWatcher), SendSignal (the process, not its group) and
// Update on raw RPCs.
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { assert, fileContext } from './lib/common.mjs';
import { envdHeaders, http, waitFor } from './lib/boxtopd.mjs';
import { END_STREAM, frame, readFrames } from '../lib/connect-frames.cjs';

const ctx = fileContext('envd-extras');
const T = { timeout: 60000 };
let sbx;
const need = () => {
  if (!sbx) throw new Error('no sandbox (create failed)');
  return sbx;
};
const rpc = (s, name, body) =>
  http(`${ctx.d.sandboxUrl}/${name}`, { method: 'POST', headers: envdHeaders(s, { 'Content-Type': 'application/json' }), body: JSON.stringify(body) });

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(sbx);
});

test('curl with Expect: 100-continue (2 MiB upload, chunked API body) is not stalled', T, async () => {
  const d = ctx.need();
  const s = need();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-expect-'));
  try {
    const f = path.join(dir, 'two.bin');
    fs.writeFileSync(f, Buffer.alloc(2 << 20, 7));
    const h = Object.entries(envdHeaders(s)).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    const t0 = performance.now();
    // curl sends Expect: 100-continue by itself for bodies over 1 MiB.
    const r = spawnSync('curl', ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code}', ...h, '-H', 'Content-Type: application/octet-stream', '--data-binary', `@${f}`, `${d.sandboxUrl}/files?path=/home/user/two.bin`], { encoding: 'utf8', timeout: 20000 });
    const ms = performance.now() - t0;
    assert.equal(r.stdout, '200', r.stderr);
    assert.ok(ms < 900, `upload with Expect: 100-continue took ${ms.toFixed(0)} ms (curl waits 1 s when it is not answered)`);
    const t1 = performance.now();
    const c = spawnSync('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', '-H', `X-API-Key: ${d.apiKey}`, '-H', 'Content-Type: application/json', '-H', 'Transfer-Encoding: chunked', '--data-binary', '{"templateID":"base","timeout":30}', `${d.apiUrl}/sandboxes`], { encoding: 'utf8', timeout: 20000 });
    const ms2 = performance.now() - t1;
    assert.equal(c.stdout, '201', `chunked create → ${c.stdout} ${c.stderr}`);
    assert.ok(ms2 < 900, `chunked create took ${ms2.toFixed(0)} ms`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Process.Start streams keepalive frames at Keepalive-Ping-Interval (1 s)', T, async () => {
  const d = ctx.need();
  const s = need();
  const r = await http(`${d.sandboxUrl}/process.Process/Start`, {
    method: 'POST',
    headers: envdHeaders(s, { 'Content-Type': 'application/connect+json', 'Keepalive-Ping-Interval': '1' }),
    body: frame({ process: { cmd: '/bin/bash', args: ['-c', 'sleep 3.5; echo end'] } }),
    timeoutMs: 20000,
  });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /^application\/connect\+json/);
  const fr = readFrames(r.buf);
  const kinds = fr.map((f) => (f.flags & END_STREAM ? 'END' : Object.keys(f.json.event || {})[0]));
  assert.equal(kinds[0], 'start', kinds.join(','));
  assert.equal(kinds[kinds.length - 1], 'END', 'ends with an end-stream frame');
  assert.deepEqual(fr[fr.length - 1].json, {}, 'successful end-stream payload is {}');
  const ka = kinds.filter((k) => k === 'keepalive').length;
  assert.ok(ka >= 2 && ka <= 5, `${ka} keepalives in 3.5 s at a 1 s interval: ${kinds.join(',')}`);
  const data = fr.filter((f) => f.json.event && f.json.event.data).map((f) => Buffer.from(f.json.event.data.stdout || '', 'base64').toString()).join('');
  assert.equal(data, 'end\n');
  const end = fr.find((f) => f.json.event && f.json.event.end);
  assert.ok(end && end.json.event.end.exited === true, `end event: ${JSON.stringify(end && end.json)}`);
});

test('SendSignal SIGTERM ends a process; Update resizes a PTY', T, async () => {
  const s = need();
  const h = await s.commands.run('sleep 100', { background: true });
  const r = await rpc(s, 'process.Process/SendSignal', { process: { pid: h.pid }, signal: 'SIGNAL_SIGTERM' });
  assert.equal(r.status, 200, r.text);
  const e = await h.wait().catch((x) => x);
  assert.ok(e instanceof ctx.E.CommandExitError, 'SIGTERMed process ended with an error status');
  let out = '';
  const p = await s.pty.create({ cols: 80, rows: 24, timeoutMs: 0, onData: (x) => (out += new TextDecoder().decode(x)) });
  const u = await rpc(s, 'process.Process/Update', { process: { pid: p.pid }, pty: { size: { cols: 91, rows: 17 } } });
  assert.equal(u.status, 200, u.text);
  await s.pty.sendInput(p.pid, new TextEncoder().encode('stty size\n'));
  assert.ok(await waitFor(() => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r\n|\n|\r/).includes('17 91'), 10000), `stty size: ${JSON.stringify(out.slice(-200))}`);
  await s.pty.kill(p.pid);
});

// envd signals the process alone (handler.go SendSignal: cmd.Process.Signal), not its group:
// a killed shell leaves the child it started in the background running.
test('SendSignal reaches the process, not its children (kill() of a shell leaves its sleep)', T, async () => {
  const s = need();
  let out = '';
  const h = await s.commands.run('sleep 300 & echo child=$!; wait', { background: true, onStdout: (x) => (out += x) });
  assert.ok(await waitFor(() => /child=\d+/.test(out), 10000), `child pid: ${JSON.stringify(out)}`);
  const child = out.match(/child=(\d+)/)[1];
  assert.equal(await h.kill(), true);
  const e = await h.wait().catch((x) => x);
  assert.ok(e instanceof ctx.E.CommandExitError, 'the killed shell ended with an error status');
  const alive = await s.commands.run(`kill -0 ${child} && cat /proc/${child}/comm`);
  assert.equal(alive.stdout, 'sleep\n', 'the background sleep outlived its killed shell');
  await s.commands.run(`kill ${child}`);
});

test('CreateWatcher / GetWatcherEvents / RemoveWatcher', T, async () => {
  const s = need();
  await s.files.makeDir('/home/user/polled/sub'); // an existing subdirectory: a brand-new one races inotify
  const c = await rpc(s, 'filesystem.Filesystem/CreateWatcher', { path: '/home/user/polled', recursive: true });
  assert.equal(c.status, 200, c.text);
  const wid = c.json.watcherId;
  assert.equal(typeof wid, 'string');
  await s.commands.run('echo x > /home/user/polled/a.txt; echo y > /home/user/polled/sub/b.txt; rm /home/user/polled/a.txt');
  const seen = [];
  const ok = await waitFor(async () => {
    const g = await rpc(s, 'filesystem.Filesystem/GetWatcherEvents', { watcherId: wid });
    assert.equal(g.status, 200, g.text);
    seen.push(...(g.json.events || []));
    const has = (t, n) => seen.some((e) => e.type === t && e.name === n);
    return has('EVENT_TYPE_CREATE', 'a.txt') && has('EVENT_TYPE_REMOVE', 'a.txt') && has('EVENT_TYPE_CREATE', 'sub/b.txt');
  }, 10000, 200);
  assert.ok(ok, `events: ${JSON.stringify(seen.map((e) => [e.type, e.name]))}`);
  const again = await rpc(s, 'filesystem.Filesystem/GetWatcherEvents', { watcherId: wid });
  assert.deepEqual(again.json.events || [], [], 'events are cleared once fetched');
  assert.equal((await rpc(s, 'filesystem.Filesystem/RemoveWatcher', { watcherId: wid })).status, 200);
  const gone = await rpc(s, 'filesystem.Filesystem/GetWatcherEvents', { watcherId: wid });
  assert.equal(gone.status, 404, 'removed watcher');
  assert.equal(gone.json.code, 'not_found');
});

test('a stream is cut when its sandbox is killed', T, async () => {
  const d = ctx.need();
  const k = await ctx.E.Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(k);
  const h = await k.commands.run('sleep 100', { background: true });
  const t0 = Date.now();
  const waited = h.wait().then(() => 'ended ok', (e) => `ended: ${e.constructor.name}`);
  assert.equal((await d.api('DELETE', `/sandboxes/${k.sandboxId}`)).status, 204);
  const how = await Promise.race([waited, new Promise((r) => setTimeout(() => r('still open'), 10000))]);
  assert.notEqual(how, 'still open', 'the stream stayed open 10 s after the kill');
  assert.notEqual(how, 'ended ok');
  assert.ok(Date.now() - t0 < 10000);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
