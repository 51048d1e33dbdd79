// fidelity.mjs - less-used calls where boxtopd answered differently from today's E2B; each test
// names the upstream file (e2b-dev/infra, e2b-dev/E2B) whose behaviour it asserts.
import { test } from 'node:test';
import { assert, fileContext, rejectsWith } from './lib/common.mjs';
import { http, waitFor } from './lib/boxtopd.mjs';
import { END_STREAM, frame, readFrames } from '../lib/connect-frames.cjs';

const ctx = fileContext('fidelity');
const T = { timeout: 60000 };
let sbx;
const need = () => {
  if (!sbx) throw new Error('no sandbox (create failed)');
  return sbx;
};
const hdrs = (s, extra = {}) => ({
  'E2b-Sandbox-Id': s.sandboxId,
  'E2b-Sandbox-Port': '49983',
  'X-Access-Token': s.envdAccessToken,
  'Connect-Protocol-Version': '1',
  ...extra,
});
const basic = (user) => 'Basic ' + Buffer.from(`${user}:`).toString('base64');
const rpc = (s, name, body, extra = {}) =>
  http(`${ctx.d.sandboxUrl}/${name}`, { method: 'POST', headers: hdrs(s, { 'Content-Type': 'application/json', ...extra }), body: JSON.stringify(body) });

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(sbx);
});

// envd wraps its handlers in connectrpc.com/authn (infra packages/envd/internal/permissions/
// authenticate.go: "invalid username: '%s'"); its errors go through connect-go's ErrorWriter,
// which answers a streaming call (Content-Type application/connect+json) with HTTP 200 and an
// end-stream frame, a unary one with the HTTP status and {code,message}. Go's
// Request.BasicAuth ignores a header that is not Basic base64(user:pass): the default user.
test('an unknown user: the SDK sees envd\'s message on streams too; a malformed header is no user', T, async () => {
  const s = need();
  const { AuthenticationError } = ctx.E;
  const e = await rejectsWith(s.commands.run('whoami', { user: 'nouserx' }), AuthenticationError, 'run as nouserx');
  assert.match(e.message, /invalid username: 'nouserx'/);
  const p = await rejectsWith(s.pty.create({ cols: 80, rows: 24, user: 'nouserx', onData: () => {} }), AuthenticationError, 'pty as nouserx');
  assert.match(p.message, /invalid username: 'nouserx'/);
  const st = await http(`${ctx.d.sandboxUrl}/process.Process/Start`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json', Authorization: basic('nouserx') }),
    body: frame({ process: { cmd: '/bin/true' } }),
  });
  assert.equal(st.status, 200, 'a streaming call fails inside the stream');
  assert.match(st.headers.get('content-type') || '', /^application\/connect\+json/);
  const fr = readFrames(st.buf);
  assert.equal(fr.length, 1, st.text);
  assert.equal(fr[0].flags & END_STREAM, END_STREAM, 'an end-stream frame');
  assert.deepEqual(fr[0].json.error, { code: 'unauthenticated', message: "invalid username: 'nouserx'" });
  const u = await rpc(s, 'process.Process/List', {}, { Authorization: basic('nouserx') });
  assert.equal(u.status, 401);
  assert.deepEqual(u.json, { code: 'unauthenticated', message: "invalid username: 'nouserx'" });
  const empty = await rpc(s, 'filesystem.Filesystem/Stat', { path: '.' }, { Authorization: basic('') });
  assert.equal(empty.status, 401, 'an empty user name is looked up, and fails');
  assert.equal(empty.json.message, "invalid username: ''");
  for (const bad of ['Basic !!!', 'Bearer abc', 'Basic ' + Buffer.from('user').toString('base64')]) {
    const r = await rpc(s, 'filesystem.Filesystem/Stat', { path: '.' }, { Authorization: bad });
    assert.equal(r.status, 200, `Authorization: ${bad} → ${r.status} ${r.text}`);
    assert.equal(r.json.entry.path, '/home/user', 'the default user');
  }
});

