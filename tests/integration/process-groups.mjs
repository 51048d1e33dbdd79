// process-groups.mjs - the process groups and sessions of what envd starts, as upstream envd
// gives them (handler.go: a plain exec.Cmd without Setpgid/Setsid; pty.Start for a PTY): a
// command without a PTY stays in the group and session of its starter (boxtopd's init, as
// envd's stay in envd's), all such commands share it; a PTY's shell leads its own session.
// A command's `kill 0` then reaches that group: init survives it, the sandbox keeps working.
// Ending a tree never relies on groups: `boxtop exec`'s Ctrl-C (tests/tui/test_exec_interrupt)
// and SendSignal signal process by process.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('process-groups');
const T = { timeout: 120000 };
// pid, process group and session of the shell envd started (fields 1, 5 and 6 of stat; the
// name in field 2 has no spaces here)
const IDS = "echo IDS $(cut -d' ' -f1,5,6 /proc/$$/stat) $(cut -d' ' -f5,6 /proc/1/stat)";
const ids = (text) => {
  const m = /IDS (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(text);
  assert.ok(m, `no ids in ${JSON.stringify(text)}`);
  const [pid, pgrp, sid, initPgrp, initSid] = m.slice(1).map(Number);
  return { pid, pgrp, sid, initPgrp, initSid };
};

let s;
test('boxtopd starts, a sandbox', T, async () => {
  const d = await ctx.start();
  s = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(s);
});

test('commands without a PTY stay in init\'s process group and session, all of them', T, async () => {
  const a = ids((await s.commands.run(IDS)).stdout);
  const b = ids((await s.commands.run(IDS, { user: 'root' })).stdout);
  for (const x of [a, b]) {
    assert.notEqual(x.pgrp, x.pid, `a group of its own: ${JSON.stringify(x)}`);
    assert.notEqual(x.sid, x.pid, `a session of its own: ${JSON.stringify(x)}`);
    assert.equal(x.pgrp, x.initPgrp, `not init's group: ${JSON.stringify(x)}`);
    assert.equal(x.sid, x.initSid, `not init's session: ${JSON.stringify(x)}`);
  }
  assert.equal(a.pgrp, b.pgrp);
  // a background command too
  const h = await s.commands.run(`${IDS}; sleep 30`, { background: true });
  assert.ok(await waitFor(() => /IDS/.test(h.stdout), 10000, 100), h.stdout);
  const c = ids(h.stdout);
  assert.equal(c.pgrp, a.pgrp);
  await h.kill();
});

test('a PTY\'s shell leads its own session and group', T, async () => {
  let out = '';
  const p = await s.pty.create({ cols: 100, rows: 24, timeoutMs: 0, onData: (x) => (out += new TextDecoder().decode(x)) });
  await s.pty.sendInput(p.pid, new TextEncoder().encode(`${IDS}\n`));
  assert.ok(await waitFor(() => /IDS \d+ \d+ \d+ \d+ \d+/.test(out), 20000, 50), out);
  const x = ids(out.slice(out.lastIndexOf('IDS ')));
  assert.equal(x.pid, p.pid, 'the shell is the PTY process');
  assert.equal(x.sid, x.pid, `not a session leader: ${JSON.stringify(x)}`);
  assert.equal(x.pgrp, x.pid);
  assert.notEqual(x.sid, x.initSid);
  await s.pty.kill(p.pid);
});

test('a command\'s `kill 0` (as root): init survives, the sandbox keeps working', T, async () => {
  for (const sig of ['TERM', 'INT', 'HUP', 'USR1']) {
    await s.commands.run(`kill -${sig} 0`, { user: 'root' }).catch(() => {}); // it signals itself too
    assert.equal((await s.commands.run('echo alive')).stdout, 'alive\n', `after kill -${sig} 0`);
  }
  assert.equal((await s.getInfo()).state, 'running');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
