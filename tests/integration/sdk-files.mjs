// sdk-files.mjs - issue 5 acceptance (filesystem and /files) with the official e2b SDK:
// write/read text and 1 MiB of random bytes byte-exact, CR/LF paths refused clearly, list depth, exists, getInfo vs. stat,
// rename, remove, makeDir, watchDir, signed upload/download URLs, killed sandbox.
import { test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, fileContext, rejectsWith } from './lib/common.mjs';
import { http, sha256, waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-files');
const T = { timeout: 60000 };
let sbx;
const need = () => {
  if (!sbx) throw new Error('no sandbox (create failed)');
  return sbx;
};
const sh = async (cmd, opts) => (await need().commands.run(cmd, opts)).stdout;

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { suite: 'sdk-files' } });
  d.track(sbx);
});

test('files.write/read text (absolute and home-relative paths)', T, async () => {
  const s = need();
  const text = 'hello\nwörld ✓\n';
  const w = await s.files.write('/home/user/t/hello.txt', text);
  assert.equal(w.path, '/home/user/t/hello.txt');
  assert.equal(w.name, 'hello.txt');
  assert.equal(await s.files.read('/home/user/t/hello.txt'), text);
  assert.equal(await sh('cat /home/user/t/hello.txt'), text);
  const rel = await s.files.write('rel.txt', 'relative');
  assert.equal(rel.path, '/home/user/rel.txt');
  assert.equal(await sh('cat ~/rel.txt'), 'relative');
  assert.equal(await s.files.read('rel.txt'), 'relative');
});

