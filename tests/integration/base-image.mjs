// base-image.mjs - issue 14: boxtopd without its base image in the cache builds it in the
// background and says so: GET /health shows the progress, creates answer 503 with
// Retry-After (the SDK's create fails instead of hanging), and a stop ends the build with no
// process left; when the image cannot be built, /health and create say why. The "mirror" is
// a loopback server that never answers (a build that cannot progress) or a closed port (one
// that fails), with a private, empty cache (XDG_CACHE_HOME).
import { test } from 'node:test';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { http, waitFor } from './lib/boxtopd.mjs';

const T = { timeout: 90000 };
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-base-cache-'));
const sockets = new Set();
const silent = net.createServer((s) => { sockets.add(s); s.on('error', () => {}); s.on('close', () => sockets.delete(s)); });
await new Promise((r) => silent.listen(0, '127.0.0.1', r));
const closed = net.createServer();
await new Promise((r) => closed.listen(0, '127.0.0.1', r));
const closedPort = closed.address().port;
await new Promise((r) => closed.close(r)); // nobody listens there now

const building = fileContext('base-image-building');
const failing = fileContext('base-image-failing');
const health = async (d) => (await http(`${d.apiUrl}/health`)).text;

test('no image in the cache: boxtopd starts at once and builds it in the background', T, async () => {
  process.env.XDG_CACHE_HOME = cache;
  const d = await building.start({ extraArgs: ['--base-mirror', `http://127.0.0.1:${silent.address().port}/debian`] });
  const h = await waitFor(async () => { const t = await health(d); return /base: [a-z ]+ \d+ %/.test(t) && t; }, 20000);
  assert.ok(h, `health: ${await health(d)}`);
  assert.match(h, /^Health check successful \(.*base: [a-z ]+ \d+ %\)$/);
});

test('create while building: 503 with Retry-After and the progress; the SDK gets an error', T, async () => {
  const d = building.need();
  const r = await d.api('POST', '/sandboxes', { body: { templateID: 'base' } });
  assert.equal(r.status, 503, r.text);
  assert.equal(r.headers.get('retry-after'), '5');
  assert.match(r.json.message, /base image is being built \([a-z ]+ \d+ %\)/);
  await assert.rejects(building.E.Sandbox.create('base'), /503|being built/);
});

test('stopping boxtopd ends the build: exit 0, no builder or mmdebstrap left', T, async () => {
  await building.teardown();
});

test('an image that cannot be built: /health and create say why', T, async () => {
  const d = await failing.start({ extraArgs: ['--base-mirror', `http://127.0.0.1:${closedPort}/debian`] });
  const h = await waitFor(async () => { const t = await health(d); return /base image failed/.test(t) && t; }, 60000);
  assert.ok(h, `health: ${await health(d)}`);
  assert.match(h, /base image failed: mmdebstrap failed \(exit \d+\): .*127\.0\.0\.1/);
  const r = await d.api('POST', '/sandboxes', { body: { templateID: 'base' } });
  assert.equal(r.status, 500, r.text);
  assert.match(r.json.message, /no base image: mmdebstrap failed .*--base host/);
  assert.deepEqual(fs.readdirSync(path.join(cache, 'boxtop/base')).filter((n) => !n.endsWith('.lock')).flatMap(
    (n) => fs.readdirSync(path.join(cache, 'boxtop/base', n))), [], 'a failed build left files in the cache');
});

test('teardown: boxtopd exits 0, no process left', T, async () => {
  try {
    await failing.teardown();
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
    fs.rmSync(cache, { recursive: true, force: true });
    delete process.env.XDG_CACHE_HOME;
  }
});
