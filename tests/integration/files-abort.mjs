// files-abort.mjs - a sandbox that goes away (kill, pause) ends its /files transfers at once,
// as E2B's edge does when the VM is gone: a slow upload (curl --limit-rate) ends within
// seconds with an error instead of being taken to its end, and what it wrote goes with the
// killed sandbox; a pause ends it too. A slow download is cut the same way.
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('files-abort');
const T = { timeout: 90000 };
let dir;

// 64 MiB at 2 MB/s: ~32 s if nothing stops it
function slowUpload(s, target) {
  const d = ctx.need();
  const src = path.join(dir, 'src.bin');
  if (!fs.existsSync(src)) fs.writeFileSync(src, randomBytes(64 << 20));
  const args = ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code}', '--limit-rate', '2M',
    '-H', `E2b-Sandbox-Id: ${s.sandboxId}`, '-H', `X-Access-Token: ${s.envdAccessToken}`, '-H', 'Expect:',
    '-H', 'Content-Type: application/octet-stream', '-X', 'POST', '-T', src,
    `${d.sandboxUrl}/files?path=${encodeURIComponent(target)}`];
  const curl = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const r = { out: '', err: '', code: null, endedAt: 0 };
  curl.stdout.on('data', (b) => (r.out += b));
  curl.stderr.on('data', (b) => (r.err += b));
  r.done = new Promise((resolve) => curl.on('close', (code) => {
    r.code = code;
    r.endedAt = Date.now();
    resolve(r);
  }));
  r.curl = curl;
  return r;
}

async function ended(r, t0, what) {
  const guard = setTimeout(() => r.curl.kill('SIGKILL'), 30000);
  await r.done;
  clearTimeout(guard);
  assert.ok(r.endedAt - t0 < 3000, `${what}: curl went on for ${r.endedAt - t0} ms (${r.out} ${r.err.trim()})`);
  assert.notEqual(r.code, 0, `${what}: curl must see an error (status ${r.out})`);
}

function namesUnder(root, name, found = []) {
  let ents = [];
  try {
    ents = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of ents) {
    const p = path.join(root, e.name);
    if (e.name === name) found.push(p);
    if (e.isDirectory() && !e.isSymbolicLink()) namesUnder(p, name, found);
  }
  return found;
}

test('boxtopd starts', T, async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-abort-'));
  await ctx.start();
});

test('kill: a slow upload into the sandbox ends at once with an error; its file is gone', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  const r = slowUpload(s, '/home/user/abort-kill.bin');
  await new Promise((res) => setTimeout(res, 2500)); // well under way
  assert.equal(r.code, null, `the upload is still running (${r.err.trim()})`);
  const t0 = Date.now();
  await s.kill();
  await ended(r, t0, 'kill');
  // the killed sandbox's files go to the runtime's trash, emptied in the background
  await waitFor(() => namesUnder(d.stateDir, 'abort-kill.bin').length === 0, 30000, 200);
  assert.deepEqual(namesUnder(d.stateDir, 'abort-kill.bin'), [], 'no partial file left');
});

test('pause: a slow upload into the sandbox ends at once with an error', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  const r = slowUpload(s, '/home/user/abort-pause.bin');
  await new Promise((res) => setTimeout(res, 2500));
  assert.equal(r.code, null, `the upload is still running (${r.err.trim()})`);
  const t0 = Date.now();
  assert.equal(await s.pause(), true);
  await ended(r, t0, 'pause');
  await s.kill();
});

function slowDownload(s, file, extra = []) {
  const d = ctx.need();
  // 10 MB/s: what already sits in the socket buffers (a few MB) drains in well under a second
  const args = ['-sS', '--fail', '-o', '/dev/null', '-w', '%{http_code}', '--limit-rate', '10M', ...extra,
    '-H', `E2b-Sandbox-Id: ${s.sandboxId}`, '-H', `X-Access-Token: ${s.envdAccessToken}`,
    `${d.sandboxUrl}/files?path=${encodeURIComponent(file)}`];
  const curl = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const r = { out: '', err: '', code: null, endedAt: 0, curl };
  curl.stdout.on('data', (b) => (r.out += b));
  curl.stderr.on('data', (b) => (r.err += b));
  r.done = new Promise((resolve) => curl.on('close', (code) => {
    r.code = code;
    r.endedAt = Date.now();
    resolve(r);
  }));
  return r;
}

for (const [how, extra] of [['kill', []], ['pause', ['-H', 'Accept-Encoding: gzip']]]) {
  test(`${how}: a slow download (${extra.length ? 'gzip, streamed' : 'the file as it is'}) from the sandbox is cut at once`, T, async () => {
    const { Sandbox } = ctx.E;
    const d = ctx.need();
    const s = await Sandbox.create('base', { timeoutMs: 120_000 });
    d.track(s);
    await s.commands.run('head -c 268435456 /dev/urandom > /home/user/big.bin', { timeoutMs: 60_000 }); // ~27 s at 10 MB/s
    const r = slowDownload(s, '/home/user/big.bin', extra);
    await new Promise((res) => setTimeout(res, 2500));
    assert.equal(r.code, null, `the download is still running (${r.err.trim()})`);
    const t0 = Date.now();
    if (how === 'kill') await s.kill();
    else assert.equal(await s.pause(), true);
    await ended(r, t0, how);
    if (how === 'pause') await s.kill();
  });
}

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await ctx.teardown();
});
