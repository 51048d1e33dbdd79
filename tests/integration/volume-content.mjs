// volume-content.mjs - the volume content API (/volumecontent/{id}/dir|path|file) through the
// official SDK's Volume.list/makeDir/getInfo/exists/updateMetadata/readFile/writeFile/remove,
// with E2B_VOLUME_API_URL pointed at the test boxtopd; then on the raw wire: the volume token
// (wrong, missing, another volume's, the API key instead), ".." and symlinks leading out of
// the volume (reads, writes, chmod and removes never touch a host file), and a sandbox that
// mounts the volume sees what the API wrote, owned by "user".
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { assert, fileContext, rejectsWith, uniq } from './lib/common.mjs';
import { http } from './lib/boxtopd.mjs';

const ctx = fileContext('volume-content');
const T = { timeout: 90000 };
const sha = (b) => createHash('sha256').update(b).digest('hex');
const dataDir = () => path.join(ctx.d.stateDir, 'volumes', ctx.vol.volumeId, 'data');
const names = (entries) => entries.map((e) => e.path);

test('boxtopd starts; a volume to work on', T, async () => {
  const d = await ctx.start();
  process.env.E2B_VOLUME_API_URL = d.apiUrl; // never the default https://api.<domain>
  ctx.vol = await ctx.E.Volume.create(`content-${uniq()}`);
  d.noteSecret(ctx.vol.token);
  ctx.other = await ctx.E.Volume.create(`other-${uniq()}`);
  d.noteSecret(ctx.other.token);
});

test('makeDir: created with its stat; existing → error, force → mkdir -p', T, async () => {
  const { VolumeError, VolumePathNotFoundError } = ctx.E;
  const v = ctx.vol;
  const e = await v.makeDir('/docs');
  assert.equal(e.type, 'directory');
  assert.equal(e.path, '/docs');
  assert.equal(e.name, 'docs');
  assert.equal(e.uid, 1000); // "user" inside sandboxes
  assert.equal(e.gid, 1000);
  assert.ok(e.mtime instanceof Date && !Number.isNaN(e.mtime.getTime()) && Math.abs(e.mtime - Date.now()) < 60000);
  assert.ok(fs.statSync(path.join(dataDir(), 'docs')).isDirectory());
  await rejectsWith(v.makeDir('/docs'), VolumeError, 'existing dir');
  await rejectsWith(v.makeDir('/a/b/c'), VolumePathNotFoundError, 'missing parent without force');
  const deep = await v.makeDir('/a/b/c', { force: true, mode: 0o700 });
  assert.equal(deep.mode, 0o700);
  assert.equal((await v.makeDir('/docs', { force: true })).type, 'directory');
});

test('writeFile / readFile (text, bytes, blob, stream) / getInfo / exists', T, async () => {
  const { VolumePathNotFoundError } = ctx.E;
  const v = ctx.vol;
  const w = await v.writeFile('/docs/hello.txt', 'hello volume');
  assert.equal(w.type, 'file');
  assert.equal(w.size, 12);
  assert.equal(w.path, '/docs/hello.txt');
  assert.equal(await v.readFile('/docs/hello.txt'), 'hello volume');
  assert.equal(fs.readFileSync(path.join(dataDir(), 'docs/hello.txt'), 'utf8'), 'hello volume');
  await v.writeFile('/docs/hello.txt', 'short'); // overwrite
  assert.equal(await v.readFile('/docs/hello.txt'), 'short');
  const info = await v.getInfo('docs/hello.txt'); // relative = from the volume's root
  assert.equal(info.size, 5);
  assert.equal(info.uid, 1000);
  assert.equal(await v.exists('/docs/hello.txt'), true);
  assert.equal(await v.exists('/docs/nope.txt'), false);
  await rejectsWith(v.readFile('/docs/nope.txt'), VolumePathNotFoundError, 'missing file');
  // 3 MiB of binary, streamed up into parents that do not exist yet
  const big = randomBytes(3 << 20);
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < big.length; i += 65536) c.enqueue(new Uint8Array(big.subarray(i, i + 65536)));
      c.close();
    },
  });
  const wb = await v.writeFile('/new/deep/f.bin', stream, { mode: 0o640 });
  assert.equal(wb.size, big.length);
  assert.equal(wb.mode, 0o640);
  assert.equal(sha(await v.readFile('/new/deep/f.bin', { format: 'bytes' })), sha(big));
  const blob = await v.readFile('/new/deep/f.bin', { format: 'blob' });
  assert.equal(blob.size, big.length);
  const chunks = [];
  for await (const c of await v.readFile('/new/deep/f.bin', { format: 'stream' })) chunks.push(Buffer.from(c));
  assert.equal(sha(Buffer.concat(chunks)), sha(big));
  assert.deepEqual(fs.readdirSync(path.join(dataDir(), 'new/deep')), ['f.bin'], 'no temporary file left');
  await rejectsWith(v.writeFile('/docs', 'x'), ctx.E.VolumeError, 'a directory is not replaced');
  assert.ok(fs.statSync(path.join(dataDir(), 'docs')).isDirectory());
});