// /files looks the user up itself (infra packages/envd/internal/api/upload.go and download.go:
// user.Lookup, 401 "error looking up user '%s': %w", Go's UnknownUserError text
// "user: unknown user NAME"); a username= that is present but empty is looked up too.
test('/files as an unknown user: 401 with envd\'s lookup text, read and write', T, async () => {
  const s = need();
  const { AuthenticationError } = ctx.E;
  const want = "error looking up user 'nouserx': user: unknown user nouserx";
  const e = await rejectsWith(s.files.read('/etc/hostname', { user: 'nouserx' }), AuthenticationError, 'read as nouserx');
  assert.equal(e.message, want);
  const w = await rejectsWith(s.files.write('/tmp/x.txt', 'x', { user: 'nouserx' }), AuthenticationError, 'write as nouserx');
  assert.equal(w.message, want);
  const r = await http(`${ctx.d.sandboxUrl}/files?path=/tmp/y.txt&username=nouserx`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/octet-stream' }),
    body: 'y',
  });
  assert.equal(r.status, 401);
  assert.deepEqual(r.json, { code: 401, message: want });
  const empty = await http(`${ctx.d.sandboxUrl}/files?path=/etc/hostname&username=`, { headers: hdrs(s) });
  assert.equal(empty.status, 401, `username= → ${empty.status} ${empty.text}`);
  assert.equal(empty.json.message, "error looking up user '': user: unknown user ");
});

// infra packages/envd/internal/api/store.go (GetMetrics), envs.go: Cache-Control: no-store;
// error.go jsonError: application/json; charset=utf-8 and X-Content-Type-Options: nosniff.
test('envd headers: /metrics and /envs are no-store, JSON errors nosniff', T, async () => {
  const s = need();
  for (const p of ['/metrics', '/envs']) {
    const r = await http(`${ctx.d.sandboxUrl}${p}`, { headers: hdrs(s) });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store', p);
  }
  const e = await http(`${ctx.d.sandboxUrl}/files?path=/home/user/nope`, { headers: hdrs(s) });
  assert.equal(e.status, 404);
  assert.equal(e.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(e.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(e.json, { code: 404, message: "path '/home/user/nope' does not exist" });
});

// infra packages/envd/internal/services/process/handler/handler.go (WriteTty, WriteStdin) and
// input.go: input of the wrong kind is CodeInternal with these texts, which the SDK passes on.
test('stdin to a PTY process and PTY input to a pipe process: envd\'s error texts', T, async () => {
  const s = need();
  const cat = await s.commands.run('cat', { background: true, stdin: true });
  const pty = await s.pty.create({ cols: 80, rows: 24, onData: () => {} });
  const toPipe = await s.pty.sendInput(cat.pid, new TextEncoder().encode('x')).then(() => null, (e) => e);
  assert.ok(toPipe, 'PTY input to a pipe process fails');
  assert.match(toPipe.message, /\[internal\] error writing to tty: tty not assigned to process — input should be written to the stdin, not the tty$/);
  const toPty = await s.commands.sendStdin(pty.pid, 'x').then(() => null, (e) => e);
  assert.ok(toPty, 'stdin to a PTY process fails');
  assert.match(toPty.message, /\[internal\] error writing to stdin: tty assigned to process — input should be written to the pty, not the stdin$/);
  await s.commands.kill(cat.pid);
  await s.pty.kill(pty.pid);
});

// infra packages/envd/internal/services/process/handler/handler.go New: every command runs as
// /bin/sh -c 'echo 100 > /proc/$$/oom_score_adj && exec <ionice -c 2 -n 4> <nice -n 0> "${@}"'
// (ionice/nice as found on PATH), so its OOM score is 100, its I/O class best-effort 4, and a
// command that does not exist is a started process that exits 127 with nice's message.
test('commands run through envd\'s wrapper: oom_score_adj 100, ionice best-effort 4, a missing command exits 127', T, async () => {
  const s = need();
  const r = await s.commands.run('cat /proc/self/oom_score_adj; ionice -p $$; nice');
  assert.equal(r.stdout, '100\nbest-effort: prio 4\n0\n');
  const root = await s.commands.run('cat /proc/self/oom_score_adj', { user: 'root' });
  assert.equal(root.stdout, '100\n');
  const st = await http(`${ctx.d.sandboxUrl}/process.Process/Start`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json' }),
    body: frame({ process: { cmd: '/no/such-command', args: ['x'] } }),
  });
  assert.equal(st.status, 200);
  const fr = readFrames(st.buf);
  const ev = fr.map((f) => f.json.event || {});
  assert.ok(ev[0].start && ev[0].start.pid > 0, `a start event: ${st.text}`);
  const err = ev.filter((e) => e.data && e.data.stderr).map((e) => Buffer.from(e.data.stderr, 'base64').toString()).join('');
  assert.equal(err, "/usr/bin/nice: '/no/such-command': No such file or directory\n");
  const end = ev.find((e) => e.end);
  assert.deepEqual(end && end.end, { exitCode: 127, exited: true, status: 'exit status 127', error: 'exit status 127' });
});

// infra packages/envd/internal/services/process/handler/handler.go New: the environment is PATH,
// HOME, USER, LOGNAME, envd's defaults (E2B_*, the sandbox's envs) and the request's envs —
// nothing else, also for a PTY (the SDK's pty.create sends TERM, LANG, LC_ALL itself).
test('a PTY started without envs gets no TERM or LANG from envd', T, async () => {
  const s = need();
  const st = await http(`${ctx.d.sandboxUrl}/process.Process/Start`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json' }),
    body: frame({ process: { cmd: '/bin/sh', args: ['-c', 'echo "T=${TERM-unset} L=${LANG-unset} H=$HOME"'] }, pty: { size: { cols: 80, rows: 24 } } }),
  });
  const out = readFrames(st.buf).map((f) => f.json.event || {}).filter((e) => e.data && e.data.pty).map((e) => Buffer.from(e.data.pty, 'base64').toString()).join('');
  assert.equal(out, 'T=unset L=unset H=/home/user\r\n');
});

