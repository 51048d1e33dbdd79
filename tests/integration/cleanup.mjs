// cleanup.mjs - a killed sandbox's files are deleted off boxtopd's loop: a sandbox whose agent
// wrote a big tree (DIRS) is killed and the API keeps answering while the deletion runs in a child
// process of boxtopd (named boxtopd-rm); a boxtopd SIGKILLed in the middle of such a deletion
// finishes it on its next start (the teardown checks nothing is left: dirs, cgroups, processes).
// The same for a deleted snapshot and a destroyed volume of as many files: the name is free at
// once, the id gone from lists, and the API answers while a boxtopd-rm child deletes the files.
// An upload over a 1 GiB file: a boxtopd-trunc child empties it (stopped here on purpose) while
// the API and envd answer; the upload waits for it, then the same inode holds exactly the new bytes.
import { test } from 'node:test';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { dead, http, procTable, sleep, waitFor } from './lib/boxtopd.mjs';
import { PROBE_GAP_MS, apiCall, baselineMedian, bigSandbox, helperChildren, trash } from './lib/bigtree.mjs';

const ctx = fileContext('cleanup');
const T = { timeout: 300000 };
// x 1000 empty files in each big tree: its deletion must outlast >= 3 API calls (~10 ms apart)
// and a SIGKILL sent once the deletion child is seen; deleting 20 000 overlapped 20-30 calls on
// the shared machine (100 000 made this suite 1.5 min, mostly writing the trees)
const DIRS = 20;

const rmChildren = (d) => helperChildren(d, 'boxtopd-rm');

test('boxtopd starts', T, async () => {
  await ctx.start();
});

/* Runs del() (one deletion through the API) and measures API calls until the graveyard is
 * empty: the same boxtopd-rm child must run before and after at least 3 of them, and neither
 * del() nor any call may take longer than 100 x the median of calls made before it. */
async function overlapWith(d, del) {
  assert.ok(await waitFor(() => trash(d).length === 0 && rmChildren(d).length === 0, 180000, 100), 'earlier trash gone');
  const median = await baselineMedian(d);
  const bound = Math.max(100 * median, 2000); // generous: the machine is shared and busy
  const t0 = performance.now();
  await del();
  const delMs = performance.now() - t0;
  let overlapped = 0;
  let slowest = delMs;
  let sawChild = false;
  const end = Date.now() + 180000;
  while (trash(d).length > 0 && Date.now() < end) {
    const before = rmChildren(d).map((p) => p.pid);
    const ms = await apiCall(d);
    const after = rmChildren(d).map((p) => p.pid);
    if (before.length) sawChild = true;
    // the same deletion child ran before and after the call: the call overlapped it
    if (before.some((p) => after.includes(p))) overlapped++;
    slowest = Math.max(slowest, ms);
    await sleep(PROBE_GAP_MS);
  }
  console.log(`# delete ${delMs.toFixed(1)} ms, ${overlapped} calls during the deletion, slowest ${slowest.toFixed(1)} ms, baseline median ${median.toFixed(1)} ms`);
  assert.deepEqual(trash(d), [], 'the tree was deleted');
  assert.ok(sawChild, 'the deletion ran in a boxtopd-rm child');
  assert.ok(overlapped >= 3, `API calls answered while the deletion ran: ${overlapped}`);
  assert.ok(slowest < bound, `slowest call ${slowest.toFixed(0)} ms, baseline ${median.toFixed(1)} ms`);
  assert.ok(await waitFor(() => rmChildren(d).length === 0, 10000), 'the deletion child was reaped');
}

const snapDirs = (d) => fs.readdirSync(path.join(d.stateDir, 'snapshots')).filter((n) => !n.startsWith('.'));
let big; // the snapshot of the first big sandbox (one tree written for both tests) and its dir

test(`a sandbox with ${DIRS} 000 files is killed: the API answers while a child deletes them`, T, async () => {
  const d = ctx.need();
  const s = await bigSandbox(ctx, DIRS);
  const had = snapDirs(d);
  const name = `big-${Date.now().toString(36)}`;
  // copying the tree can outlast the SDK's 60 s request default on a loaded machine
  const snap = await s.createSnapshot({ name, requestTimeoutMs: 240_000 });
  const mine = snapDirs(d).filter((n) => !had.includes(n));
  assert.equal(mine.length, 1, `one new snapshot directory: ${mine}`);
  big = { name, snap, dir: path.join(d.stateDir, 'snapshots', mine[0]) };
  await overlapWith(d, async () => {
    const res = await http(`${d.apiUrl}/sandboxes/${s.sandboxId}`, { method: 'DELETE', headers: { 'X-API-Key': d.apiKey } });
    assert.equal(res.status, 204, res.text);
  });
});

test(`a snapshot of ${DIRS} 000 files is deleted off the loop; its name is free at once`, T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  assert.ok(big, 'the snapshot was taken');
  const { name, snap, dir } = big;
  await overlapWith(d, async () => {
    assert.equal(await Sandbox.deleteSnapshot(snap.snapshotId), true);
    const ids = [];
    const pages = Sandbox.listSnapshots();
    while (pages.hasNext) ids.push(...(await pages.nextItems()).map((p) => p.snapshotId));
    assert.ok(!ids.includes(snap.snapshotId), 'gone from the list at once');
    assert.equal(await Sandbox.deleteSnapshot(snap.snapshotId), false, 'second delete → false');
    assert.equal(fs.existsSync(dir), false, 'its directory name is free at once');
  });
  const src = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(src);
  const again = await src.createSnapshot({ name });
  assert.equal(again.snapshotId, snap.snapshotId, 'the same name works again');
  const b = await Sandbox.create(again.snapshotId, { timeoutMs: 120_000 });
  d.track(b);
  assert.equal((await b.commands.run('ls /home/user/big 2>/dev/null | wc -l')).stdout.trim(), '0');
  await b.kill();
  await src.kill();
  assert.equal(await Sandbox.deleteSnapshot(again.snapshotId), true);
});