test('list: sorted, depth, errors', T, async () => {
  const { VolumeError, VolumePathNotFoundError } = ctx.E;
  const v = ctx.vol;
  assert.deepEqual(names(await v.list('/')), ['/a', '/docs', '/new']);
  assert.deepEqual(names(await v.list('/', { depth: 3 })), [
    '/a', '/a/b', '/a/b/c', '/docs', '/docs/hello.txt', '/new', '/new/deep', '/new/deep/f.bin',
  ]);
  const docs = await v.list('/docs');
  assert.equal(docs.length, 1);
  assert.equal(docs[0].type, 'file');
  assert.equal(docs[0].size, 5);
  await rejectsWith(v.list('/nope'), VolumePathNotFoundError, 'missing dir');
  await rejectsWith(v.list('/docs/hello.txt'), VolumeError, 'a file');
});

test('updateMetadata: mode and owner, on disk too', T, async () => {
  const v = ctx.vol;
  const e = await v.updateMetadata('/docs/hello.txt', { mode: 0o600 });
  assert.equal(e.mode, 0o600);
  assert.equal(fs.statSync(path.join(dataDir(), 'docs/hello.txt')).mode & 0o7777, 0o600);
  if (process.getuid() === 0) {
    const o = await v.updateMetadata('/docs/hello.txt', { uid: 1234, gid: 1235 });
    assert.equal(o.uid, 1234);
    assert.equal(o.gid, 1235);
    assert.equal(fs.statSync(path.join(dataDir(), 'docs/hello.txt')).uid, 1234);
  }
  await rejectsWith(v.updateMetadata('/nope', { mode: 0o600 }), ctx.E.VolumePathNotFoundError, 'missing');
});

test('a sandbox mounting the volume sees the files, owned by user', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  await ctx.vol.updateMetadata('/docs/hello.txt', { uid: 1000, gid: 1000, mode: 0o644 }).catch(() => {});
  const s = await Sandbox.create('base', { timeoutMs: 60_000, volumeMounts: { '/data': ctx.vol } });
  d.track(s);
  assert.equal(await s.files.read('/data/docs/hello.txt'), 'short');
  const r = await s.commands.run('stat -c %U /data/docs /data/new/deep/f.bin && echo from-sandbox > /data/docs/sb.txt');
  assert.equal(r.stdout, 'user\nuser\n');
  assert.equal(await ctx.vol.readFile('/docs/sb.txt'), 'from-sandbox\n');
  assert.equal((await ctx.vol.getInfo('/docs/sb.txt')).uid, 1000);
  await s.kill();
});

test('remove: a file, a tree (off the loop), missing → not found', T, async () => {
  const { VolumePathNotFoundError, VolumeError } = ctx.E;
  const v = ctx.vol;
  await v.remove('/docs/sb.txt');
  assert.equal(await v.exists('/docs/sb.txt'), false);
  await v.remove('/new');
  assert.equal(await v.exists('/new/deep/f.bin'), false);
  assert.equal(fs.existsSync(path.join(dataDir(), 'new')), false);
  await rejectsWith(v.remove('/new'), VolumePathNotFoundError, 'already removed');
  await rejectsWith(v.remove('/'), VolumeError, 'the root');
  assert.ok(fs.existsSync(dataDir()));
  // nothing of the uploads and removes is left beside the data
  assert.deepEqual(fs.readdirSync(path.dirname(dataDir())).sort(), ['data', 'volume.json']);
});

test('a restart sweeps what an interrupted upload or remove left; the files stay', T, async () => {
  const d = ctx.need();
  const vdir = path.dirname(dataDir());
  fs.writeFileSync(path.join(vdir, '.vc-up-0123456789abcdef'), 'half an upload');
  fs.mkdirSync(path.join(vdir, '.vc-rm-0123456789abcdef/sub'), { recursive: true });
  await d.stop();
  await d.restart();
  process.env.E2B_VOLUME_API_URL = d.apiUrl;
  assert.deepEqual(fs.readdirSync(vdir).sort(), ['data', 'volume.json']);
  assert.equal(await ctx.vol.readFile('/docs/hello.txt'), 'short');
});