// infra packages/envd/internal/services/process/service.go getProcess: a selector with neither
// pid nor tag falls to "invalid input type %T" (CodeUnimplemented); start.go/handler.go: a Start
// without a command still starts the wrapper, which exits 127.
test('no process selector: unimplemented "invalid input type"; a Start without cmd exits 127', T, async () => {
  const s = need();
  const want = { code: 'unimplemented', message: 'invalid input type *process.ProcessSelector' };
  for (const [m, body] of [['SendSignal', { signal: 'SIGNAL_SIGKILL' }], ['CloseStdin', { process: {} }], ['SendInput', { process: null, input: { stdin: 'eA==' } }]]) {
    const r = await rpc(s, `process.Process/${m}`, body);
    assert.equal(r.status, 501, `${m}: ${r.status} ${r.text}`);
    assert.deepEqual(r.json, want);
  }
  const bad = await rpc(s, 'process.Process/SendInput', { input: { stdin: '!!' } });
  assert.equal(bad.json.code, 'invalid_argument', 'the message is decoded first');
  const c = await http(`${ctx.d.sandboxUrl}/process.Process/Connect`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json' }),
    body: frame({ process: {} }),
  });
  assert.deepEqual(readFrames(c.buf).map((f) => f.json), [{ error: want }]);
  const st = await http(`${ctx.d.sandboxUrl}/process.Process/Start`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json' }),
    body: frame({}),
  });
  const ev = readFrames(st.buf).map((f) => f.json.event || {});
  assert.ok(ev[0].start, st.text);
  const err = ev.filter((e) => e.data && e.data.stderr).map((e) => Buffer.from(e.data.stderr, 'base64').toString()).join('');
  assert.equal(err, "/usr/bin/nice: '': No such file or directory\n");
  assert.equal(ev.find((e) => e.end).end.exitCode, 127);
});

