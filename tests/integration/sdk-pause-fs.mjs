// sdk-pause-fs.mjs - issue 21: pause without memory through the official SDK, in the spirit
// of upstream's "filesystem-only pause" tests: pause({keepMemory:false}) stops the processes
// and keeps the files; connect cold-boots the sandbox (init and start command again) with a
// new boot id; auto-pause with keepMemory false does the same at the timeout; a pause with
// memory keeps processes and boot id; connect({onResume:'reboot'}) cold-boots a frozen one.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-pause-fs');
const T = { timeout: 90000 };
const bootId = async (s) => (await s.commands.run('cat /proc/sys/kernel/random/boot_id')).stdout.trim();
const alive = async (s, pid) => (await s.commands.run(`kill -0 ${pid} 2>/dev/null && echo yes || echo no`)).stdout.trim();

test('boxtopd starts', T, async () => {
  await ctx.start();
});

test('the boot id is the sandbox\'s own: sandboxes differ from each other and from the host', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const a = await Sandbox.create('base', { timeoutMs: 60_000 });
  const b = await Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(a);
  d.track(b);
  const ia = await bootId(a);
  assert.match(ia, /^[0-9a-f-]{36}$/);
  assert.notEqual(ia, await bootId(b));
  const { readFileSync } = await import('node:fs');
  assert.notEqual(ia, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  // the sandbox's boot id lives in its own /dev, never the host's (other boxtopds may run on
  // this machine: the check is that the host's file, if any, holds none of our ids)
  const hostFile = (await import('node:fs')).existsSync('/dev/.boot_id') ? readFileSync('/dev/.boot_id', 'utf8').trim() : '';
  assert.ok(hostFile !== ia && hostFile !== (await bootId(b)), 'our boot ids were not written to the host /dev');
  await a.kill();
  await b.kill();
});

test('pause({keepMemory:false}) keeps files, stops processes; connect cold-boots with a new boot id', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  await s.files.write('/home/user/kept.txt', 'on disk');
  const bg = await s.commands.run('sleep 600', { background: true });
  const id1 = await bootId(s);
  assert.equal(await s.pause({ keepMemory: false }), true);
  const info = await Sandbox.getInfo(s.sandboxId);
  assert.equal(info.state, 'paused');
  const r = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000 });
  assert.equal(await r.isRunning(), true);
  assert.equal(await r.files.read('/home/user/kept.txt'), 'on disk');
  const id2 = await bootId(r);
  assert.notEqual(id2, id1, 'a new boot id after a filesystem-only pause');
  assert.equal(await alive(r, bg.pid), 'no', 'processes did not survive');
  await r.kill();
});

test('pause with memory keeps the processes and the boot id; onResume reboot cold-boots it', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  const bg = await s.commands.run('sleep 600', { background: true });
  const id1 = await bootId(s);
  await s.pause();
  const r = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000 });
  assert.equal(await bootId(r), id1, 'same boot after a pause with memory');
  assert.equal(await alive(r, bg.pid), 'yes');
  await r.pause();
  const r2 = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000, onResume: 'reboot' });
  assert.notEqual(await bootId(r2), id1, 'reboot: a new boot id');
  await r2.kill();
});

test('auto-pause without memory at the timeout; connect gives a new boot id and the files', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  const s = await Sandbox.create('base', { timeoutMs: 3_000, lifecycle: { onTimeout: { action: 'pause', keepMemory: false } } });
  d.track(s);
  await s.files.write('/home/user/auto.txt', 'auto');
  const id1 = await bootId(s);
  const raw = await d.api('GET', `/sandboxes/${s.sandboxId}`);
  assert.equal(raw.json.lifecycle.autoPauseMemory, false);
  const paused = await waitFor(async () => (await Sandbox.getInfo(s.sandboxId)).state === 'paused' || undefined, 20000, 250);
  assert.ok(paused, 'auto-paused');
  const r = await Sandbox.connect(s.sandboxId, { timeoutMs: 60_000 });
  assert.equal(await r.files.read('/home/user/auto.txt'), 'auto');
  assert.notEqual(await bootId(r), id1);
  await r.kill();
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
