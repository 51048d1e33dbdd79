// sdk-volumes.mjs - issue 21: volumes through the official SDK, in the spirit of upstream's
// volume tests: Volume.create/list/getInfo/connect/destroy (and their errors), volumeMounts at
// create, one volume mounted into two sandboxes at once (files written by one are the other's,
// owned by "user" in both), kept when the sandboxes die and across a restart, bad mounts 400.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { assert, fileContext, rejectsWith, uniq } from './lib/common.mjs';

const ctx = fileContext('sdk-volumes');
const T = { timeout: 90000 };
const run = async (s, cmd, opts) => (await s.commands.run(cmd, opts)).stdout;

test('boxtopd starts', T, async () => {
  await ctx.start();
});

test('Volume.create / list / getInfo / connect; bad and duplicate names', T, async () => {
  const { Volume, VolumeError, VolumeNotFoundError } = ctx.E;
  const name = `data-${uniq()}`;
  const v = await Volume.create(name);
  ctx.d.noteSecret(v.token);
  assert.match(v.volumeId, /^[0-9a-f-]{36}$/);
  assert.equal(v.name, name);
  assert.ok(v.token && v.token.length >= 32);
  const list = await Volume.list();
  assert.ok(list.some((x) => x.volumeId === v.volumeId && x.name === name), JSON.stringify(list));
  const info = await Volume.getInfo(v.volumeId);
  assert.equal(info.name, name);
  const again = await Volume.connect(v.volumeId);
  assert.equal(again.volumeId, v.volumeId);
  await rejectsWith(Volume.create(name), VolumeError, 'duplicate name');
  await rejectsWith(Volume.create('bad name!'), VolumeError, 'invalid name');
  await rejectsWith(Volume.getInfo('00000000-0000-4000-8000-000000000000'), VolumeNotFoundError, 'unknown id');
  const raw = await ctx.d.api('GET', '/volumes/not-a-uuid');
  assert.equal(raw.status, 400);
  ctx.vol = v;
});

test('one volume mounted into two sandboxes: each sees the other\'s files, owned by user', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const a = await Sandbox.create('base', { timeoutMs: 120_000, volumeMounts: { '/mnt/data': ctx.vol } });
  const b = await Sandbox.create('base', { timeoutMs: 120_000, volumeMounts: { '/home/user/shared': ctx.vol.name } });
  d.track(a);
  d.track(b);
  await a.files.write('/mnt/data/from-a.txt', 'written by a');
  assert.equal(await b.files.read('/home/user/shared/from-a.txt'), 'written by a');
  await run(b, 'echo from b > /home/user/shared/from-b.txt && mkdir -p /home/user/shared/dir');
  assert.equal(await run(a, 'cat /mnt/data/from-b.txt; stat -c %U /mnt/data/from-b.txt /mnt/data/from-a.txt /mnt/data/dir'),
    'from b\nuser\nuser\nuser\n');
  const info = await Sandbox.getInfo(a.sandboxId);
  assert.deepEqual(info.volumeMounts, [{ name: ctx.vol.name, path: '/mnt/data' }]);
  const listed = (await d.api('GET', '/volumes')).json.find((x) => x.volumeID === ctx.vol.volumeId);
  assert.deepEqual(listed.mountedBy.sort(), [a.sandboxId, b.sandboxId].sort());
  assert.ok(listed.sizeBytes > 0);
  // the volume is not the sandbox's writable layer: a snapshot leaves it out, forks keep the mount
  const forks = await a.fork();
  d.track(forks[0]);
  assert.equal(await forks[0].files.read('/mnt/data/from-b.txt'), 'from b\n');
  await forks[0].kill();
  await a.kill();
  await b.kill();
});

test('the volume outlives its sandboxes and a restart; a new sandbox sees the files', T, async () => {
  const { Sandbox, Volume } = ctx.E;
  const d = ctx.need();
  await d.stop();
  await d.restart();
  assert.ok((await Volume.list()).some((x) => x.volumeId === ctx.vol.volumeId));
  const c = await Sandbox.create('base', { timeoutMs: 60_000, volumeMounts: { '/data': ctx.vol.name } });
  d.track(c);
  assert.equal(await c.files.read('/data/from-a.txt'), 'written by a');
  // paused and resumed: mounted again on the cold boot
  await c.pause({ keepMemory: false });
  const r = await Sandbox.connect(c.sandboxId, { timeoutMs: 60_000 });
  assert.equal(await r.files.read('/data/from-a.txt'), 'written by a');
  await r.kill();
});

test('volumeMounts errors: unknown volume, relative or unclean path, duplicate path → 400', T, async () => {
  const d = ctx.need();
  const bad = [
    [{ name: 'nope', path: '/mnt/x' }],
    [{ name: ctx.vol.name, path: 'rel' }],
    [{ name: ctx.vol.name, path: '/a/../b' }],
    [{ name: ctx.vol.name, path: '/m' }, { name: ctx.vol.name, path: '/m' }],
  ];
  for (const vm of bad) {
    const r = await d.api('POST', '/v2/sandboxes', { body: { templateID: 'base', volumeMounts: vm } });
    assert.equal(r.status, 400, `${JSON.stringify(vm)} → ${r.status} ${r.text}`);
    assert.match(r.json.message, /invalid mounts|volume mount #/);
  }
});

test('Volume.destroy removes the files; a second destroy → false', T, async () => {
  const { Volume, VolumeNotFoundError } = ctx.E;
  const d = ctx.need();
  const dir = path.join(d.stateDir, 'volumes', ctx.vol.volumeId);
  assert.ok(fs.existsSync(dir));
  assert.equal(await Volume.destroy(ctx.vol.volumeId), true);
  assert.equal(fs.existsSync(dir), false);
  assert.equal(await Volume.destroy(ctx.vol.volumeId), false);
  await rejectsWith(Volume.getInfo(ctx.vol.volumeId), VolumeNotFoundError, 'after destroy');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
