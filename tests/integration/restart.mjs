// restart.mjs - issue 4 durability: create a sandbox, write a file, stop boxtopd with SIGTERM
// (then, in a second round, SIGKILL), start it again on the same state dir: the sandbox is
// listed, connect brings it back running with the file intact, a killed sandbox stays gone.
// Issue 15: after the SIGKILL the processes started before it (a PTY shell, a piped `cat`, a
// background command) are listed again and Connect by pid reaches them: the sandbox's init
// kept their pty master and pipe ends.
import { test } from 'node:test';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { assert, fileContext } from './lib/common.mjs';
import { http } from './lib/boxtopd.mjs';

const ctx = fileContext('restart');
const enc = new TextEncoder();
const dec = new TextDecoder();

async function waitFor(cond, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}
const T = { timeout: 90000 };
const rounds = {};

async function prepare(label) {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const keep = await Sandbox.create('base', { timeoutMs: 600_000, metadata: { round: label } });
  d.track(keep);
  const gone = await Sandbox.create('base', { timeoutMs: 600_000, metadata: { round: label + '-killed' } });
  d.track(gone);
  await gone.kill();
  const r = (rounds[label] = { id: keep.sandboxId, gone: gone.sandboxId });
  r.content = randomBytes(4096).toString('base64');
  await keep.files.write('/home/user/persist.txt', r.content);
  await keep.commands.run('mkdir -p /home/user/dir/sub && echo deep > /home/user/dir/sub/f');
  r.bgPid = (await keep.commands.run('sleep 900', { background: true })).pid;
  await keep.commands.run('echo persisted-output-' + label + '; exit 0');
  if (label !== 'kill') return;
  const pty = await keep.pty.create({ cols: 80, rows: 24, timeoutMs: 0, onData: () => {} });
  r.ptyPid = pty.pid;
  // printed while boxtopd is down (the test signals the shell after the SIGKILL, from the
  // host): it waits in the pty for whoever connects next
  r.tok = String(900000 + Math.floor(Math.random() * 99999));
  await keep.pty.sendInput(r.ptyPid, enc.encode(`trap 'echo WHILE-DOWN-$((6*7))' USR1; sleep ${r.tok} & wait $!; kill $!\n`));
  const cat = await keep.commands.run('cat', { background: true, stdin: true, timeoutMs: 0 });
  r.catPid = cat.pid;
  // a time limit must outlive the crash: killed at its deadline, not before, not never; 20 s
  // leaves the crash and restart (< 1 s, a few under load) far inside it (40 s: 40 s of waiting)
  r.timedLimit = 20000;
  r.timedStart = Date.now();
  r.timedPid = (await keep.commands.run('sleep 600', { background: true, timeoutMs: r.timedLimit })).pid;
  // the last operation before the crash is one whose process ended: no adopted process holds it
  await keep.commands.run('echo last-op-before-crash');
}

async function opOf(label, message) {
  const d = ctx.need();
  const r = rounds[label];
  const res = await http(`${d.apiUrl}/sandboxes/${r.id}/logs?limit=100000`, { headers: { 'X-API-Key': d.apiKey } });
  assert.equal(res.status, 200, res.text);
  const out = res.json.logs.map((l) => JSON.parse(l.line)).find((l) => l.event_type === 'process_output' && l.message === message);
  assert.ok(out && out.operation_id, `an output line of ${message} with its operation_id`);
  return +out.operation_id;
}

// envd's process lines survive the restart (issue 16): the raw v1 line keeps process_result,
// the output line is still there
async function verifyProcessLogs(label) {
  const d = ctx.need();
  const r = rounds[label];
  const res = await http(`${d.apiUrl}/sandboxes/${r.id}/logs?limit=100000`, { headers: { 'X-API-Key': d.apiKey } });
  assert.equal(res.status, 200, res.text);
  const lines = res.json.logs.map((l) => JSON.parse(l.line));
  const out = lines.find((l) => l.event_type === 'process_output' && l.message === 'persisted-output-' + label);
  assert.ok(out, 'the output line is kept');
  const end = lines.find((l) => l.event_type === 'process_end' && l.pid === out.pid && l.operation_id === out.operation_id);
  assert.ok(end, 'the process_end line is kept');
  assert.deepEqual(end.process_result, { exited: true, status: 'exit status 0' });
}

