// network-isolation.mjs - a sandbox created without internet access (allowInternetAccess:
// false, or network.denyOut [ALL_TRAFFIC]) really has none: its own network namespace with
// only lo (up), so a TCP listener the test runs on the host's 127.0.0.1 is out of its reach,
// while a normal sandbox (the host's network) connects to it. Commands, files, PTY, metrics,
// pause/resume (with and without memory), a boxtopd restart and a fork all keep it isolated.
// updateNetwork and the create's rules: what a namespace cannot enforce is upstream's 500.
import net from 'node:net';
import fs from 'node:fs';
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';
import { http, startBoxtopd, waitFor } from './lib/boxtopd.mjs';

// network-isolation-rootless.sh: the same as another user (rootless), on root's image tarball
const baseTar = process.env.BOXTOP_NETNS_BASE_ROOTFS;
const ctx = fileContext(baseTar ? 'network-isolation-rootless' : 'network-isolation');
const T = { timeout: 120000 };
let server;
let port;
let accepted = 0;
const hostNetns = fs.readlinkSync('/proc/self/ns/net');

const sh = async (s, cmd) => (await s.commands.run(cmd, { timeoutMs: 30000 })).stdout.trim();
// bash's /dev/tcp: "connected" only when the host's listener answered
const reach = (s) =>
  sh(s, `timeout 5 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}; head -c 5 <&3' 2>/dev/null || echo unreachable`);
const netns = (s) => sh(s, 'readlink /proc/self/ns/net');
// /proc/net/dev: the interfaces of the reader's network namespace, one a line after 2 heads
const ifaces = async (s) =>
  (await sh(s, 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | sort | tr "\\n" " "')).trim();
// lo is up: a listener on the sandbox's own 127.0.0.1 takes a connection
const loWorks = (s) =>
  sh(s, `python3 -c "import socket; l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(); ` +
    `c = socket.create_connection(l.getsockname(), timeout=5); print('lo-ok')"`);

async function assertIsolated(s, what) {
  assert.notEqual(await netns(s), hostNetns, `${what}: a network namespace of its own`);
  assert.equal(await ifaces(s), 'lo', `${what}: only lo in /proc/net/dev`);
  assert.equal(await loWorks(s), 'lo-ok', `${what}: lo is up`);
  const before = accepted;
  assert.equal(await reach(s), 'unreachable', `${what}: the host's listener is out of reach`);
  assert.equal(accepted, before, `${what}: the host's listener saw no connection`);
}

test('boxtopd starts; a TCP listener on the host\'s 127.0.0.1', { timeout: 180000 }, async () => {
  await ctx.start(baseTar ? { extraArgs: ['--base-rootfs', baseTar] } : {});
  // a tarball is unpacked first: creates answer 503 until then
  const ready = await waitFor(async () => !/base: /.test((await http(`${ctx.d.apiUrl}/health`)).text), 100000, 250);
  assert.ok(ready, 'the base image is ready');
  server = net.createServer((c) => {
    accepted++;
    c.end('hello');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  port = server.address().port;
  const h = (await http(`${ctx.d.apiUrl}/health`)).text;
  assert.doesNotMatch(h, /network namespaces/, '/health: network namespaces work here');
});

test('a normal sandbox shares the host\'s network and reaches the listener', T, async () => {
  const { Sandbox } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 60_000 });
  ctx.need().track(s);
  assert.equal(await netns(s), hostNetns);
  const before = accepted;
  assert.equal(await reach(s), 'hello');
  assert.equal(accepted, before + 1);
  assert.equal((await Sandbox.getInfo(s.sandboxId)).allowInternetAccess, true);
  await s.kill();
});

let iso;
test('allowInternetAccess false: own netns with only lo (up), the listener unreachable; commands, files, PTY, metrics work', T, async () => {
  const { Sandbox } = ctx.E;
  iso = await Sandbox.create('base', { timeoutMs: 120_000, allowInternetAccess: false });
  ctx.need().track(iso);
  await assertIsolated(iso, 'created');
  assert.equal((await Sandbox.getInfo(iso.sandboxId)).allowInternetAccess, false, 'getInfo reports it');
  await iso.files.write('/home/user/n.txt', 'no net');
  assert.equal(await iso.files.read('/home/user/n.txt'), 'no net');
  assert.equal(await sh(iso, 'cat /home/user/n.txt; echo " $(id -un)"'), 'no net user');
  let out = '';
  const pty = await iso.pty.create({ cols: 80, rows: 24, timeoutMs: 0, onData: (d) => (out += Buffer.from(d).toString()) });
  await iso.pty.sendInput(pty.pid, new TextEncoder().encode('echo PTY-$((6*7)); exit\n'));
  assert.ok(await waitFor(() => out.includes('PTY-42'), 15000), `PTY output: ${JSON.stringify(out.slice(-200))}`);
  const m = await waitFor(async () => {
    const ms = await iso.getMetrics();
    return ms.length ? ms : undefined;
  }, 20000, 500);
  assert.ok(m && m[0].memUsed > 0, 'metrics are sampled');
});

test('pause/resume (memory kept) and pause without memory (cold boot) keep it isolated', T, async () => {
  const { Sandbox } = ctx.E;
  assert.equal(await iso.pause(), true);
  let r = await Sandbox.connect(iso.sandboxId, { timeoutMs: 120_000 });
  await assertIsolated(r, 'after resume');
  assert.equal(await r.pause({ keepMemory: false }), true);
  r = await Sandbox.connect(iso.sandboxId, { timeoutMs: 120_000 });
  await assertIsolated(r, 'after a cold boot');
  assert.equal(await r.files.read('/home/user/n.txt'), 'no net');
});

test('a boxtopd restart keeps the running sandbox isolated, and a fork of it is isolated too', T, async () => {
  const { Sandbox } = ctx.E;
  const d = ctx.need();
  await d.stop();
  await d.restart();
  const r = await Sandbox.connect(iso.sandboxId, { timeoutMs: 120_000 });
  iso = r; // the restarted boxtopd's envd listens elsewhere
  await assertIsolated(r, 'after a boxtopd restart');
  const [f] = await r.fork({ count: 1 });
  d.track(f);
  await assertIsolated(f, 'a fork');
  assert.equal((await Sandbox.getInfo(f.sandboxId)).allowInternetAccess, false);
  await f.kill();
});

test('updateNetwork: the same isolation again is a no-op, anything else a 500 (nothing changed)', T, async () => {
  const { Sandbox, ALL_TRAFFIC } = ctx.E;
  await Sandbox.updateNetwork(iso.sandboxId, { allowInternetAccess: false });
  await Sandbox.updateNetwork(iso.sandboxId, { denyOut: [ALL_TRAFFIC] });
  for (const n of [{ allowInternetAccess: true }, {}, { denyOut: [ALL_TRAFFIC], allowOut: ['127.0.0.1'] }]) {
    await assert.rejects(Sandbox.updateNetwork(iso.sandboxId, n), /Error applying network config/, JSON.stringify(n));
  }
  await assertIsolated(iso, 'after refused updates');
  const open = await Sandbox.create('base', { timeoutMs: 60_000 });
  ctx.need().track(open);
  await Sandbox.updateNetwork(open.sandboxId, { allowInternetAccess: true });
  for (const n of [{ allowInternetAccess: false }, { denyOut: ['10.0.0.0/8'] }, { denyOut: [ALL_TRAFFIC] }]) {
    await assert.rejects(Sandbox.updateNetwork(open.sandboxId, n), /Error applying network config/, JSON.stringify(n));
  }
  assert.equal(await reach(open), 'hello', 'the open sandbox still reaches the listener');
  await open.kill();
});

test('create with network rules: denyOut ALL_TRAFFIC isolates; per-address rules are a 500 and create nothing', T, async () => {
  const { Sandbox, ALL_TRAFFIC } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 60_000, network: { denyOut: [ALL_TRAFFIC] } });
  ctx.need().track(s);
  await assertIsolated(s, 'denyOut ALL_TRAFFIC');
  await s.kill();
  const count = async () => (await Sandbox.list().nextItems()).length;
  const n0 = await count();
  for (const o of [{ network: { denyOut: ['10.0.0.0/8'] } }, { network: { denyOut: [ALL_TRAFFIC], allowOut: ['127.0.0.1'] } },
    { allowInternetAccess: false, network: { allowOut: ['127.0.0.1'] } }]) {
    await assert.rejects(Sandbox.create('base', { timeoutMs: 60_000, ...o }), /cut a sandbox off the network entirely/, JSON.stringify(o));
  }
  assert.equal(await count(), n0, 'no sandbox was created');
  // upstream's 400s come first
  await assert.rejects(Sandbox.create('base', { network: { denyOut: ['example.com'] } }), /invalid denied CIDR example.com/);
});

