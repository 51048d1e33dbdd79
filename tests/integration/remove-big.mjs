// remove-big.mjs - envd's filesystem Remove of a big tree runs off boxtopd's loop: while a
// child of boxtopd (named boxtopd-rm) deletes the big tree an agent wrote, other API
// calls and another sandbox's envd calls are answered; the path is gone at once (not found,
// not listed), the answer comes when the tree is deleted and nothing is left. What cannot be
// deleted stays at the path with os.RemoveAll's error; a watcher sees a removal; a boxtopd
// SIGKILLed midway deletes the rest at its next start, and the path stays gone.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { dead, envdHeaders, http, waitFor } from './lib/boxtopd.mjs';
import { apiCall, childrenNamed, duringChild, envdCall } from './lib/loop-free.mjs';
import { writeTree } from './lib/bigtree.mjs';

const ctx = fileContext('remove-big');
const T = { timeout: 600000 }; // writing the trees takes minutes on a loaded machine
// x 1000 empty files in each tree: the Remove must outlast >= 3 calls (~10 ms apart) and a
// look at the path mid-way, and a SIGKILL sent once the child is seen must land mid-deletion;
// 20 000 took 0.5 s with 20 calls answered on the shared machine. 100 000 (and 60 000 for the
// SIGKILL) made this suite ~1 min, mostly writing the trees
const DIRS = 20;
const HIDDEN = '.boxtopd-rm-';

const homeNames = async (s) => (await s.commands.run('ls -A /home/user')).stdout.split('\n').filter(Boolean);
const notes = (d, s) => {
  try {
    return fs.readFileSync(path.join(d.stateDir, 'runtime', s.sandboxId, 'note-envd-removing'), 'utf8');
  } catch {
    return '';
  }
};
const removeRaw = (d, s, p) =>
  http(`${d.sandboxUrl}/filesystem.Filesystem/Remove`, {
    method: 'POST',
    headers: envdHeaders(s, { 'Content-Type': 'application/json' }),
    body: JSON.stringify({ path: p }),
    timeoutMs: 300000,
  });

let s, other;
test('boxtopd starts, two sandboxes', T, async () => {
  const d = await ctx.start();
  s = await ctx.E.Sandbox.create('base', { timeoutMs: 1_800_000 });
  d.track(s);
  other = await ctx.E.Sandbox.create('base', { timeoutMs: 1_800_000 });
  d.track(other);
});

test(`Remove of ${DIRS} 000 files: deleted off the loop, the path gone at once, nothing left`, T, async () => {
  const d = ctx.need();
  await writeTree(s, '/home/user/big', DIRS);
  let midway = 0;
  await duringChild(
    d,
    'boxtopd-rm',
    () => s.files.remove('/home/user/big', { requestTimeoutMs: 300_000 }),
    [() => apiCall(d), () => envdCall(other)],
    'remove',
    async () => {
      // checked while the same child still runs: the path is gone, its hidden name not listed
      assert.equal(await other.files.exists('/home/user'), true);
      assert.equal(await s.files.exists('/home/user/big'), false, 'the path is gone at once');
      const names = (await s.files.list('/home/user')).map((e) => e.name);
      assert.ok(!names.some((n) => n === 'big' || n.startsWith(HIDDEN)), `listed: ${names}`);
      assert.match(notes(d, s), /\.boxtopd-rm-[0-9a-f]{16}\n/, 'noted until deleted');
      midway++;
    },
  );
  assert.ok(midway > 0, 'seen while the child ran');
  assert.deepEqual((await homeNames(s)).filter((n) => n === 'big' || n.startsWith(HIDDEN)), [], 'nothing left');
  assert.equal(notes(d, s), '', 'the note is empty again');
});

test('what cannot be deleted stays at the path, with the error; then it can be', T, async () => {
  const r = await s.commands.run(
    'mkdir -p /home/user/locked/sub && touch /home/user/locked/a /home/user/locked/sub/x /home/user/locked/sub/y && chmod 555 /home/user/locked/sub',
  );
  assert.equal(r.exitCode, 0);
  let err;
  try {
    await s.files.remove('/home/user/locked');
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'Remove failed');
  assert.match(err.message, /error removing file or directory: .*permission denied/i);
  assert.equal((await s.commands.run('ls -A /home/user/locked/sub | tr "\\n" " "')).stdout, 'x y ', 'the rest is at the path');
  assert.deepEqual((await homeNames(s)).filter((n) => n.startsWith(HIDDEN)), [], 'no hidden name left');
  await s.commands.run('chmod 755 /home/user/locked/sub');
  await s.files.remove('/home/user/locked');
  assert.equal(await s.files.exists('/home/user/locked'), false);
});

test('a big file is removed too, nothing left', T, async () => {
  assert.equal((await s.commands.run('head -c 67108864 /dev/zero > /home/user/f64 && ls -s --block-size=1M /home/user/f64')).exitCode, 0);
  await s.files.remove('/home/user/f64');
  assert.equal(await s.files.exists('/home/user/f64'), false);
  assert.deepEqual((await homeNames(s)).filter((n) => n.startsWith(HIDDEN)), [], 'no hidden name left');
});

test('a watcher sees the tree removed, never its hidden name', T, async () => {
  await s.commands.run('mkdir -p /home/user/w/d && touch /home/user/w/1 /home/user/w/d/2');
  const events = [];
  const h = await s.files.watchDir('/home/user', (ev) => events.push(ev), { recursive: true });
  try {
    await s.files.remove('/home/user/w');
    assert.ok(await waitFor(() => events.some((e) => e.name === 'w' && e.type === 'remove'), 10000), JSON.stringify(events));
    assert.ok(!events.some((e) => e.name.includes(HIDDEN) || e.type === 'rename'), JSON.stringify(events));
  } finally {
    await h.stop();
  }
});

test('boxtopd SIGKILLed mid-removal: the path stays gone, the rest is deleted at the next start', T, async () => {
  const d = ctx.need();
  await writeTree(s, '/home/user/big2', DIRS);
  const p = removeRaw(d, s, '/home/user/big2');
  p.catch(() => {});
  const kid = await waitFor(() => childrenNamed(d, 'boxtopd-rm')[0], 30000, 5);
  assert.ok(kid, 'a boxtopd-rm child runs');
  const st = await d.stop('SIGKILL');
  assert.equal(st.signal, 'SIGKILL');
  assert.ok(await waitFor(() => dead(kid), 30000), 'the child died with boxtopd');
  assert.match(notes(d, s), /\.boxtopd-rm-/, 'killed in the middle: the hidden tree is noted');
  await d.restart();
  const again = await ctx.E.Sandbox.connect(s.sandboxId);
  assert.equal(await again.files.exists('/home/user/big2'), false, 'the path stays gone');
  assert.ok(
    await waitFor(async () => notes(d, s) === '' && !(await homeNames(again)).some((n) => n.startsWith(HIDDEN)), 180000, 200),
    `left: ${await homeNames(again)} note: ${notes(d, s)}`,
  );
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
