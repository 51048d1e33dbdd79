// sdk-sandbox.mjs - issue 4 acceptance with the official e2b JS SDK (pinned 2.51.0): create
// with metadata/envs/timeout, list with metadata and state filters and paging, getInfo,
// setTimeout extend/shorten, getMetrics, pause (twice), connect (files and background
// processes intact), kill (then NotFoundError), a wrong key (AuthenticationError).
import { test } from 'node:test';
import { assert, fileContext, near, rejectsWith, uniq } from './lib/common.mjs';
import { sleep } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-sandbox');
const T = { timeout: 60000 };
const RUN = uniq();
const sb = {}; // a, b, c: Sandbox handles
let createdAt = 0;

async function listAll(E, opts) {
  const p = E.Sandbox.list(opts);
  const items = [];
  for (let i = 0; p.hasNext && i < 50; i++) items.push(...(await p.nextItems()));
  return items;
}

test('boxtopd starts', T, async () => {
  await ctx.start();
});

test('Sandbox.create(base, {metadata, envs, timeoutMs}) returns a sandbox', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  createdAt = Date.now();
  sb.a = await Sandbox.create('base', {
    metadata: { suite: 'sdk-sandbox', run: RUN, role: 'a' },
    envs: { FOO: 'bar baz', EMPTY: '' },
    timeoutMs: 120_000,
  });
  d.track(sb.a);
  assert.match(sb.a.sandboxId, /^[a-z0-9]+$/);
});

test('envs given at create are seen by commands', T, async () => {
  assert.ok(sb.a, 'no sandbox');
  const r = await sb.a.commands.run('printf "%s|%s" "$FOO" "${EMPTY-unset}"');
  assert.equal(r.stdout, 'bar baz|');
});

test('getInfo: fields, metadata, state running, endAt - startedAt = timeout', T, async () => {
  assert.ok(sb.a, 'no sandbox');
  const i = await sb.a.getInfo();
  assert.equal(i.sandboxId, sb.a.sandboxId);
  assert.equal(typeof i.templateId, 'string');
  assert.ok(i.templateId.length > 0, 'templateId');
  assert.deepEqual(i.metadata, { suite: 'sdk-sandbox', run: RUN, role: 'a' });
  assert.equal(i.state, 'running');
  assert.ok(Number.isInteger(i.cpuCount) && i.cpuCount >= 1, `cpuCount ${i.cpuCount}`);
  assert.ok(Number.isInteger(i.memoryMB) && i.memoryMB >= 1, `memoryMB ${i.memoryMB}`);
  assert.match(i.envdVersion, /^\d+\.\d+\.\d+/);
  assert.ok(i.startedAt instanceof Date && !isNaN(i.startedAt), 'startedAt');
  near(i.startedAt.getTime(), createdAt, 30_000, 'startedAt vs. create time');
  near(i.endAt.getTime() - i.startedAt.getTime(), 120_000, 3000, 'endAt - startedAt');
});

test('Sandbox.list filters by metadata (also a key/value needing escapes)', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  sb.b = await Sandbox.create('base', { metadata: { suite: 'sdk-sandbox', run: RUN, role: 'b' }, timeoutMs: 120_000 });
  d.track(sb.b);
  sb.c = await Sandbox.create('base', {
    metadata: { suite: 'sdk-sandbox', run: RUN, role: 'c', 'odd key': 'a b&c=d%' },
    timeoutMs: 120_000,
  });
  d.track(sb.c);
  const all = await listAll(ctx.E, { query: { metadata: { run: RUN } } });
  assert.deepEqual(all.map((s) => s.sandboxId).sort(), [sb.a, sb.b, sb.c].map((s) => s.sandboxId).sort());
  const onlyB = await listAll(ctx.E, { query: { metadata: { run: RUN, role: 'b' } } });
  assert.deepEqual(onlyB.map((s) => s.sandboxId), [sb.b.sandboxId]);
  assert.equal(onlyB[0].state, 'running');
  assert.deepEqual(onlyB[0].metadata, { suite: 'sdk-sandbox', run: RUN, role: 'b' });
  const odd = await listAll(ctx.E, { query: { metadata: { 'odd key': 'a b&c=d%' } } });
  assert.deepEqual(odd.map((s) => s.sandboxId), [sb.c.sandboxId]);
  const none = await listAll(ctx.E, { query: { metadata: { run: RUN + 'x' } } });
  assert.deepEqual(none, []);
});

test('Sandbox.list pages with limit (2 + 1, hasNext, no duplicates)', T, async () => {
  const { Sandbox } = ctx.E;
  assert.ok(sb.c, 'sandboxes missing');
  const p = Sandbox.list({ query: { metadata: { run: RUN } }, limit: 2 });
  const first = await p.nextItems();
  assert.equal(first.length, 2, 'first page size');
  assert.equal(p.hasNext, true, 'hasNext after first page');
  const second = await p.nextItems();
  assert.equal(second.length, 1, 'second page size');
  assert.equal(p.hasNext, false, 'hasNext after last page');
  const ids = [...first, ...second].map((s) => s.sandboxId);
  assert.equal(new Set(ids).size, 3, 'distinct ids across pages');
});

test('setTimeout extends (600 s) and shortens (60 s) endAt', T, async () => {
  assert.ok(sb.a, 'no sandbox');
  await sb.a.setTimeout(600_000);
  let i = await sb.a.getInfo();
  near(i.endAt.getTime(), Date.now() + 600_000, 5000, 'endAt after extending');
  await sb.a.setTimeout(60_000);
  i = await sb.a.getInfo();
  near(i.endAt.getTime(), Date.now() + 60_000, 5000, 'endAt after shortening');
  await sb.a.setTimeout(300_000); // keep it alive for the rest of the file
});