test('teardown leaves nothing behind', T, async () => {
  if (iso) await iso.kill().catch(() => {});
  await ctx.teardown();
});

// Where no network namespace can be made (here: plain process trees, the same check as a
// kernel that refused one at start), a sandbox without internet is refused, never run open.
test('without network namespaces a create without internet fails with 500 and says why', T, async () => {
  const { Sandbox } = ctx.E;
  process.env.BOXTOPD_ISOLATION = 'plain';
  let d;
  try {
    d = await startBoxtopd({ name: `${ctx.name}-plain` });
  } finally {
    delete process.env.BOXTOPD_ISOLATION;
  }
  try {
    const opts = { apiUrl: d.apiUrl, sandboxUrl: d.sandboxUrl, apiKey: d.apiKey };
    for (const o of [{ allowInternetAccess: false }, { network: { denyOut: [ctx.E.ALL_TRAFFIC] } }]) {
      await assert.rejects(Sandbox.create('base', { ...opts, timeoutMs: 60_000, ...o }),
        /500: .*cannot take a sandbox off the network \(no namespaces: plain process trees\)/, JSON.stringify(o));
    }
    assert.equal((await Sandbox.list(opts).nextItems()).length, 0, 'no sandbox was created');
    const s = await Sandbox.create('base', { ...opts, timeoutMs: 60_000 });
    d.track(s);
    assert.equal(await reach(s), 'hello', 'a sandbox with internet still works');
    await s.kill();
  } finally {
    if (server) server.close();
    const problems = await d.teardown();
    assert.deepEqual(problems, [], problems.join('; '));
  }
});