test(`a volume of ${DIRS} 000 files is destroyed off the loop; its name is free at once`, T, async () => {
  const { Volume, VolumeNotFoundError } = ctx.E;
  const d = ctx.need();
  const name = `big-${Date.now().toString(36)}`;
  const v = await Volume.create(name);
  const s = await bigSandbox(ctx, DIRS, '/mnt/data/big', { volumeMounts: { '/mnt/data': v } });
  await s.kill();
  await overlapWith(d, async () => {
    assert.equal(await Volume.destroy(v.volumeId), true);
    assert.equal(await Volume.destroy(v.volumeId), false, 'second destroy → false');
    await assert.rejects(Volume.getInfo(v.volumeId), VolumeNotFoundError);
    assert.equal(fs.existsSync(path.join(d.stateDir, 'volumes', v.volumeId)), false);
    const again = await Volume.create(name);
    assert.notEqual(again.volumeId, v.volumeId);
    assert.equal(await Volume.destroy(again.volumeId), true);
  });
});

test('boxtopd SIGKILLed mid-deletion: the next start finishes it', T, async () => {
  const d = ctx.need();
  const s = await bigSandbox(ctx, DIRS);
  const res = await http(`${d.apiUrl}/sandboxes/${s.sandboxId}`, { method: 'DELETE', headers: { 'X-API-Key': d.apiKey } });
  assert.equal(res.status, 204, res.text);
  const kid = await waitFor(() => rmChildren(d)[0], 20000, 5);
  assert.ok(kid, 'a deletion child runs');
  const st = await d.stop('SIGKILL');
  assert.equal(st.signal, 'SIGKILL');
  assert.ok(await waitFor(() => dead(kid), 30000), 'the deletion child died with boxtopd');
  assert.ok(trash(d).length > 0, 'killed in the middle: part of the tree is still there');
  await d.restart();
  assert.ok(await waitFor(() => trash(d).length === 0, 180000, 100), `left behind: ${trash(d)}`);
  await apiCall(d);
});

// Children of pid named comm, read cheaply (the truncation child may live only ~100 ms).
function childrenNamed(pid, comm) {
  let kids;
  try {
    kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [...procTable().values()].filter((p) => p.ppid === pid && p.comm === comm).map((p) => p.pid);
  }
  return kids.map(Number).filter((k) => {
    try {
      return fs.readFileSync(`/proc/${k}/comm`, 'utf8').trim() === comm;
    } catch {
      return false;
    }
  });
}

test('an upload over a 1 GiB file: a child empties it, the API answers meanwhile, same inode', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 600_000 });
  d.track(s);
  const f = '/home/user/big.bin';
  const made = await s.commands.run(
    `head -c 1073741824 /dev/zero > ${f} && sync && ln ${f} /home/user/big.link && chmod 640 ${f} && stat -c '%i %h %a %U %s' ${f}`,
    { timeoutMs: 240_000 },
  );
  const [ino, links, mode, owner, size] = made.stdout.trim().split(' ');
  assert.equal(size, '1073741824', 'the big file was written');
  const content = crypto.randomBytes(3 << 20);
  const want = crypto.createHash('sha256').update(content).digest('hex');
  let settled = false;
  const up = s.files.write(f, content.buffer.slice(content.byteOffset, content.byteOffset + content.length)).finally(() => {
    settled = true;
  });
  // catch the truncation child and stop it: nothing the upload waits for can finish meanwhile
  let kid;
  const end = Date.now() + 60000;
  while (!kid && !settled && Date.now() < end) {
    const spinEnd = performance.now() + 20;
    while (!kid && performance.now() < spinEnd) kid = childrenNamed(d.pid, 'boxtopd-trunc')[0];
    if (!kid) await new Promise((r) => setImmediate(r));
  }
  assert.ok(kid, 'the truncation ran in a boxtopd-trunc child');
  process.kill(kid, 'SIGSTOP');
  try {
    await apiCall(d); // another client, answered while the truncation has not ended
    const other = await s.commands.run('echo alive');
    assert.equal(other.stdout.trim(), 'alive', 'envd answers too');
    assert.equal(settled, false, 'the upload waits for the truncation');
  } finally {
    process.kill(kid, 'SIGCONT');
  }
  await up;
  const got = Buffer.from(await s.files.read(f, { format: 'bytes' }));
  assert.equal(crypto.createHash('sha256').update(got).digest('hex'), want, 'the uploaded content');
  const after = await s.commands.run(`stat -c '%i %h %a %U %s' ${f}; cmp ${f} /home/user/big.link && echo same`);
  assert.equal(after.stdout.trim(), `${ino} ${links} ${mode} ${owner} ${content.length}\nsame`, 'the same file, emptied and written');
  assert.ok(await waitFor(() => childrenNamed(d.pid, 'boxtopd-trunc').length === 0, 10000), 'the child was reaped');
  await s.kill();
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