async function verify(label) {
  const { Sandbox } = ctx.E;
  const r = rounds[label];
  assert.ok(r, `round ${label} was not prepared`);
  const listed = [];
  const p = Sandbox.list({ query: { state: ['running', 'paused'], metadata: { round: label } } });
  while (p.hasNext) listed.push(...(await p.nextItems()));
  assert.deepEqual(listed.map((s) => s.sandboxId), [r.id], 'listed after restart');
  assert.ok(['running', 'paused'].includes(listed[0].state), `state ${listed[0].state}`);
  const killed = [];
  const p2 = Sandbox.list({ query: { state: ['running', 'paused'], metadata: { round: label + '-killed' } } });
  while (p2.hasNext) killed.push(...(await p2.nextItems()));
  assert.deepEqual(killed, [], 'a killed sandbox came back');
  const s = await Sandbox.connect(r.id);
  ctx.need().track(s);
  assert.equal((await s.getInfo()).state, 'running');
  assert.equal(await s.files.read('/home/user/persist.txt'), r.content, 'file intact');
  assert.equal((await s.commands.run('cat /home/user/dir/sub/f')).stdout, 'deep\n');
  assert.equal((await s.commands.run('hostname')).stdout.trim(), r.id, 'hostname');
  r.handle = s;
  await verifyProcessLogs(label);
}

test('boxtopd starts', T, async () => {
  await ctx.start();
});

test('SIGTERM: sandbox created, file written, boxtopd exits 0', T, async () => {
  try {
    await prepare('term');
  } finally {
    var st = await ctx.need().stop('SIGTERM'); // eslint-disable-line no-var
  }
  assert.equal(st.forced, false, 'boxtopd ignored SIGTERM');
  assert.equal(st.code, 0, `exit ${JSON.stringify(st)}`);
});

test('SIGTERM: after a restart the sandbox is listed, connect → running, file intact', T, async () => {
  const d = ctx.need();
  await d.restart();
  await verify('term');
});

// The host pid of the process whose argv is exactly argv (/proc: the sandbox's own pid
// namespace hides it from the API), or 0.
function hostPid(argv) {
  const want = argv.join('\0') + '\0';
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8') === want) return +e;
    } catch { /* gone meanwhile */ }
  }
  return 0;
}
const parentOf = (pid) => +fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^PPid:\s+(\d+)/m)[1];

test('SIGKILL: sandbox created, file written, boxtopd killed', T, async () => {
  try {
    await prepare('kill');
  } finally {
    var st = await ctx.need().stop('SIGKILL'); // eslint-disable-line no-var
  }
  assert.equal(st.signal, 'SIGKILL');
  // boxtopd is gone: the PTY shell prints now (its trap), and ends its sleep once it has
  const r = rounds.kill;
  let sleeper = 0;
  await waitFor(() => (sleeper = hostPid(['sleep', r.tok])) > 0, "the PTY shell's sleep");
  process.kill(parentOf(sleeper), 'SIGUSR1');
  await waitFor(() => hostPid(['sleep', r.tok]) === 0, 'the PTY shell to print while boxtopd is down');
});

test('SIGKILL: after a restart the sandbox is listed, connect → running, file intact', T, async () => {
  const d = ctx.need();
  await d.restart();
  await verify('kill');
});

test('SIGKILL: the sandbox\'s processes survived the crash and were adopted', T, async () => {
  const r = rounds.kill;
  assert.ok(r && r.handle, 'round not verified');
  const list = await r.handle.commands.run(`kill -0 ${r.bgPid} && echo alive || echo dead`);
  assert.equal(list.stdout.trim(), 'alive', 'background process after crash + restart');
});

