// sdk-commands.mjs - issue 5 acceptance (processes and PTYs) with the official e2b SDK:
// commands.run output/exit codes, streaming callbacks, background + kill + wait, stdin,
// list, connect after a disconnect, PTY create/sendInput/resize/kill, envd /health, sandbox
// envs with and without sudo.
import { test } from 'node:test';
import { assert, fileContext, rejectsWith } from './lib/common.mjs';
import { http, sleep, waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-commands');
const T = { timeout: 60000 };
let sbx;
const dec = new TextDecoder();
const enc = new TextEncoder();

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { suite: 'sdk-commands' } });
  d.track(sbx);
});

const need = () => {
  if (!sbx) throw new Error('no sandbox (create failed)');
  return sbx;
};

test('envd GET /health → 204 for the sandbox, 502 JSON for an unknown one', T, async () => {
  const d = ctx.need();
  need();
  const ok = await http(d.sandboxUrl + '/health', { headers: { 'E2b-Sandbox-Id': sbx.sandboxId, 'E2b-Sandbox-Port': '49983' } });
  assert.equal(ok.status, 204);
  const bad = await http(d.sandboxUrl + '/health', { headers: { 'E2b-Sandbox-Id': 'inosuchsandbox000000', 'E2b-Sandbox-Port': '49983' } });
  assert.equal(bad.status, 502);
  assert.equal(bad.json && bad.json.code, 502, bad.text);
  assert.equal(bad.json.sandboxId, 'inosuchsandbox000000');
});

test('commands.run: stdout, stderr and exit code 0', T, async () => {
  const r = await need().commands.run('echo out; echo err >&2; printf "x\\ty"');
  assert.equal(r.stdout, 'out\nx\ty');
  assert.equal(r.stderr, 'err\n');
  assert.equal(r.exitCode, 0);
});

test('commands.run: `exit 3` raises CommandExitError with exitCode 3 and the output', T, async () => {
  const { CommandExitError } = ctx.E;
  const e = await rejectsWith(need().commands.run('echo before; echo oops >&2; exit 3'), CommandExitError, 'exit 3');
  assert.equal(e.exitCode, 3);
  assert.equal(e.stdout, 'before\n');
  assert.equal(e.stderr, 'oops\n');
});

test('commands.run defaults and options: user, home, hostname, cwd, envs, root', T, async () => {
  const s = need();
  const r = await s.commands.run('id -un; echo "$HOME"; pwd; hostname');
  assert.deepEqual(r.stdout.trim().split('\n'), ['user', '/home/user', '/home/user', s.sandboxId]);
  const r2 = await s.commands.run('id -u; pwd; echo "$A"', { user: 'root', cwd: '/tmp', envs: { A: 'x y' } });
  assert.deepEqual(r2.stdout.trim().split('\n'), ['0', '/tmp', 'x y']);
  const big = await s.commands.run('head -c 300000 /dev/zero | tr "\\0" a');
  assert.equal(big.stdout.length, 300000, 'large output arrives whole');
});

test('onStdout callbacks arrive while a slow loop runs, not at the end', T, async () => {
  const arrivals = [];
  const t0 = Date.now();
  const r = await need().commands.run('for i in 1 2 3 4 5 6; do echo line$i; sleep 0.3; done', {
    onStdout: (data) => arrivals.push({ t: Date.now(), data }),
  });
  const tEnd = Date.now();
  assert.equal(r.stdout, 'line1\nline2\nline3\nline4\nline5\nline6\n');
  assert.ok(arrivals.length >= 3, `only ${arrivals.length} callbacks`);
  const first = arrivals.find((a) => a.data.includes('line1'));
  assert.ok(first, 'line1 never seen by onStdout');
  assert.ok(tEnd - first.t >= 1000, `line1 arrived ${tEnd - first.t} ms before the end (loop takes 1.8 s)`);
  assert.ok(arrivals[arrivals.length - 1].t - arrivals[0].t >= 1000, 'callbacks all arrived at once');
  assert.ok(first.t - t0 < 1500, `line1 took ${first.t - t0} ms`);
});

test('background: true + kill() + wait()', T, async () => {
  const { CommandExitError } = ctx.E;
  const s = need();
  const h = await s.commands.run('sleep 600', { background: true });
  assert.ok(h.pid > 0, 'pid');
  const listed = await s.commands.list();
  assert.ok(listed.some((p) => p.pid === h.pid), 'running process listed');
  assert.equal(await h.kill(), true, 'kill() → true');
  const t0 = Date.now();
  const e = await rejectsWith(h.wait(), CommandExitError, 'wait() after kill');
  assert.notEqual(e.exitCode, 0);
  assert.ok(Date.now() - t0 < 5000, 'wait() returned promptly');
  const after = await waitFor(async () => !(await s.commands.list()).some((p) => p.pid === h.pid), 5000);
  assert.ok(after, 'killed process still listed');
  assert.equal(await s.commands.kill(h.pid), false, 'killing it again → false');
});

test('stdin: true + sendStdin + closeStdin', T, async () => {
  const s = need();
  const h = await s.commands.run('cat; echo done', { background: true, stdin: true });
  await s.commands.sendStdin(h.pid, 'hello stdin\n');
  await h.sendStdin('second line\n');
  await s.commands.closeStdin(h.pid);
  const r = await h.wait();
  assert.equal(r.stdout, 'hello stdin\nsecond line\ndone\n');
  assert.equal(r.exitCode, 0);
});

