// volume-rootless.mjs - the volume content API of a boxtopd that is not root (rootless: it can
// chown nothing but to itself). makeDir/writeFile for an owner other than "user" (uid 1000)
// are refused with a 403 *before* anything is created: a refused request changes nothing on
// disk. Run as root (CI), boxtopd runs as nobody through setpriv; unprivileged, as it is.
// --base host: no image is built (nothing is downloaded), no sandbox is needed.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assert, fileContext, rejectsWith, uniq } from './lib/common.mjs';
import { boxtopdBin, http } from './lib/boxtopd.mjs';

const ctx = fileContext('volume-rootless');
const T = { timeout: 60000 };
const NOBODY = 65534;
let tmp;
const dataDir = () => path.join(ctx.d.stateDir, 'volumes', ctx.vol.volumeId, 'data');

test('boxtopd starts unprivileged; a volume to work on', T, async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtopd-volume-rootless-'));
  fs.chmodSync(tmp, 0o755);
  const stateDir = path.join(tmp, 'state');
  fs.mkdirSync(stateDir, { mode: 0o700 });
  let bin;
  if (process.getuid() === 0) {
    fs.chownSync(stateDir, NOBODY, NOBODY);
    bin = path.join(tmp, 'boxtopd-as-nobody');
    fs.writeFileSync(bin, `#!/bin/sh\nexport HOME=${tmp}\nexec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups ${boxtopdBin} "$@"\n`, { mode: 0o755 });
  }
  const d = await ctx.start({ stateDir, bin, extraArgs: ['--base', 'host'] });
  process.env.E2B_VOLUME_API_URL = d.apiUrl;
  ctx.vol = await ctx.E.Volume.create(`rootless-${uniq()}`);
  d.noteSecret(ctx.vol.token);
});

test('makeDir/writeFile for "user" work and are owned by boxtopd\'s own uid on disk', T, async () => {
  const v = ctx.vol;
  const e = await v.makeDir('/mine');
  assert.equal(e.uid, 1000);
  assert.equal(fs.statSync(path.join(dataDir(), 'mine')).uid, process.getuid() === 0 ? NOBODY : process.getuid());
  assert.equal((await v.writeFile('/mine/f.txt', 'x')).uid, 1000);
});

test('another owner: 403 before anything is created (makeDir, makeDir -p, writeFile)', T, async () => {
  const { VolumeError } = ctx.E;
  const v = ctx.vol;
  const before = fs.readdirSync(dataDir()).sort();
  const e1 = await rejectsWith(v.makeDir('/root-owned', { uid: 0 }), VolumeError, 'makeDir uid 0');
  assert.match(e1.message, /^403: /);
  await rejectsWith(v.makeDir('/p/q/r', { uid: 0, force: true }), VolumeError, 'makeDir -p uid 0');
  await rejectsWith(v.makeDir('/g', { gid: 0 }), VolumeError, 'makeDir gid 0');
  await rejectsWith(v.writeFile('/w.txt', 'data', { uid: 0 }), VolumeError, 'writeFile uid 0');
  await rejectsWith(v.writeFile('/new/deep/w.txt', 'data', { uid: 2000 }), VolumeError, 'writeFile -p uid 2000');
  assert.deepEqual(fs.readdirSync(dataDir()).sort(), before, 'a refused request created something');
  const r = await http(`${ctx.d.apiUrl}/volumecontent/${v.volumeId}/dir?path=%2Fx&uid=0`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${v.token}` },
  });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.code, '403');
  assert.equal(fs.existsSync(path.join(dataDir(), 'x')), false);
});

test('teardown: boxtopd exits 0, no process left', T, async () => {
  try {
    await ctx.teardown();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
