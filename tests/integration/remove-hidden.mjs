// remove-hidden.mjs - the hidden trees envd's Remove deletes off the loop (.boxtopd-rm- and 16
// hex digits, renamed in their own directory; envd/fs_remove.c) are gone for the sandbox:
// a snapshot, a sandbox made from it and a fork never get one (the copy skips them, whatever
// the deletion has got to), other names stay. And a boxtopd restarted after a crash deletes
// such a tree also when its parent directory was renamed meanwhile (the note names the old
// path): it walks the sandbox's writable layer for them. The trees are made by a command in
// the sandbox (the names are boxtopd's, a user can write them too): no timing involved.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('remove-hidden');
const T = { timeout: 180000 };
const H1 = '.boxtopd-rm-0123456789abcdef';
const H2 = '.boxtopd-rm-fedcba9876543210';
const run = async (s, cmd) => {
  const r = await s.commands.run(cmd);
  assert.equal(r.exitCode, 0, `${cmd}: ${r.stderr}`);
  return r.stdout;
};
const hiddenIn = async (s) => (await run(s, "find /home/user -name '.boxtopd-rm-*' | sort")).split('\n').filter(Boolean);
const hostFind = (dir, re, out = []) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (re.test(e.name)) out.push(p);
    if (e.isDirectory() && !e.isSymbolicLink()) hostFind(p, re, out);
  }
  return out;
};

let s;
test('boxtopd starts; a sandbox with hidden trees (and a look-alike that is not one)', T, async () => {
  const d = await ctx.start();
  s = await ctx.E.Sandbox.create('base', { timeoutMs: 600_000 });
  d.track(s);
  await run(s, `mkdir -p /home/user/keep /home/user/a/${H1}/sub /home/user/${H1} /home/user/.boxtopd-rm-mine && ` +
    `echo x > /home/user/a/${H1}/sub/f && echo y > /home/user/${H1}/big && echo k > /home/user/keep/k && ` +
    'echo m > /home/user/.boxtopd-rm-mine/f');
  assert.equal((await hiddenIn(s)).length, 3);
});

test('createSnapshot, a sandbox from it, fork: no hidden tree copied, the rest is', T, async () => {
  const d = ctx.need();
  const want = ['/home/user/.boxtopd-rm-mine'];
  const snap = await s.createSnapshot();
  const snapDirs = fs.readdirSync(path.join(d.stateDir, 'snapshots'));
  const copied = hostFind(path.join(d.stateDir, 'snapshots'), /^\.boxtopd-rm-[0-9a-f]{16}$/);
  assert.deepEqual(copied, [], `in the snapshot (${snapDirs}): ${copied}`);
  const fromSnap = await ctx.E.Sandbox.create(snap.snapshotId, { timeoutMs: 120_000 });
  d.track(fromSnap);
  assert.deepEqual(await hiddenIn(fromSnap), want);
  assert.equal(await run(fromSnap, 'cat /home/user/keep/k /home/user/.boxtopd-rm-mine/f'), 'k\nm\n');
  const [f] = await s.fork();
  assert.ok(f && f.sandboxId, 'a fork');
  const fork = await ctx.E.Sandbox.connect(f.sandboxId);
  d.track(fork);
  assert.deepEqual(await hiddenIn(fork), want);
  assert.equal(await run(fork, 'cat /home/user/keep/k'), 'k\n');
  // the source itself is untouched by the copies
  assert.equal((await hiddenIn(s)).length, 3);
  await fromSnap.kill();
  await fork.kill();
});

test('after a crash, a hidden tree whose parent was renamed is deleted at the next start', T, async () => {
  const d = ctx.need();
  await run(s, `rm -rf /home/user/a /home/user/${H1} && mkdir -p /home/user/old/${H2}/d && ` +
    `echo z > /home/user/old/${H2}/d/f && mv /home/user/old /home/user/new`);
  const st = await d.stop('SIGKILL');
  assert.equal(st.signal, 'SIGKILL');
  // what a Remove of /home/user/old/big left in the note before the crash: the old path
  const note = path.join(d.stateDir, 'runtime', s.sandboxId, 'note-envd-removing');
  fs.writeFileSync(note, `1000 1000 1 /home/user/old/${H2}\n`, { mode: 0o600 });
  await d.restart();
  const again = await ctx.E.Sandbox.connect(s.sandboxId);
  let left = [];
  const gone = await waitFor(async () => {
    left = await hiddenIn(again);
    return left.length === 1 && fs.readFileSync(note, 'utf8') === '';
  }, 60000, 250);
  assert.ok(gone, `left: ${left} note: ${JSON.stringify(fs.readFileSync(note, 'utf8'))}`);
  assert.deepEqual(left, ['/home/user/.boxtopd-rm-mine'], 'a look-alike name stays');
  assert.equal(await run(again, 'ls -A /home/user/new'), '', 'its parent stays, empty');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