// ---- raw wire ----
const routes = [
  ['GET', 'dir'], ['POST', 'dir'], ['GET', 'path'], ['PATCH', 'path'], ['DELETE', 'path'],
  ['GET', 'file'], ['PUT', 'file'],
];
const raw = (method, vid, what, q, headers = {}, body) =>
  http(`${ctx.d.apiUrl}/volumecontent/${vid}/${what}?${q}`, { method, headers, body });

test('token: missing, wrong, another volume\'s, the API key → 401 on every route; nothing changes', T, async () => {
  const d = ctx.need();
  const id = ctx.vol.volumeId;
  const q = 'path=%2Fdocs%2Fhello.txt';
  const before = fs.readFileSync(path.join(dataDir(), 'docs/hello.txt'), 'utf8');
  const cases = [
    ['no header', {}],
    ['wrong token', { Authorization: `Bearer ${'0'.repeat(64)}` }],
    ['other volume\'s token', { Authorization: `Bearer ${ctx.other.token}` }],
    ['API key only', { 'X-API-Key': d.apiKey }],
    ['not bearer', { Authorization: `Basic ${ctx.vol.token}` }],
  ];
  for (const [m, w] of routes) {
    for (const [what, h] of cases) {
      const r = await raw(m, id, w, q, h, m === 'PUT' ? 'evil' : m === 'PATCH' ? '{"mode":511}' : undefined);
      assert.equal(r.status, 401, `${m} ${w} ${what} → ${r.status} ${r.text}`);
      assert.ok(!r.text.includes(ctx.vol.token) && !r.text.includes(ctx.other.token));
    }
  }
  // a volume id that does not exist: 404 "volume not found" (upstream: a deleted volume's token)
  const r = await raw('GET', '00000000-0000-4000-8000-000000000000', 'path', q, { Authorization: `Bearer ${ctx.vol.token}` });
  assert.equal(r.status, 404, r.text);
  assert.deepEqual(r.json, { code: '404', message: 'volume not found' });
  assert.equal(fs.readFileSync(path.join(dataDir(), 'docs/hello.txt'), 'utf8'), before);
  assert.equal((await raw('GET', id, 'path', q, { Authorization: `Bearer ${ctx.vol.token}` })).status, 200);
  // other methods on a content route: the API's 400 "method not allowed", never the path echoed
  const m = await raw('POST', id, 'path', q, { Authorization: `Bearer ${ctx.vol.token}` });
  assert.equal(m.status, 400, m.text);
  assert.equal(m.json.message, 'validation error: method not allowed');
  assert.ok(!m.text.includes('volumecontent'), m.text);
});

test('error bodies: {code, message} with code a string, as the content API\'s schema says', T, async () => {
  const auth = { Authorization: `Bearer ${ctx.vol.token}` };
  const id = ctx.vol.volumeId;
  for (const [m, w, q, want, h] of [
    ['GET', 'path', 'path=/nope', 404, auth],
    ['GET', 'file', 'path=/nope', 404, auth],
    ['POST', 'dir', 'path=/docs', 409, auth],
    ['GET', 'dir', 'path=/&depth=0', 400, auth],
    ['GET', 'dir', 'path=/', 401, {}],
  ]) {
    const r = await raw(m, id, w, q, h);
    assert.equal(r.status, want, `${m} ${w}?${q} → ${r.status} ${r.text}`);
    assert.equal(typeof r.json?.code, 'string', `${m} ${w}?${q}: ${r.text}`);
    assert.equal(r.json.code, String(want));
    assert.equal(typeof r.json.message, 'string');
  }
});

test('".." never leaves the volume', T, async () => {
  const v = ctx.vol;
  const auth = { Authorization: `Bearer ${v.token}` };
  const rec = path.join(ctx.d.stateDir, 'volumes', v.volumeId, 'volume.json');
  const recBefore = fs.readFileSync(rec, 'utf8');
  for (const p of ['../volume.json', '/../volume.json', '../../../../etc/hostname', 'docs/../../volume.json']) {
    const q = `path=${encodeURIComponent(p)}`;
    const r = await raw('GET', v.volumeId, 'file', q, auth);
    assert.equal(r.status, 404, `${p} → ${r.status} ${r.text}`);
    assert.ok(!r.text.includes(v.token));
    await rejectsWith(v.readFile(p), ctx.E.VolumePathNotFoundError, p);
  }
  // a write to "../volume.json" lands inside the volume as /volume.json
  const w = await v.writeFile('../volume.json', 'inside');
  assert.equal(w.path, '/volume.json');
  assert.equal(fs.readFileSync(path.join(dataDir(), 'volume.json'), 'utf8'), 'inside');
  assert.equal(fs.readFileSync(rec, 'utf8'), recBefore);
  await v.remove('/../../volume.json');
  assert.equal(fs.existsSync(rec), true);
  assert.equal(fs.existsSync(path.join(dataDir(), 'volume.json')), false);
});