test('files.write/read 1 MiB of random bytes byte-exact; sha256sum inside agrees', T, async () => {
  const s = need();
  const data = randomBytes(1 << 20);
  const digest = sha256(data);
  await s.files.write('/home/user/t/rand.bin', data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  const inside = (await sh('sha256sum /home/user/t/rand.bin')).split(' ')[0];
  assert.equal(inside, digest, 'sha256sum inside the sandbox');
  const back = await s.files.read('/home/user/t/rand.bin', { format: 'bytes' });
  assert.equal(back.length, data.length);
  assert.equal(sha256(Buffer.from(back)), digest, 'read back (identity)');
  const gz = await s.files.read('/home/user/t/rand.bin', { format: 'bytes', gzip: true });
  assert.equal(sha256(Buffer.from(gz)), digest, 'read back with gzip');
  await s.files.write('/home/user/t/octet.bin', data.buffer.slice(data.byteOffset, data.byteOffset + data.length), { useOctetStream: true });
  assert.equal((await sh('sha256sum /home/user/t/octet.bin')).split(' ')[0], digest, 'octet-stream upload');
  await s.files.write('/home/user/t/gz.txt', 'gzip me', { gzip: true });
  assert.equal(await sh('cat /home/user/t/gz.txt'), 'gzip me', 'gzip upload');
  const multi = await s.files.write([
    { path: '/home/user/t/m1.txt', data: 'one' },
    { path: '/home/user/t/m2.bin', data: new Uint8Array([0, 1, 2, 255]).buffer },
  ]);
  assert.deepEqual(multi.map((x) => x.path).sort(), ['/home/user/t/m1.txt', '/home/user/t/m2.bin']);
  assert.equal(await sh('od -An -tu1 /home/user/t/m2.bin | tr -s " "'), ' 0 1 2 255\n');
});

test('files.read of a missing file → FileNotFoundError', T, async () => {
  await rejectsWith(need().files.read('/home/user/t/missing.txt'), ctx.E.FileNotFoundError, 'read missing');
});

test('a path with CR or LF: read and written as named, never as the cut path', T, async () => {
  // boxtopd reads its own request lines, so /files?path=…%0A… names the whole path.
  const s = need();
  await s.files.write('/home/user/t/nl', 'keep');
  const names = ['/home/user/t/nl\nx', '/home/user/t/nl\rx', '/home/user/t/nl\r\n'];
  for (const p of names) {
    await s.files.write(p, `content of ${JSON.stringify(p)}`);
    assert.equal(await s.files.read(p), `content of ${JSON.stringify(p)}`, `read back ${JSON.stringify(p)}`);
  }
  assert.equal(await sh('cat /home/user/t/nl'), 'keep');
  const listed = (await s.files.list('/home/user/t')).map((e) => e.path);
  for (const p of names) assert.ok(listed.includes(p), `${JSON.stringify(p)} not listed: ${JSON.stringify(listed)}`);
  // the filesystem RPCs carry the name in JSON and handle it too
  await s.files.makeDir('/home/user/t/d\nir');
  assert.ok(await s.files.exists('/home/user/t/d\nir'));
});

test('makeDir: true, then false when it exists; parents created', T, async () => {
  const s = need();
  assert.equal(await s.files.makeDir('/home/user/t/d1/d2'), true);
  assert.equal(await s.files.makeDir('/home/user/t/d1/d2'), false);
  assert.equal(await sh('test -d /home/user/t/d1/d2 && stat -c %U /home/user/t/d1/d2'), 'user\n');
});

test('list with depth 1, 2, 3', T, async () => {
  const s = need();
  await s.files.write('/home/user/t/d1/f1.txt', '1');
  await s.files.write('/home/user/t/d1/d2/f2.txt', '22');
  const names = async (depth) => (await s.files.list('/home/user/t/d1', { depth })).map((e) => e.path).sort();
  assert.deepEqual(await names(1), ['/home/user/t/d1/d2', '/home/user/t/d1/f1.txt']);
  assert.deepEqual(await names(2), ['/home/user/t/d1/d2', '/home/user/t/d1/d2/f2.txt', '/home/user/t/d1/f1.txt']);
  const l1 = await s.files.list('/home/user/t/d1');
  const d2 = l1.find((e) => e.name === 'd2');
  const f1 = l1.find((e) => e.name === 'f1.txt');
  assert.equal(d2.type, 'dir');
  assert.equal(f1.type, 'file');
  assert.equal(f1.size, 1);
  await rejectsWith(s.files.list('/home/user/t/nope'), ctx.E.NotFoundError, 'list missing dir');
});

test('exists', T, async () => {
  const s = need();
  assert.equal(await s.files.exists('/home/user/t/hello.txt'), true);
  assert.equal(await s.files.exists('/home/user/t/d1'), true);
  assert.equal(await s.files.exists('/home/user/t/nothing-here'), false);
});

test('getInfo agrees with stat inside (permissions, owner, group, size, mtime)', T, async () => {
  const s = need();
  await sh('chmod 640 /home/user/t/hello.txt; touch -d "2024-05-06 07:08:09" /home/user/t/hello.txt');
  const i = await s.files.getInfo('/home/user/t/hello.txt');
  const [perm, owner, group, size, mtime] = (await sh('stat -c "%A %U %G %s %Y" /home/user/t/hello.txt')).trim().split(' ');
  assert.equal(i.name, 'hello.txt');
  assert.equal(i.path, '/home/user/t/hello.txt');
  assert.equal(i.type, 'file');
  assert.equal(i.permissions, perm);
  assert.equal(i.mode, 0o640);
  assert.equal(i.owner, owner);
  assert.equal(i.group, group);
  assert.equal(i.size, +size);
  assert.ok(i.modifiedTime instanceof Date, 'modifiedTime');
  assert.equal(Math.floor(i.modifiedTime.getTime() / 1000), +mtime);
  const di = await s.files.getInfo('/home/user/t/d1');
  assert.equal(di.type, 'dir');
  assert.equal(di.permissions, (await sh('stat -c %A /home/user/t/d1')).trim());
  const r = await s.files.getInfo('/etc/hostname', { user: 'root' });
  assert.equal(r.owner, (await sh('stat -c %U /etc/hostname')).trim());
});

test('rename moves a file (and creates the destination parent)', T, async () => {
  const s = need();
  await s.files.write('/home/user/t/a.txt', 'AAA');
  const e = await s.files.rename('/home/user/t/a.txt', '/home/user/t/moved/c.txt');
  assert.equal(e.path, '/home/user/t/moved/c.txt');
  assert.equal(await s.files.exists('/home/user/t/a.txt'), false);
  assert.equal(await s.files.read('/home/user/t/moved/c.txt'), 'AAA');
  await rejectsWith(s.files.rename('/home/user/t/a.txt', '/home/user/t/x.txt'), ctx.E.NotFoundError, 'rename missing');
});

test('remove deletes files and trees; a missing path is fine', T, async () => {
  const s = need();
  await s.files.remove('/home/user/t/moved/c.txt');
  assert.equal(await s.files.exists('/home/user/t/moved/c.txt'), false);
  await s.files.remove('/home/user/t/d1');
  assert.equal(await sh('test -e /home/user/t/d1 && echo still || echo gone'), 'gone\n');
  await s.files.remove('/home/user/t/never-existed');
});

test('watchDir reports create, write and remove (recursive)', T, async () => {
  const s = need();
  const { FilesystemEventType } = ctx.E;
  await s.files.makeDir('/home/user/w/sub');
  const events = [];
  const h = await s.files.watchDir('/home/user/w', (e) => events.push(e), { recursive: true, timeoutMs: 30000 });
  try {
    await s.files.write('/home/user/w/new.txt', 'x');
    await sh('echo more >> /home/user/w/new.txt; touch /home/user/w/sub/deep.txt; rm /home/user/w/new.txt');
    const seen = (type, name) => events.some((e) => e.type === type && e.name === name);
    const ok = await waitFor(() => seen(FilesystemEventType.CREATE, 'new.txt') &&
      seen(FilesystemEventType.WRITE, 'new.txt') && seen(FilesystemEventType.REMOVE, 'new.txt') &&
      seen(FilesystemEventType.CREATE, 'sub/deep.txt'), 10000);
    assert.ok(ok, `events: ${JSON.stringify(events.map((e) => [e.type, e.name]))}`);
  } finally {
    await h.stop();
  }
});

test('uploadUrl/downloadUrl work without the token; a tampered signature → 401/403', T, async () => {
  const d = ctx.need();
  const s = need();
  const up = await s.uploadUrl('/home/user/up/signed.txt');
  const sig = new URL(up).searchParams.get('signature');
  d.noteSecret(sig);
  assert.ok(up.startsWith(d.sandboxUrl + '/files?'), `upload URL ${up.replace(/signature=[^&]*/, 'signature=…')}`);
  const form = new FormData();
  form.append('file', new Blob(['signed upload\n']), 'signed.txt');
  const r = await http(up, { method: 'POST', body: form });
  assert.equal(r.status, 200, `upload → ${r.status} ${r.text}`);
  assert.ok(Array.isArray(r.json) && r.json[0].path === '/home/user/up/signed.txt', r.text);
  assert.equal(await sh('cat /home/user/up/signed.txt'), 'signed upload\n');

  const down = await s.downloadUrl('/home/user/up/signed.txt', { useSignatureExpiration: 120 });
  d.noteSecret(new URL(down).searchParams.get('signature'));
  const g = await http(down);
  assert.equal(g.status, 200);
  assert.equal(g.text, 'signed upload\n');

  const u = new URL(down);
  const s0 = u.searchParams.get('signature');
  u.searchParams.set('signature', s0.slice(0, -1) + (s0.endsWith('A') ? 'B' : 'A'));
  const bad = await http(u.toString());
  assert.ok(bad.status === 401 || bad.status === 403, `tampered signature → ${bad.status}`);
  const other = new URL(down);
  other.searchParams.set('path', '/home/user/t/hello.txt'); // valid signature, other path
  const bad2 = await http(other.toString());
  assert.ok(bad2.status === 401 || bad2.status === 403, `signature for another path → ${bad2.status}`);
  const noSig = new URL(down);
  noSig.searchParams.delete('signature');
  const bad3 = await http(noSig.toString());
  // Without a signature nothing names the sandbox (one envd port for all): 502 like E2B's
  // proxy for an unknown sandbox is as good as envd's 401.
  assert.ok([401, 403, 502].includes(bad3.status), `no signature → ${bad3.status}`);
  const form2 = new FormData();
  form2.append('file', new Blob(['evil']), 'signed.txt');
  let bad4;
  try {
    bad4 = await http(up.replace(/signature=[^&]*/, 'signature=v1_AAAA'), { method: 'POST', body: form2 });
  } catch (e) {
    bad4 = { status: 0, error: e }; // answered and closed before the body was read: refused
  }
  assert.ok([0, 401, 403].includes(bad4.status), `tampered upload → ${bad4.status}`);
  assert.equal(await sh('cat /home/user/up/signed.txt'), 'signed upload\n', 'tampered upload changed the file');
});

// The SDK streams uploads chunked; boxtopd reads any size of them (it once refused chunked
// bodies above 100 MiB, a libwebsockets 4.1 limit). 1 GiB of random 1 MiB pieces, sha256 on
// both sides, boxtopd's RSS small throughout.
const BIG = { timeout: 300000 };
const sha256In = async (p) => (await need().commands.run(`sha256sum '${p}' | cut -d" " -f1`, { timeoutMs: 120_000 })).stdout;

async function writeStream(s, path, mib) {
  const chunk = randomBytes(1 << 20);
  const h = createHash('sha256');
  let i = 0;
  const stream = new ReadableStream({
    pull(c) {
      if (i++ >= mib) return c.close();
      chunk[0] = i & 0xff; // no two neighbouring pieces alike
      h.update(chunk);
      c.enqueue(new Uint8Array(chunk));
    },
  });
  const w = await s.files.write(path, stream);
  return { w, digest: h.digest('hex') };
}

test('files.write of a 1 GiB stream (the SDK sends it chunked) arrives byte-exact', BIG, async () => {
  const d = ctx.need();
  const s = need();
  const rss0 = vmKb(d.pid, 'VmRSS');
  const { w, digest } = await writeStream(s, '/home/user/stream1g.bin', 1024);
  const grown = vmKb(d.pid, 'VmHWM') - rss0;
  assert.equal(w.path, '/home/user/stream1g.bin');
  assert.equal(await sha256In('/home/user/stream1g.bin'), digest + '\n');
  assert.ok(grown < 16 * 1024, `boxtopd's peak RSS grew by ${grown} KiB for a 1 GiB chunked upload`);
  await s.files.remove('/home/user/stream1g.bin');
});

test('curl -H "Transfer-Encoding: chunked" uploads 1 GiB byte-exact', BIG, async () => {
  const d = ctx.need();
  const s = need();
  const url = `${d.sandboxUrl}/files?path=/home/user/curl1g.bin`;
  const args = ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code}', '-H', `E2b-Sandbox-Id: ${s.sandboxId}`,
    '-H', `X-Access-Token: ${s.envdAccessToken}`, '-H', 'Transfer-Encoding: chunked', '-H', 'Expect:',
    '-H', 'Content-Type: application/octet-stream', '-X', 'POST', '-T', '-', url];
  const curl = spawn('curl', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let errText = '';
  curl.stdout.on('data', (b) => (out += b));
  curl.stderr.on('data', (b) => (errText += b));
  const done = new Promise((resolve) => curl.on('close', resolve));
  const h = createHash('sha256');
  const chunk = randomBytes(1 << 20);
  for (let i = 0; i < 1024; i++) {
    chunk[1] = i & 0xff;
    h.update(chunk);
    if (!curl.stdin.write(Buffer.from(chunk))) await new Promise((r) => curl.stdin.once('drain', r));
  }
  curl.stdin.end();
  const code = await done;
  assert.equal(code, 0, `curl exited ${code}: ${errText}`);
  assert.equal(out, '200', `status ${out}`);
  assert.equal(await sha256In('/home/user/curl1g.bin'), h.digest('hex') + '\n');
  await s.files.remove('/home/user/curl1g.bin');
});

