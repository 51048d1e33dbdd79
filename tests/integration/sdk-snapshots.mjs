// sdk-snapshots.mjs - issue 21: snapshots and fork through the official SDK, in the spirit of
// upstream's js-sdk tests (sandbox/snapshot, snapshot-api, fork): a file written before the
// snapshot is in every sandbox made from it, those sandboxes are independent, the list and
// its filters find it, delete returns true then false, snapshots survive a restart; fork xN
// gives N new sandboxes with the source's files, writes stay apart, and the error cases.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { assert, fileContext, rejectsWith, uniq } from './lib/common.mjs';
import { dirBytes } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-snapshots');
const T = { timeout: 90000 };
let src;
const need = () => {
  if (!src) throw new Error('no sandbox (create failed)');
  return src;
};
const run = async (s, cmd) => (await s.commands.run(cmd)).stdout;
const all = async (paginator) => {
  const out = [];
  while (paginator.hasNext) out.push(...(await paginator.nextItems()));
  return out;
};

test('boxtopd starts and a source sandbox with files is created', T, async () => {
  const d = await ctx.start();
  src = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { role: 'source' } });
  d.track(src);
  await src.files.write('/home/user/keep.txt', 'before snapshot');
  await run(src, 'mkdir -p /home/user/proj && echo data > /home/user/proj/a && rm -f /home/user/.bashrc; echo root-made > /tmp/t');
});

test('createSnapshot → Sandbox.create(snapshotId) has the file; two such sandboxes are independent', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const snap = await need().createSnapshot();
  assert.match(snap.snapshotId, /^[a-z0-9]{20}:default$/);
  assert.deepEqual(snap.names, []);
  assert.equal(await need().isRunning(), true, 'the source keeps running');
  await need().files.write('/home/user/keep.txt', 'after snapshot');
  const a = await Sandbox.create(snap.snapshotId, { timeoutMs: 120_000 });
  const b = await Sandbox.create(snap.snapshotId, { timeoutMs: 120_000 });
  d.track(a);
  d.track(b);
  assert.notEqual(a.sandboxId, b.sandboxId);
  assert.equal(await a.files.read('/home/user/keep.txt'), 'before snapshot');
  assert.equal(await run(a, 'cat /home/user/proj/a /tmp/t'), 'data\nroot-made\n');
  assert.equal(await run(a, 'test -e /home/user/.bashrc && echo yes || echo deleted'), 'deleted\n', 'whiteouts survive the copy');
  assert.equal(await run(a, 'stat -c %U /home/user/proj/a; hostname'), `user\n${a.sandboxId}\n`, 'owners shifted, hostname its own');
  await a.files.write('/home/user/keep.txt', 'changed in a');
  assert.equal(await b.files.read('/home/user/keep.txt'), 'before snapshot');
  const info = await Sandbox.getInfo(a.sandboxId);
  assert.equal(info.templateId, snap.snapshotId.split(':')[0]);
  await a.kill();
  await b.kill();
  ctx.snap = snap;
});

test('listSnapshots: all, by sandbox, by name; unknown name → []', T, async () => {
  const { Sandbox } = ctx.E;
  const named = await need().createSnapshot({ name: `snap-${uniq()}` });
  assert.equal(named.names.length, 1);
  assert.match(named.snapshotId, /^local\/snap-[a-z0-9]+:default$/);
  const ids = (await all(Sandbox.listSnapshots())).map((s) => s.snapshotId);
  assert.ok(ids.includes(ctx.snap.snapshotId) && ids.includes(named.snapshotId), ids.join(' '));
  assert.equal(ids[0], named.snapshotId, 'newest first');
  const mine = (await all(need().listSnapshots())).map((s) => s.snapshotId);
  assert.ok(mine.includes(named.snapshotId));
  const byName = await all(Sandbox.listSnapshots({ name: named.names[0].split('/')[1] }));
  assert.deepEqual(byName.map((s) => s.snapshotId), [named.snapshotId]);
  assert.deepEqual(await all(Sandbox.listSnapshots({ name: `nope-${uniq()}` })), []);
  const other = await all(Sandbox.listSnapshots({ sandboxId: 'i0000000000000000000a' }));
  assert.deepEqual(other, []);
  const one = Sandbox.listSnapshots({ limit: 1 });
  assert.equal((await one.nextItems()).length, 1);
  assert.equal(one.hasNext, true, 'paging with limit 1');
  ctx.named = named;
});

test('snapshots survive a restart, count on disk, and deleting one frees its files', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const snapDir = path.join(d.stateDir, 'snapshots');
  const before = dirBytes(snapDir);
  assert.ok(before > 'before snapshot'.length, `snapshot files on disk (${before} bytes)`);
  const h = (await d.api('GET', '/health', { headers: { Accept: 'application/json' } })).json;
  assert.equal(h.capabilities.snapshots.memory, false, 'health says memory is not captured');
  assert.equal(h.snapshots.count, 2);
  assert.ok(h.snapshots.bytes > 0, 'snapshots count against disk');
  await d.stop();
  await d.restart();
  const ids = (await all(Sandbox.listSnapshots())).map((s) => s.snapshotId);
  assert.ok(ids.includes(ctx.snap.snapshotId), 'listed after the restart');
  const c = await Sandbox.create(ctx.snap.snapshotId, { timeoutMs: 60_000 });
  d.track(c);
  assert.equal(await c.files.read('/home/user/keep.txt'), 'before snapshot');
  // a snapshot a sandbox still runs from cannot go (upstream: 400); after the kill it can
  let err;
  try {
    await Sandbox.deleteSnapshot(ctx.snap.snapshotId);
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'delete while a sandbox uses it is refused');
  await c.kill();
  assert.equal(await Sandbox.deleteSnapshot(ctx.snap.snapshotId), true);
  assert.equal(await Sandbox.deleteSnapshot(ctx.snap.snapshotId), false, 'second delete → false');
  assert.equal(await Sandbox.deleteSnapshot(ctx.named.snapshotId), true);
  assert.equal(dirBytes(snapDir), 0, 'disk freed');
  const h2 = (await d.api('GET', '/health', { headers: { Accept: 'application/json' } })).json;
  assert.deepEqual(h2.snapshots, { count: 0, bytes: 0 });
  assert.deepEqual(await all(Sandbox.listSnapshots()), []);
  // the source came back paused from the restart: a paused sandbox can be snapshotted too
  assert.equal((await Sandbox.getInfo(need().sandboxId)).state, 'paused');
  const ps = await Sandbox.createSnapshot(need().sandboxId);
  const fromPaused = await Sandbox.create(ps.snapshotId, { timeoutMs: 60_000 });
  d.track(fromPaused);
  assert.equal(await fromPaused.files.read('/home/user/keep.txt'), 'after snapshot');
  await fromPaused.kill();
  assert.equal(await Sandbox.deleteSnapshot(ps.snapshotId), true);
  // resume it for the fork tests
  src = await Sandbox.connect(need().sandboxId, { timeoutMs: 300_000 });
});