// envd's filesystem errors end in Go's error chain, which the SDK shows as is: utils.go
// entryInfo ("file not found: " + os.Lstat's PathError), dir.go followSymlink ("path not found: "
// + filepath.EvalSymlinks' error, naming the first missing component after the symlinks before
// it), move.go ("source file not found: " + os.Rename's LinkError), watch.go/watch_sync.go
// ("path %s not found: %w" of os.Stat, and "path %s not a directory: %w" of a nil error, which
// Go's fmt prints as %!w(<nil>)).
test('filesystem not-found errors carry envd\'s Go error texts', T, async () => {
  const s = need();
  const msg = (p) => p.then(() => 'no error', (e) => `${e.constructor.name}: ${e.message}`);
  const nf = (t) => `FileNotFoundError: [not_found] ${t}`;
  assert.equal(await msg(s.files.getInfo('/home/user/nope')), nf('file not found: lstat /home/user/nope: no such file or directory'));
  assert.equal(await s.files.exists('/home/user/nope'), false);
  assert.equal(await msg(s.files.list('/home/user/nope/deeper')), nf('path not found: lstat /home/user/nope: no such file or directory'));
  await s.files.makeDir('/home/user/realdir');
  await s.commands.run('ln -sfn /home/user/realdir /home/user/lnk');
  assert.equal(await msg(s.files.list('/home/user/lnk/missing/x')), nf('path not found: lstat /home/user/realdir/missing: no such file or directory'));
  assert.equal(await msg(s.files.rename('/home/user/nope', '/home/user/n2')), nf('source file not found: rename /home/user/nope /home/user/n2: no such file or directory'));
  assert.equal(await msg(s.files.watchDir('/home/user/nope', () => {})), nf('path /home/user/nope not found: stat /home/user/nope: no such file or directory'));
  assert.equal(await msg(s.files.watchDir('/etc/passwd', () => {})), 'InvalidArgumentError: [invalid_argument] path /etc/passwd not a directory: %!w(<nil>)');
});

// infra packages/envd/internal/services/process/input.go streamInputHandler: the start event
// looks the process up at once (getProcess: not_found for an unknown pid), keepalives are
// skipped, any other event is unimplemented "invalid event type %T" (<nil> for an empty one).
test('StreamInput: an unknown pid in the start event is not_found; an empty event is unimplemented', T, async () => {
  const s = need();
  let out = '';
  const h = await s.commands.run('cat', { background: true, stdin: true, onStdout: (x) => (out += x) });
  const call = (msgs) => http(`${ctx.d.sandboxUrl}/process.Process/StreamInput`, {
    method: 'POST',
    headers: hdrs(s, { 'Content-Type': 'application/connect+json' }),
    body: Buffer.concat(msgs.map((m) => frame(m))),
  }).then((r) => readFrames(r.buf).map((f) => f.json));
  const ok = await call([{ start: { process: { pid: h.pid } } }, { keepalive: {} }, { data: { input: { stdin: Buffer.from('streamed\n').toString('base64') } } }]);
  assert.deepEqual(ok, [{}, {}], 'one response message and a clean end');
  assert.ok(await waitFor(() => out === 'streamed\n', 5000), `cat echoed ${JSON.stringify(out)}`);
  assert.deepEqual(await call([{ start: { process: { pid: 999999 } } }]), [{ error: { code: 'not_found', message: 'process with pid 999999 not found' } }]);
  assert.deepEqual(await call([{ start: { process: { pid: h.pid } } }, {}]), [{ error: { code: 'unimplemented', message: 'invalid event type <nil>' } }]);
  await s.commands.kill(h.pid);
});