test('slow clients: a 40 MiB upload and download at 5 MB/s (~8 s each) complete byte-exact, RSS stays small', T, async () => {
  const d = ctx.need();
  const s = need();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-slow-'));
  try {
    const src = path.join(dir, 'src.bin');
    const back = path.join(dir, 'back.bin');
    fs.writeFileSync(src, randomBytes(40 << 20));
    const digest = sha256(fs.readFileSync(src));
    const hdr = ['-H', `E2b-Sandbox-Id: ${s.sandboxId}`, '-H', `X-Access-Token: ${s.envdAccessToken}`, '-H', 'Expect:'];
    const url = `${d.sandboxUrl}/files?path=/home/user/slow.bin`;
    const rss0 = vmKb(d.pid, 'VmRSS');
    const up = spawnSync('curl', ['-sS', '--fail', '-o', '/dev/null', '--limit-rate', '5M', ...hdr, '-X', 'POST', '-H', 'Content-Type: application/octet-stream', '-T', src, url], { encoding: 'utf8', timeout: 30000 });
    assert.equal(up.status, 0, `slow upload: curl ${up.status} ${up.stderr}`);
    assert.equal(await sh('sha256sum /home/user/slow.bin | cut -d" " -f1'), digest + '\n', 'slow upload content');
    const down = spawnSync('curl', ['-sS', '--fail', '-o', back, '--limit-rate', '5M', ...hdr, url], { encoding: 'utf8', timeout: 30000 });
    assert.equal(down.status, 0, `slow download: curl ${down.status} ${down.stderr.trim()} after ${fs.existsSync(back) ? fs.statSync(back).size : 0} bytes`);
    assert.equal(sha256(fs.readFileSync(back)), digest, 'slow download content');
    const grown = vmKb(d.pid, 'VmHWM') - rss0;
    assert.ok(grown < 16 * 1024, `boxtopd's peak RSS grew by ${grown} KiB for a 40 MiB transfer`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function vmKb(pid, key) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+)`));
  return m ? +m[1] : NaN;
}

test('a killed sandbox → the SDK reports it gone (files and commands)', T, async () => {
  const { Sandbox, NotFoundError, TimeoutError } = ctx.E;
  const d = ctx.need();
  const k = await Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(k);
  await k.files.write('/home/user/x.txt', 'x');
  await k.kill();
  let err;
  try {
    await k.files.read('/home/user/x.txt');
  } catch (e) {
    err = e;
  }
  // The SDK maps envd's 502 "sandbox not found" on /files to its sandbox-timeout error.
  assert.ok(err instanceof NotFoundError || err instanceof TimeoutError, `files.read → ${err && err.constructor.name}: ${err && err.message}`);
  await rejectsWith(k.commands.run('true'), NotFoundError, 'commands.run');
  await rejectsWith(k.files.list('/'), Error, 'files.list');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
