// sdk-files-today.mjs - issue 21, files as today's E2B has them, through the official SDK:
// writes outside home create their missing parents like upstream envd (the upstream test
// "write multiple files" writes /0/... as the default user), and refused uploads come back as
// an HTTP status the SDK can report, never as a dropped connection; file metadata
// (X-Metadata-* headers → user.e2b.* xattrs) comes back from write, stat, list and rename.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';

const ctx = fileContext('sdk-files-today');
const T = { timeout: 60000 };
let sbx;
const need = () => {
  if (!sbx) throw new Error('no sandbox (create failed)');
  return sbx;
};
const sh = async (cmd, opts) => (await need().commands.run(cmd, opts)).stdout;

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000 });
  d.track(sbx);
});

test('a write to /0/... as the default user creates /0 and succeeds (multipart and octet-stream)', T, async () => {
  const s = need();
  const w = await s.files.write('/0/a/one.txt', 'one');
  assert.equal(w.path, '/0/a/one.txt');
  assert.equal(await s.files.read('/0/a/one.txt'), 'one');
  const o = await s.files.write('/0/b/two.bin', new Uint8Array([1, 2, 3]).buffer, { useOctetStream: true });
  assert.equal(o.path, '/0/b/two.bin');
  // the created directories and the file belong to the user, as upstream envd chowns them
  assert.equal(await sh('stat -c %U:%a /0 /0/a /0/a/one.txt'), 'user:755\nuser:755\nuser:644\n');
});

test('several files outside home in one request (upstream "write multiple files")', T, async () => {
  const s = need();
  const files = Array.from({ length: 5 }, (_, i) => ({ path: `/${i}/f${i}.txt`, data: `content ${i}` }));
  const out = await s.files.write(files);
  assert.deepEqual(out.map((x) => x.path).sort(), files.map((f) => f.path).sort());
  for (const f of files) assert.equal(await s.files.read(f.path), f.data);
});

test('makeDir and rename outside home create missing parents too', T, async () => {
  const s = need();
  assert.equal(await s.files.makeDir('/opt/deep/er'), true);
  assert.equal(await sh('stat -c %U /opt/deep/er'), 'user\n');
  await s.files.write('/home/user/mv.txt', 'moved');
  const e = await s.files.rename('/home/user/mv.txt', '/srv/new/place/mv.txt');
  assert.equal(e.path, '/srv/new/place/mv.txt');
  assert.equal(await s.files.read('/srv/new/place/mv.txt'), 'moved');
});

test('refused uploads are answered with a status, the connection is not dropped', T, async () => {
  const s = need();
  // a directory as the target: 400, reported by the SDK (not "fetch failed")
  await s.files.makeDir('/home/user/adir');
  for (const opts of [{}, { useOctetStream: true }]) {
    let err = null;
    try {
      await s.files.write('/home/user/adir', 'x'.repeat(200_000), opts);
    } catch (e) {
      err = e;
    }
    assert.ok(err, `write onto a directory should fail (${JSON.stringify(opts)})`);
    assert.doesNotMatch(String(err.message), /fetch failed|socket|ECONNRESET/i, `status, not a dropped connection: ${err.message}`);
    assert.match(String(err.message), /directory/i, err.message);
  }
  // a file the user may not write (root's, 0644): refused with a status too
  await s.commands.run('echo root > /tmp/only-root && chmod 644 /tmp/only-root', { user: 'root' });
  let err = null;
  try {
    await s.files.write('/tmp/only-root', 'y'.repeat(300_000));
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'overwriting a root-owned 0644 file as the user should fail');
  assert.doesNotMatch(String(err.message), /fetch failed|socket|ECONNRESET/i, err.message);
  assert.equal(await sh('cat /tmp/only-root'), 'root\n');
  // and the sandbox keeps serving
  assert.equal(await s.files.read('/0/a/one.txt'), 'one');
});

test('file metadata: write reply, getInfo, list and rename return it; a new write replaces it', T, async () => {
  const s = need();
  const md = { owner: 'me', 'build.id': '42', note: 'printable ASCII ~!' };
  const w = await s.files.write('/home/user/md/a.txt', 'x', { metadata: md });
  assert.deepEqual(w.metadata, md, 'write reply');
  assert.deepEqual((await s.files.getInfo('/home/user/md/a.txt')).metadata, md, 'stat');
  const listed = (await s.files.list('/home/user/md')).find((e) => e.name === 'a.txt');
  assert.deepEqual(listed.metadata, md, 'list');
  const moved = await s.files.rename('/home/user/md/a.txt', '/home/user/md/b.txt');
  assert.deepEqual(moved.metadata, md, 'rename');
  // stored as the file's user.e2b.* extended attributes
  assert.equal(await sh('getfattr --version >/dev/null 2>&1 && getfattr -n user.e2b.owner --only-values /home/user/md/b.txt || python3 -c "import os;print(os.getxattr(\'/home/user/md/b.txt\',\'user.e2b.owner\').decode(),end=\'\')"'), 'me');
  // octet-stream uploads and multi-file uploads carry it too
  const o = await s.files.write('/home/user/md/o.bin', new Uint8Array([1]).buffer, { metadata: { k: 'v' }, useOctetStream: true });
  assert.deepEqual(o.metadata, { k: 'v' });
  const multi = await s.files.write([{ path: '/home/user/md/m1', data: '1' }, { path: '/home/user/md/m2', data: '2' }], { metadata: { batch: 'yes' } });
  for (const f of multi) assert.deepEqual(f.metadata, { batch: 'yes' });
  // the set is replaced on every upload; none clears it
  const again = await s.files.write('/home/user/md/b.txt', 'y');
  assert.equal(again.metadata, undefined);
  assert.equal((await s.files.getInfo('/home/user/md/b.txt')).metadata, undefined);
  const plain = (await s.files.list('/home/user')).find((e) => e.name === 'md');
  assert.equal(plain.metadata, undefined, 'a directory without metadata has none');
});

test('file metadata is validated like upstream: bad values and oversize sets → 400', T, async () => {
  const s = need();
  const d = ctx.need();
  const up = (headers) =>
    fetch(`${d.sandboxUrl}/files?path=/home/user/md/v.txt`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream', 'X-Access-Token': s.envdAccessToken, 'E2b-Sandbox-Id': s.sandboxId, ...headers },
      body: 'v',
    });
  let r = await up({ 'X-Metadata-Ok': 'fine' });
  assert.equal(r.status, 200, await r.text());
  r = await up({ 'X-Metadata-Bad': 'tab\there' });
  assert.equal(r.status, 400);
  assert.match((await r.json()).message, /printable ASCII/);
  r = await up({ ['X-Metadata-' + 'k'.repeat(247)]: 'v' });
  assert.equal(r.status, 400);
  const many = {};
  for (let i = 0; i < 20; i++) many[`X-Metadata-k${i}`] = 'v'.repeat(250);
  r = await up(many);
  assert.equal(r.status, 400);
  assert.match((await r.json()).message, /too large/);
  // a refused upload leaves the earlier file and its metadata as they were
  assert.deepEqual((await s.files.getInfo('/home/user/md/v.txt')).metadata, { ok: 'fine' });
  // the SDK itself refuses keys that are not HTTP tokens
  await assert.rejects(s.files.write('/home/user/md/w.txt', 'w', { metadata: { 'bad key': 'v' } }), ctx.E.InvalidArgumentError);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