test('fork: one by default, different id, both running, files copied, writes apart', T, async () => {
  const d = ctx.need();
  const forks = await need().fork();
  assert.equal(forks.length, 1);
  const f = forks[0];
  assert.ok(!(f instanceof Error), String(f));
  d.track(f);
  assert.notEqual(f.sandboxId, need().sandboxId);
  assert.equal(await f.isRunning(), true);
  assert.equal(await need().isRunning(), true);
  assert.equal(await f.files.read('/home/user/keep.txt'), 'after snapshot');
  await f.files.write('/home/user/keep.txt', 'fork wrote');
  assert.equal(await need().files.read('/home/user/keep.txt'), 'after snapshot');
  const info = await ctx.E.Sandbox.getInfo(f.sandboxId);
  assert.deepEqual(info.metadata, { role: 'source' }, 'metadata inherited');
  await f.kill();
});

test('fork count 3: three new sandboxes with the source files', T, async () => {
  const d = ctx.need();
  const forks = await need().fork({ count: 3 });
  assert.equal(forks.length, 3);
  const ids = new Set();
  for (const f of forks) {
    assert.ok(!(f instanceof Error), String(f));
    d.track(f);
    ids.add(f.sandboxId);
    assert.equal(await run(f, 'cat /home/user/keep.txt /home/user/proj/a'), 'after snapshotdata\n');
  }
  assert.equal(ids.size, 3);
  for (const f of forks) await f.kill();
});

test('fork errors: count 0 refused, killed/unknown → SandboxNotFoundError, paused → 409', T, async () => {
  const { Sandbox, SandboxError, SandboxNotFoundError } = ctx.E;
  const d = ctx.need();
  // SDK 2.51 sends count 0 (2.45 refused it client-side): the server's 400 comes back
  const e0 = await rejectsWith(need().fork({ count: 0 }), SandboxError, 'count 0');
  assert.match(e0.message, /Count must be at least 1/);
  const k = await Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(k);
  await k.kill();
  await rejectsWith(k.fork(), SandboxNotFoundError, 'fork of a killed sandbox');
  await rejectsWith(Sandbox.fork('i0000000000000000000b'), SandboxNotFoundError, 'fork of an unknown id');
  const raw = await d.api('POST', `/sandboxes/${need().sandboxId}/fork`, { body: { count: 0 } });
  assert.equal(raw.status, 400);
  const p = await Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(p);
  await p.pause();
  const r = await d.api('POST', `/sandboxes/${p.sandboxId}/fork`, { body: { count: 1 } });
  assert.equal(r.status, 409, r.text);
  await Sandbox.kill(p.sandboxId);
});

test('hostile input: bad names, tokens, ids and bodies → 4xx JSON, nothing created', T, async () => {
  const d = ctx.need();
  const id = need().sandboxId;
  for (const name of ['a b', '../x', 'other-team/x', 'x:'.padEnd(80, 'y'), 'é', '', 'ok:bad tag']) {
    const r = await d.api('POST', `/sandboxes/${id}/snapshots`, { body: { name } });
    assert.ok(name === '' ? r.status === 201 || r.status === 400 : r.status === 400, `${JSON.stringify(name)} → ${r.status}`);
    if (r.status === 201) await d.api('DELETE', `/templates/${encodeURIComponent(r.json.snapshotID)}`);
  }
  for (const body of ['{', '[]', '{"name":5}']) {
    const r = await d.api('POST', `/sandboxes/${id}/snapshots`, { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 400, `${body} → ${r.status}`);
  }
  for (const q of ['nextToken=x', 'nextToken=-1', 'limit=0', 'limit=101', 'name=a%20b']) {
    const r = await d.api('GET', `/snapshots?${q}`);
    assert.equal(r.status, 400, `${q} → ${r.status}`);
  }
  assert.equal((await d.api('DELETE', '/templates/base')).status, 400, 'base stays');
  assert.equal((await d.api('DELETE', '/templates/..%2F..%2Fetc')).status, 404);
  for (const body of [{ count: 1.5 }, { count: '3' }, { count: 101 }, { timeout: 0 }, { timeout: -5 }]) {
    const r = await d.api('POST', `/sandboxes/${id}/fork`, { body });
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status}`);
  }
  assert.deepEqual((await d.api('GET', '/snapshots')).json, [], 'nothing was created');
  assert.equal(fs.readdirSync(path.join(d.stateDir, 'snapshots')).filter((f) => !f.startsWith('.')).length, 0);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