test('commands.list shows running processes with cmd, args and cwd', T, async () => {
  const s = need();
  const h = await s.commands.run('sleep 300', { background: true, cwd: '/tmp' });
  const list = await s.commands.list();
  const p = list.find((x) => x.pid === h.pid);
  assert.ok(p, `pid ${h.pid} not in ${JSON.stringify(list)}`);
  assert.equal(typeof p.cmd, 'string');
  assert.ok([p.cmd, ...p.args].join(' ').includes('sleep 300'), `cmd/args: ${p.cmd} ${JSON.stringify(p.args)}`);
  assert.equal(p.cwd, '/tmp');
  await h.kill();
});

test('commands.connect(pid) after a disconnect gets the later output and the exit code', T, async () => {
  const { CommandExitError } = ctx.E;
  const s = need();
  const early = [];
  const h = await s.commands.run('for i in 1 2 3 4 5 6 7 8; do echo tick$i; sleep 0.4; done; exit 7', {
    background: true,
    onStdout: (x) => early.push(x),
  });
  await waitFor(() => early.join('').includes('tick1'), 5000);
  await h.disconnect();
  await sleep(800);
  const late = [];
  const h2 = await s.commands.connect(h.pid, { onStdout: (x) => late.push(x) });
  const e = await rejectsWith(h2.wait(), CommandExitError, 'wait() on the reconnected handle');
  assert.equal(e.exitCode, 7);
  const out = late.join('');
  assert.ok(out.includes('tick8'), `later output missing: ${JSON.stringify(out)}`);
  assert.ok(!out.includes('tick1\n'), 'connect replayed output from before the disconnect');
});

/** The PTY's output as lines of text: escape sequences removed, split at CR and LF. */
const ptyLines = (out) => out.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b[()][A-Z0-9]/g, '').split(/\r\n|\n|\r/);
const ptyHas = (out, line) => ptyLines(out).includes(line);

test('pty.create + sendInput("echo hi\\n") + resize (stty size follows) + kill', T, async () => {
  const s = need();
  let out = '';
  const h = await s.pty.create({ cols: 80, rows: 24, timeoutMs: 0, onData: (d) => (out += dec.decode(d)) });
  assert.ok(h.pid > 0, 'pty pid');
  await s.pty.sendInput(h.pid, enc.encode('echo h""i\n'));
  assert.ok(await waitFor(() => ptyHas(out, 'hi'), 10000), `no "hi" line in ${JSON.stringify(out.slice(-300))}`);
  await s.pty.sendInput(h.pid, enc.encode('stty size; echo "T=$TERM"\n'));
  assert.ok(await waitFor(() => ptyHas(out, '24 80'), 10000), `stty size 24 80 not seen: ${JSON.stringify(out.slice(-300))}`);
  // its own read: "24 80" can arrive before the echo's line does
  assert.ok(await waitFor(() => /T=xterm-256color/.test(out), 10000), 'TERM=xterm-256color in the PTY');
  await s.pty.resize(h.pid, { cols: 100, rows: 30 });
  await s.pty.sendInput(h.pid, enc.encode('stty size\r')); // \r: ICRNL on, as the CLI sends Enter
  assert.ok(await waitFor(() => ptyHas(out, '30 100'), 10000), `stty size 30 100 not seen: ${JSON.stringify(out.slice(-300))}`);
  assert.equal(await s.pty.kill(h.pid), true, 'pty.kill → true');
  const t0 = Date.now();
  await h.wait().catch(() => {});
  assert.ok(Date.now() - t0 < 5000, 'pty handle ended promptly after kill');
  const list = await s.commands.list();
  assert.ok(!list.some((p) => p.pid === h.pid), 'killed pty still listed');
});

test('a command outliving its timeoutMs is killed at the deadline', T, async () => {
  const { CommandExitError, TimeoutError } = ctx.E;
  const t0 = Date.now();
  let err;
  try {
    await need().commands.run('sleep 30', { timeoutMs: 1500 });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof TimeoutError || err instanceof CommandExitError, `got ${err && err.constructor.name}`);
  assert.ok(Date.now() - t0 < 10000, 'deadline not enforced');
  const gone = await waitFor(async () => !(await need().commands.list()).some((p) => [p.cmd, ...p.args].join(' ').includes('sleep 30')), 3000);
  assert.ok(gone, 'the process was still running 3 s after its deadline');
});

// As the upstream js-sdk envVars tests do: sandbox-wide envs reach commands, also through
// the base template's passwordless sudo (issue 14).
test('sandbox envs reach commands, also under sudo; sudo -n works for user', T, async () => {
  const d = ctx.need();
  const s = await ctx.E.Sandbox.create('base', { envs: { FOO: 'bar' }, timeoutMs: 120_000 });
  d.track(s);
  try {
    const r = await s.commands.run('echo "$FOO"');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdout.trim(), 'bar');
    const su = await s.commands.run('sudo echo "$FOO"');
    assert.equal(su.exitCode, 0, su.stderr);
    assert.equal(su.stdout.trim(), 'bar');
    const id = await s.commands.run('sudo -n id -u; sudo -n sh -c \'echo "$SUDO_USER"\'');
    assert.deepEqual(id.stdout.trim().split('\n'), ['0', 'user']);
  } finally {
    await s.kill();
  }
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