test('symlinks out of the volume: resolved inside it, never at the host', T, async () => {
  const v = ctx.vol;
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'vc-host-'));
  try {
    const secret = path.join(host, 'secret.txt');
    fs.writeFileSync(secret, 'HOST SECRET', { mode: 0o644 });
    const hostDir = path.join(host, 'dir');
    fs.mkdirSync(hostDir);
    fs.symlinkSync(secret, path.join(dataDir(), 'abs-link'));
    fs.symlinkSync('../volume.json', path.join(dataDir(), 'rel-link'));
    fs.symlinkSync(hostDir, path.join(dataDir(), 'dir-link'));
    const auth = { Authorization: `Bearer ${v.token}` };
    for (const p of ['/abs-link', '/rel-link']) {
      const r = await raw('GET', v.volumeId, 'file', `path=${encodeURIComponent(p)}`, auth);
      assert.equal(r.status, 404, `${p} → ${r.status} ${r.text}`);
      assert.ok(!r.text.includes('HOST SECRET') && !r.text.includes(v.token));
    }
    const st = await v.getInfo('/abs-link');
    assert.equal(st.type, 'symlink');
    assert.equal(st.target, secret);
    // list through a link to a host dir: that dir inside the volume, which does not exist
    await rejectsWith(v.list('/dir-link'), ctx.E.VolumePathNotFoundError, 'list via link');
    // write through the directory link: its target is looked up inside the volume, where it
    // does not exist (not found); once it does, the file lands there; the host dir stays empty
    await rejectsWith(v.writeFile('/dir-link/x.txt', 'not on the host'), ctx.E.VolumePathNotFoundError, 'dangling');
    assert.deepEqual(fs.readdirSync(hostDir), []);
    await v.makeDir(hostDir, { force: true });
    await v.writeFile('/dir-link/x.txt', 'not on the host');
    assert.deepEqual(fs.readdirSync(hostDir), []);
    assert.equal(fs.readFileSync(path.join(dataDir(), hostDir, 'x.txt'), 'utf8'), 'not on the host');
    // chmod of a link: refused; the host file keeps its mode
    await rejectsWith(v.updateMetadata('/abs-link', { mode: 0o777 }), ctx.E.VolumeError, 'chmod link');
    assert.equal(fs.statSync(secret).mode & 0o777, 0o644);
    // writing onto a link replaces the link, not its target
    await v.writeFile('/abs-link', 'replaced');
    assert.equal(fs.readFileSync(secret, 'utf8'), 'HOST SECRET');
    assert.equal(fs.lstatSync(path.join(dataDir(), 'abs-link')).isFile(), true);
    // removing a link removes the link only
    await v.remove('/dir-link');
    await v.remove('/rel-link');
    assert.ok(fs.existsSync(hostDir));
    assert.ok(fs.existsSync(path.join(ctx.d.stateDir, 'volumes', v.volumeId, 'volume.json')));
  } finally {
    fs.rmSync(host, { recursive: true, force: true });
  }
});

test('bad input: depth, mode, uid, body → 400; a deleted volume → 404', T, async () => {
  const v = ctx.vol;
  const auth = { Authorization: `Bearer ${v.token}` };
  for (const [m, w, q, body] of [
    ['GET', 'dir', 'path=/&depth=0'],
    ['GET', 'dir', 'path=/&depth=x'],
    ['POST', 'dir', 'path=/m&mode=99999'],
    ['POST', 'dir', 'path=/m&force=maybe'],
    ['PUT', 'file', 'path=/f&uid=-1', 'x'],
    ['PATCH', 'path', 'path=/docs', '{"mode":"rwx"}'],
    ['PATCH', 'path', 'path=/docs', 'not json'],
  ]) {
    const r = await raw(m, v.volumeId, w, q, auth, body);
    assert.equal(r.status, 400, `${m} ${w}?${q} → ${r.status} ${r.text}`);
  }
  assert.equal(fs.existsSync(path.join(dataDir(), 'm')), false);
  assert.equal(fs.existsSync(path.join(dataDir(), 'f')), false);
  await ctx.E.Volume.destroy(ctx.other.volumeId);
  const r = await raw('GET', ctx.other.volumeId, 'dir', 'path=/', { Authorization: `Bearer ${ctx.other.token}` });
  assert.equal(r.status, 404, r.text);
  await rejectsWith(ctx.other.list('/'), ctx.E.VolumePathNotFoundError, 'a deleted volume through the SDK');
  await ctx.E.Volume.destroy(v.volumeId);
});

test('teardown: boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