test('getMetrics after >= 6 s: timestamps near now, 0 <= cpu <= 100*cpus, used <= total', { timeout: 30000 }, async () => {
  assert.ok(sb.a, 'no sandbox');
  const wait = createdAt + 6500 - Date.now();
  if (wait > 0) await sleep(wait);
  const m = await sb.a.getMetrics();
  assert.ok(Array.isArray(m) && m.length >= 1, `metrics: ${JSON.stringify(m)}`);
  const now = Date.now();
  for (const x of m) {
    assert.ok(x.timestamp instanceof Date && !isNaN(x.timestamp), 'timestamp');
    assert.ok(x.timestamp.getTime() >= createdAt - 10_000 && x.timestamp.getTime() <= now + 5000,
      `timestamp ${x.timestamp.toISOString()} not between create and now`);
    assert.ok(x.cpuCount >= 1, `cpuCount ${x.cpuCount}`);
    assert.ok(x.cpuUsedPct >= 0 && x.cpuUsedPct <= 100 * x.cpuCount, `cpuUsedPct ${x.cpuUsedPct}`);
    assert.ok(x.memTotal > 0 && x.memUsed >= 0 && x.memUsed <= x.memTotal, `mem ${x.memUsed}/${x.memTotal}`);
    assert.ok(x.diskTotal > 0 && x.diskUsed >= 0 && x.diskUsed <= x.diskTotal, `disk ${x.diskUsed}/${x.diskTotal}`);
  }
  for (let k = 1; k < m.length; k++) assert.ok(m[k].timestamp >= m[k - 1].timestamp, 'ascending');
});

let bgPid = 0;
test('pause() → paused; a second pause() → false', T, async () => {
  assert.ok(sb.b, 'no sandbox');
  await sb.b.files.write('/home/user/keep.txt', 'kept across pause\n');
  const h = await sb.b.commands.run('sleep 900', { background: true });
  bgPid = h.pid;
  assert.ok(bgPid > 0, 'background pid');
  assert.equal(await sb.b.pause(), true, 'first pause');
  const i = await ctx.E.Sandbox.getInfo(sb.b.sandboxId);
  assert.equal(i.state, 'paused');
  assert.equal(await sb.b.pause(), false, 'second pause');
});

test('Sandbox.list filters by state (paused / running)', T, async () => {
  assert.ok(sb.b, 'no sandbox');
  const paused = await listAll(ctx.E, { query: { metadata: { run: RUN }, state: ['paused'] } });
  assert.deepEqual(paused.map((s) => s.sandboxId), [sb.b.sandboxId]);
  assert.equal(paused[0].state, 'paused');
  const running = await listAll(ctx.E, { query: { metadata: { run: RUN }, state: ['running'] } });
  assert.deepEqual(running.map((s) => s.sandboxId).sort(), [sb.a.sandboxId, sb.c.sandboxId].sort());
  const both = await listAll(ctx.E, { query: { metadata: { run: RUN }, state: ['running', 'paused'] } });
  assert.equal(both.length, 3);
});

test('Sandbox.connect(id) resumes: running, file and background process intact', T, async () => {
  assert.ok(sb.b, 'no sandbox');
  const b2 = await ctx.E.Sandbox.connect(sb.b.sandboxId);
  ctx.need().track(b2);
  const i = await b2.getInfo();
  assert.equal(i.state, 'running');
  assert.equal(await b2.files.read('/home/user/keep.txt'), 'kept across pause\n');
  const procs = await b2.commands.list();
  assert.ok(procs.some((p) => p.pid === bgPid), `pid ${bgPid} not in ${JSON.stringify(procs.map((p) => p.pid))}`);
  const r = await b2.commands.run(`kill -0 ${bgPid} && echo alive`);
  assert.equal(r.stdout.trim(), 'alive');
  assert.equal(await b2.isRunning(), true);
  sb.b = b2;
});

test('kill() → getInfo/kill/commands raise NotFoundError or report false', T, async () => {
  const { Sandbox, NotFoundError } = ctx.E;
  assert.ok(sb.c, 'no sandbox');
  const id = sb.c.sandboxId;
  await sb.c.kill();
  await rejectsWith(Sandbox.getInfo(id), NotFoundError, 'Sandbox.getInfo(killed)');
  assert.equal(await Sandbox.kill(id), false, 'Sandbox.kill(killed) → false');
  await rejectsWith(Sandbox.connect(id), NotFoundError, 'Sandbox.connect(killed)');
  await rejectsWith(sb.c.commands.run('echo x'), NotFoundError, 'commands.run on a killed sandbox');
  assert.equal(await sb.c.isRunning(), false, 'isRunning() on a killed sandbox');
  const listed = await listAll(ctx.E, { query: { metadata: { run: RUN }, state: ['running', 'paused'] } });
  assert.ok(!listed.some((s) => s.sandboxId === id), 'killed sandbox still listed');
});

test('a wrong API key → AuthenticationError (list, create, getInfo)', T, async () => {
  const { Sandbox, AuthenticationError } = ctx.E;
  const bad = 'e2b_' + '0'.repeat(40);
  await rejectsWith(Sandbox.list({ apiKey: bad }).nextItems(), AuthenticationError, 'list');
  await rejectsWith(Sandbox.create('base', { apiKey: bad }), AuthenticationError, 'create');
  await rejectsWith(Sandbox.getInfo(sb.a ? sb.a.sandboxId : 'inosuchsandbox0000000', { apiKey: bad }), AuthenticationError, 'getInfo');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