// infra packages/envd/internal/services/process/handler/handler.go: Wait() first waits for
// outCtx, which ends when every output reader hit EOF (or on SendSignal KILL/TERM, or the
// request timeout), and only then sends the end event and (service.go finalizeTermination)
// drops the process from List. So a background child that inherited stdout keeps the command
// running in E2B: its later output arrives, List and Connect still find the process.
test('a background child holding stdout: the command ends when the output closes, as in E2B', T, async () => {
  const s = need();
  const t0 = Date.now();
  const r = await s.commands.run('(sleep 2; echo late) & echo early', { timeoutMs: 30000 });
  const ms = Date.now() - t0;
  assert.equal(r.stdout, 'early\nlate\n', 'the child\'s later output is part of the command');
  assert.equal(r.exitCode, 0);
  assert.ok(ms >= 1800, `ended after ${ms} ms, before the child closed stdout`);

  let out = '';
  const h = await s.commands.run('(sleep 60; echo never) & echo started', { background: true, onStdout: (x) => (out += x) });
  await waitFor(() => out === 'started\n', 10000);
  const gone = await waitFor(async () => (await s.commands.run(`test -d /proc/${h.pid} && echo alive || echo gone`)).stdout === 'gone\n', 10000, 200);
  assert.ok(gone, 'the shell itself has exited');
  const listed = (await s.commands.list()).map((p) => p.pid);
  assert.ok(listed.includes(h.pid), `List still shows ${h.pid}: ${JSON.stringify(listed)}`);
  const again = await s.commands.connect(h.pid);
  assert.equal(again.pid, h.pid, 'Connect by pid attaches');
  assert.equal(await s.commands.kill(h.pid), true, 'kill answers true');
  const end = await Promise.race([again.wait().then((x) => x, (e) => e), new Promise((res) => setTimeout(() => res('still open'), 10000))]);
  assert.notEqual(end, 'still open', 'SIGKILL ends it at once');
  assert.equal(end.exitCode, 0, 'the end carries the shell\'s own exit');
  await waitFor(async () => !(await s.commands.list()).some((p) => p.pid === h.pid), 5000);
  assert.ok(!(await s.commands.list()).some((p) => p.pid === h.pid), 'gone from List');
});

// infra packages/api/internal/utils/sandboxes_list.go parseFilters: the metadata filter is
// split on '&' and every piece must be exactly key=value, so a bare key, a trailing '&' or a
// present-but-empty filter is a 400 — "Error parsing metadata" on v2 (handlers/
// sandboxes_list.go GetV2Sandboxes), "Error parsing metadata: <why>" on v1. The pinned SDK
// sends metadata= for `metadata: {}` and so gets that 400 from E2B too.
test('list: a malformed metadata filter is 400 "Error parsing metadata", as in the API', T, async () => {
  const d = ctx.need();
  for (const m of ['a', 'a=1&', 'a=b=c', '']) {
    const r = await d.api('GET', `/v2/sandboxes?metadata=${encodeURIComponent(m)}`);
    assert.equal(r.status, 400, `v2 metadata=${JSON.stringify(m)} → ${r.status} ${r.text}`);
    assert.deepEqual(r.json, { code: 400, message: 'Error parsing metadata' });
    const v1 = await d.api('GET', `/sandboxes?metadata=${encodeURIComponent(m)}`);
    assert.equal(v1.status, 400, `v1 metadata=${JSON.stringify(m)} → ${v1.status}`);
    assert.deepEqual(v1.json, { code: 400, message: 'Error parsing metadata: error parsing metadata: invalid key value pair in query' });
  }
  const ok = await d.api('GET', `/v2/sandboxes?metadata=${encodeURIComponent('a=1&b=x%20y')}`);
  assert.equal(ok.status, 200, ok.text);
  const e = await ctx.E.Sandbox.list({ query: { metadata: {} } }).nextItems().then(() => null, (x) => x);
  assert.ok(e, 'the SDK with metadata: {} fails');
  assert.match(e.message, /Error parsing metadata/);
  const items = await ctx.E.Sandbox.list({ query: { metadata: { nope: 'x' } } }).nextItems();
  assert.deepEqual(items, []);
});

// infra packages/api/internal/handlers/sandbox_pause.go (pauseHandleNotRunningSandbox: 409
// "Error pausing sandbox - sandbox '<id>' is already paused") and sandbox_resume.go (409
// "Sandbox <id> is already running", no quotes); the SDK's pause() turns the 409 into false.
test('pause of a paused and resume of a running sandbox: 409 with the API\'s texts', T, async () => {
  const d = ctx.need();
  const s = await ctx.E.Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  const r = await d.api('POST', `/sandboxes/${s.sandboxId}/resume`, { body: { timeout: 60 } });
  assert.equal(r.status, 409);
  assert.deepEqual(r.json, { code: 409, message: `Sandbox ${s.sandboxId} is already running` });
  assert.equal(await s.pause(), true);
  assert.equal(await s.pause(), false, 'the SDK reads the 409 as "already paused"');
  const p = await d.api('POST', `/sandboxes/${s.sandboxId}/pause`, { body: {} });
  assert.equal(p.status, 409);
  assert.deepEqual(p.json, { code: 409, message: `Error pausing sandbox - sandbox '${s.sandboxId}' is already paused` });
  await ctx.E.Sandbox.kill(s.sandboxId);
});