test('SIGKILL: its PTY shell and piped command are listed and answer through Connect by pid', T, async () => {
  const r = rounds.kill;
  assert.ok(r && r.handle, 'round not verified');
  const s = r.handle;
  const procs = await s.commands.list();
  const pids = procs.map((p) => p.pid);
  for (const pid of [r.bgPid, r.ptyPid, r.catPid]) assert.ok(pids.includes(pid), `pid ${pid} listed: ${JSON.stringify(procs)}`);
  const bg = procs.find((p) => p.pid === r.bgPid);
  assert.ok([bg.cmd, ...bg.args].join(' ').includes('sleep 900'), `config kept: ${JSON.stringify(bg)}`);

  let out = '';
  const sh = await s.pty.connect(r.ptyPid, { timeoutMs: 0, onData: (d) => { out += dec.decode(d); } });
  await s.pty.sendInput(r.ptyPid, enc.encode('echo AFTER-$((2+3))\n'));
  await waitFor(() => out.includes('AFTER-5'), 'the shell to answer after the restart');
  assert.ok(out.includes('WHILE-DOWN-42'), `what the shell printed while boxtopd was down: ${JSON.stringify(out)}`);

  let cout = '';
  const c = await s.commands.connect(r.catPid, { timeoutMs: 0, onStdout: (d) => { cout += d; } });
  await s.commands.sendStdin(r.catPid, 'piped-after-restart\n');
  await waitFor(() => cout.includes('piped-after-restart'), 'cat to echo its stdin');
  await s.commands.closeStdin(r.catPid); // cat ends only if init let go of its stdin copy too
  const res = await c.wait();
  assert.equal(res.exitCode, 0);
  await s.pty.kill(r.ptyPid);
  await sh.wait().catch(() => {});
});

test('SIGKILL: an adopted process keeps its time limit', { timeout: 180000 }, async () => {
  const r = rounds.kill;
  assert.ok(r && r.handle, 'round not verified');
  const alive = async () => (await r.handle.commands.list()).some((p) => p.pid === r.timedPid);
  const deadline = r.timedStart + r.timedLimit;
  if (Date.now() < deadline - 3000) assert.ok(await alive(), 'killed long before its deadline');
  while ((await alive()) && Date.now() < deadline + 60000) await new Promise((res) => setTimeout(res, 250));
  assert.ok(!(await alive()), `still running 60 s after its ${r.timedLimit} ms limit ended`);
  assert.ok(Date.now() >= deadline - 2000, 'killed before its deadline');
});

test('SIGKILL: operation ids continue after the restart, none is handed out again', T, async () => {
  const d = ctx.need();
  const r = rounds.kill;
  assert.ok(r && r.handle, 'round not verified');
  const before = await opOf('kill', 'last-op-before-crash');
  await r.handle.commands.run('echo first-op-after-restart');
  const after = await opOf('kill', 'first-op-after-restart');
  assert.ok(after > before, `operation id ${after} after the restart, ${before} before it`);
  // every process started in this sandbox, before and after the crash, has its own id
  const res = await http(`${d.apiUrl}/sandboxes/${r.id}/logs?limit=100000`, { headers: { 'X-API-Key': d.apiKey } });
  const pidsOf = new Map();
  for (const l of res.json.logs.map((x) => JSON.parse(x.line))) {
    if (l.event_type !== 'process_end' || !l.operation_id) continue;
    if (!pidsOf.has(l.operation_id)) pidsOf.set(l.operation_id, new Set());
    pidsOf.get(l.operation_id).add(l.pid);
  }
  assert.ok(pidsOf.size >= 3, `process_end lines: ${pidsOf.size}`);
  for (const [op, pids] of pidsOf) assert.equal(pids.size, 1, `operation id ${op} used by processes ${[...pids]}`);
});

test('the first round\'s sandbox still works after the second restart', T, async () => {
  const { Sandbox } = ctx.E;
  const s = await Sandbox.connect(rounds.term.id);
  assert.equal(await s.files.read('/home/user/persist.txt'), rounds.term.content);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