// In E2B a volume is an NFS mount (infra packages/envd/internal/api/init.go mountNFS), and envd
// refuses to watch a path on a network filesystem unless allowNetworkMounts is set
// (services/filesystem/watch.go and watch_sync.go: IsPathOnNetworkMount →
// "cannot watch path on network filesystem: %s"). boxtopd's volumes are local bind mounts, so it
// refuses by the sandbox's volume mounts instead.
test('a volume: makeDir and deep writes work as the user; watching it needs allowNetworkMounts, as on E2B\'s NFS volumes', T, async () => {
  const d = ctx.need();
  const { Sandbox, Volume, InvalidArgumentError } = ctx.E;
  const vol = await Volume.create(`fid-${Date.now().toString(36)}`);
  const s = await Sandbox.create('base', { timeoutMs: 120_000, volumeMounts: { '/mnt/vol': vol } });
  d.track(s);
  try {
    const made = await s.files.makeDir('/mnt/vol/sub'); // a volume is an idmapped mount here
    assert.equal(made, true);
    const sub = await s.files.getInfo('/mnt/vol/sub');
    assert.equal(sub.owner, 'user');
    await s.files.write('/mnt/vol/deep/er/f.txt', 'f');
    assert.equal((await s.commands.run('stat -c %U /mnt/vol/deep/er /mnt/vol/deep/er/f.txt')).stdout, 'user\nuser\n');
    for (const p of ['/mnt/vol', '/mnt/vol/sub']) {
      const e = await rejectsWith(s.files.watchDir(p, () => {}), InvalidArgumentError, `watchDir ${p}`);
      assert.equal(e.message, `[invalid_argument] cannot watch path on network filesystem: ${p}`);
    }
    const c = await rpc(s, 'filesystem.Filesystem/CreateWatcher', { path: '/mnt/vol' });
    assert.deepEqual(c.json, { code: 'invalid_argument', message: 'cannot watch path on network filesystem: /mnt/vol' });
    const outside = await s.files.watchDir('/mnt', () => {});
    await outside.stop();
    const seen = [];
    const w = await s.files.watchDir('/mnt/vol', (ev) => seen.push(ev.name), { allowNetworkMounts: true });
    await s.files.write('/mnt/vol/x.txt', 'x');
    assert.ok(await waitFor(() => seen.includes('x.txt'), 10000), `events: ${JSON.stringify(seen)}`);
    await w.stop();
  } finally {
    await Sandbox.kill(s.sandboxId);
    await Volume.destroy(vol.volumeId).catch(() => {});
  }
});

// infra packages/api/internal/orchestrator/keep_alive.go KeepAliveFor: /timeout and /refreshes
// set the end to now + seconds capped at the max instance length from the start
// (getMaxAllowedTTL); "Max instance length exceeded" is only for a sandbox already past it.
test('setTimeout beyond the max instance length is capped, not refused', T, async () => {
  const d = ctx.need();
  const s = await ctx.E.Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  await s.setTimeout(30 * 3600 * 1000); // 30 h against boxtopd's 24 h
  const info = await s.getInfo();
  const len = info.endAt.getTime() - info.startedAt.getTime();
  assert.ok(Math.abs(len - 24 * 3600 * 1000) < 3000, `endAt - startedAt = ${len} ms, not the 24 h cap`);
  const r = await d.api('POST', `/sandboxes/${s.sandboxId}/timeout`, { body: { timeout: 100 * 3600 } });
  assert.equal(r.status, 204, r.text);
  await ctx.E.Sandbox.kill(s.sandboxId);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
