// api-extras.mjs - the rest of issue 4's platform surface, on the raw API (shapes from
// shared/protocol/platform-api.md and metrics-logs-events.md): both SDK generations of
// create/connect, TTL semantics (/connect extends, /timeout overwrites, /refreshes extends),
// TTL enforcement (kill, or pause with auto-pause), batch metrics, logs v1/v2, lifecycle
// events, templates, the concurrent-sandbox limit (429 + Retry-After).
import { test } from 'node:test';
import { assert, fileContext, near } from './lib/common.mjs';
import { sleep, waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('api-extras');
const T = { timeout: 60000 };
let id1; // v1-created
let id2; // v2-created

const endAt = async (d, id) => Date.parse((await d.api('GET', `/sandboxes/${id}`)).json.endAt);

test('boxtopd starts (--max-sandboxes 3)', T, async () => {
  await ctx.start({ extraArgs: ['--max-sandboxes', '3'] });
});

test('POST /sandboxes (v1) and POST /v2/sandboxes → 201 Sandbox with envdAccessToken', T, async () => {
  const d = ctx.need();
  const r1 = await d.api('POST', '/sandboxes', { body: { templateID: 'base', timeout: 120, secure: true, metadata: { k: 'v1' } } });
  assert.equal(r1.status, 201, r1.text);
  id1 = r1.json.sandboxID;
  d.track(id1);
  d.noteSecret(r1.json.envdAccessToken);
  for (const f of ['sandboxID', 'templateID', 'clientID', 'envdVersion', 'envdAccessToken']) assert.equal(typeof r1.json[f], 'string', `v1 create: ${f}`);
  const r2 = await d.api('POST', '/v2/sandboxes', { body: { templateID: 'base', metadata: { k: 'v2' } } });
  assert.equal(r2.status, 201, r2.text);
  id2 = r2.json.sandboxID;
  d.track(id2);
  d.noteSecret(r2.json.envdAccessToken);
  assert.equal(typeof r2.json.envdAccessToken, 'string', 'v2 sandboxes are always secured');
  const i2 = await d.api('GET', `/sandboxes/${id2}`);
  near(Date.parse(i2.json.endAt) - Date.parse(i2.json.startedAt), 300_000, 3000, 'v2 default timeout 300 s');
});

test('TTL: /connect only extends, /timeout overwrites (also shortens), /refreshes only extends', T, async () => {
  const d = ctx.need();
  const before = await endAt(d, id1); // ≈ now + 120 s
  let r = await d.api('POST', `/sandboxes/${id1}/connect`, { body: { timeout: 10 } });
  assert.equal(r.status, 200, `connect running → ${r.status} ${r.text}`);
  near(await endAt(d, id1), before, 1500, '/connect with a shorter timeout must not shorten');
  r = await d.api('POST', `/v2/sandboxes/${id1}/connect`, { body: { timeout: 600 } });
  assert.equal(r.status, 200, `v2 connect → ${r.status}`);
  near(await endAt(d, id1), Date.now() + 600_000, 3000, '/v2 connect extends');
  r = await d.api('POST', `/v2/sandboxes/${id1}/connect`); // no body: 300 s, never shortens
  assert.equal(r.status, 200, `v2 connect without a body → ${r.status} ${r.text}`);
  near(await endAt(d, id1), Date.now() + 600_000, 3000, 'empty v2 connect kept the longer TTL');
  r = await d.api('POST', `/sandboxes/${id1}/timeout`, { body: { timeout: 60 } });
  assert.equal(r.status, 204);
  near(await endAt(d, id1), Date.now() + 60_000, 3000, '/timeout shortens');
  r = await d.api('POST', `/sandboxes/${id1}/refreshes`, { body: { duration: 30 } });
  assert.equal(r.status, 204, `refreshes → ${r.status}`);
  near(await endAt(d, id1), Date.now() + 60_000, 3000, '/refreshes must not shorten');
  r = await d.api('POST', `/sandboxes/${id1}/refreshes`, { body: { duration: 900 } });
  assert.equal(r.status, 204);
  near(await endAt(d, id1), Date.now() + 900_000, 3000, '/refreshes extends');
});

test('GET /sandboxes (v1 list) and /v2/sandboxes with X-Total-Running', T, async () => {
  const d = ctx.need();
  const v1 = await d.api('GET', '/sandboxes');
  assert.equal(v1.status, 200);
  assert.deepEqual(v1.json.map((s) => s.sandboxID).sort(), [id1, id2].sort());
  const v2 = await d.api('GET', '/v2/sandboxes?state=running');
  assert.equal(v2.status, 200);
  assert.equal(v2.headers.get('x-total-running'), '2');
  for (const s of v2.json) assert.ok(!('envdAccessToken' in s), 'list results carry no tokens');
});

test('GET /sandboxes/metrics?sandbox_ids= (batch latest) and /sandboxes/{id}/metrics ranges', { timeout: 30000 }, async () => {
  const d = ctx.need();
  await sleep(6000);
  const r = await d.api('GET', `/sandboxes/metrics?sandbox_ids=${id1},${id2}`);
  assert.equal(r.status, 200, r.text);
  for (const id of [id1, id2]) {
    const m = r.json.sandboxes && r.json.sandboxes[id];
    assert.ok(m, `no metric for ${id}: ${r.text.slice(0, 300)}`);
    for (const f of ['cpuCount', 'cpuUsedPct', 'memUsed', 'memTotal', 'diskUsed', 'diskTotal', 'timestampUnix']) assert.equal(typeof m[f], 'number', `${f}`);
  }
  const tooMany = Array.from({ length: 101 }, (_, i) => `i${String(i).padStart(20, '0')}`).join(',');
  assert.equal((await d.api('GET', `/sandboxes/metrics?sandbox_ids=${tooMany}`)).status, 400, '> 100 ids');
  const now = Math.floor(Date.now() / 1000);
  const range = await d.api('GET', `/sandboxes/${id1}/metrics?start=${now - 60}&end=${now}`);
  assert.equal(range.status, 200);
  assert.ok(range.json.length >= 1 && range.json.every((m) => m.timestampUnix >= now - 65 && m.timestampUnix <= now + 5), range.text.slice(0, 300));
  assert.equal((await d.api('GET', `/sandboxes/${id1}/metrics?start=${now}&end=${now - 60}`)).status, 400, 'start > end');
});

test('logs: v1 {logs, logEntries} oldest first; v2 {logs} newest first with level and search', T, async () => {
  const d = ctx.need();
  const v1 = await d.api('GET', `/sandboxes/${id1}/logs`);
  assert.equal(v1.status, 200);
  assert.ok(Array.isArray(v1.json.logs) && v1.json.logs.length >= 1, v1.text.slice(0, 300));
  assert.ok(Array.isArray(v1.json.logEntries), 'logEntries');
  for (const l of v1.json.logs) JSON.parse(l.line); // each line is a JSON log line
  const ts = v1.json.logs.map((l) => Date.parse(l.timestamp));
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 'v1 oldest first');
  const v2 = await d.api('GET', `/v2/sandboxes/${id1}/logs`);
  assert.equal(v2.status, 200);
  assert.ok(v2.json.logs.length >= 1);
  for (const e of v2.json.logs) {
    assert.ok(['debug', 'info', 'warn', 'error'].includes(e.level), `level ${e.level}`);
    assert.equal(typeof e.message, 'string');
  }
  const t2 = v2.json.logs.map((l) => Date.parse(l.timestamp));
  assert.deepEqual(t2, [...t2].sort((a, b) => b - a), 'v2 default direction is backward (newest first)');
  const word = v2.json.logs[0].message.split(/\s+/).find((w) => w.length > 3) || v2.json.logs[0].message;
  const s = await d.api('GET', `/v2/sandboxes/${id1}/logs?search=${encodeURIComponent(word)}`);
  assert.ok(s.json.logs.length >= 1 && s.json.logs.every((e) => e.message.includes(word)), `search ${word}`);
  const none = await d.api('GET', `/v2/sandboxes/${id1}/logs?search=no-such-text-${Date.now()}`);
  assert.deepEqual(none.json.logs, []);
  const err = await d.api('GET', `/v2/sandboxes/${id1}/logs?level=error`);
  assert.ok(err.json.logs.every((e) => e.level === 'error'), 'level filter');
});

test('lifecycle events: created, updated, paused, resumed in the documented shape, filters', T, async () => {
  const d = ctx.need();
  assert.equal((await d.api('POST', `/sandboxes/${id2}/pause`, { body: { memory: true } })).status, 204);
  assert.equal((await d.api('POST', `/sandboxes/${id2}/pause`, { body: { memory: true } })).status, 409, 'second pause → 409');
  const c = await d.api('POST', `/sandboxes/${id2}/connect`, { body: { timeout: 300 } });
  assert.equal(c.status, 201, `connect paused → 201 (${c.status})`);
  const want = ['sandbox.lifecycle.created', 'sandbox.lifecycle.updated', 'sandbox.lifecycle.paused', 'sandbox.lifecycle.resumed'];
  const ev = await waitFor(async () => {
    const r = await d.api('GET', `/events/sandboxes/${id1}?limit=100`);
    const r2 = await d.api('GET', `/events/sandboxes/${id2}?limit=100&orderAsc=true`);
    if (r.status !== 200 || r2.status !== 200) return null;
    const types = new Set([...r.json, ...r2.json].map((e) => e.type));
    return want.every((w) => types.has(w)) ? { a: r.json, b: r2.json } : null;
  }, 5000, 200);
  assert.ok(ev, 'not all of created/updated/paused/resumed were reported');
  for (const e of [...ev.a, ...ev.b]) {
    for (const f of ['id', 'type', 'timestamp', 'sandboxId']) assert.equal(typeof e[f], 'string', `event.${f}`);
    assert.ok(!isNaN(Date.parse(e.timestamp)));
  }
  const tb = ev.b.map((e) => Date.parse(e.timestamp));
  assert.deepEqual(tb, [...tb].sort((x, y) => x - y), 'orderAsc=true');
  const paused = ev.b.find((e) => e.type === 'sandbox.lifecycle.paused');
  assert.ok(paused.eventData && paused.eventData.execution, 'paused event carries eventData.execution');
  const only = await d.api('GET', `/events/sandboxes/${id2}?types=sandbox.lifecycle.paused`);
  assert.ok(only.json.length >= 1 && only.json.every((e) => e.type === 'sandbox.lifecycle.paused'), 'types filter');
  const team = await d.api('GET', '/events/sandboxes?limit=100');
  assert.equal(team.status, 200);
  assert.ok(team.json.some((e) => e.sandboxId === id1) && team.json.some((e) => e.sandboxId === id2), 'team-wide events');
});

test('templates: GET /templates and /v2/templates list base', T, async () => {
  const d = ctx.need();
  for (const p of ['/templates', '/v2/templates']) {
    const r = await d.api('GET', p);
    assert.equal(r.status, 200, `${p} → ${r.status}`);
    const base = r.json.find((t) => t.templateID === 'base' || (t.aliases || []).includes('base') || (t.names || []).some((n) => n.endsWith('base')));
    assert.ok(base, `${p}: no base template in ${r.text.slice(0, 300)}`);
    assert.ok(base.cpuCount >= 1 && base.memoryMB >= 1, 'cpu/memory of base');
  }
  // base's tags as the cloud answers them (the SDK's Template.getTags('base')): its one build is "default"
  const tags = await d.api('GET', '/templates/base/tags');
  assert.equal(tags.status, 200, `/templates/base/tags → ${tags.status} ${tags.text}`);
  assert.deepEqual(tags.json.map((t) => t.tag), ['default']);
  assert.match(tags.json[0].buildID, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(tags.json[0].createdAt)), 'createdAt is a time');
  const none = await d.api('GET', '/templates/no-such-template/tags');
  assert.equal(none.status, 404);
  const viaSdk = await ctx.E.Template.getTags('base');
  assert.deepEqual(viaSdk.map((t) => t.tag), ['default']);
});

test('--max-sandboxes: the next create → 429 with Retry-After; killing one frees a slot', T, async () => {
  const d = ctx.need();
  const r3 = await d.api('POST', '/v2/sandboxes', { body: { templateID: 'base', timeout: 60 } });
  assert.equal(r3.status, 201);
  d.track(r3.json.sandboxID);
  const r4 = await d.api('POST', '/v2/sandboxes', { body: { templateID: 'base', timeout: 60 } });
  if (r4.json && r4.json.sandboxID) d.track(r4.json.sandboxID);
  assert.equal(r4.status, 429, `4th sandbox with --max-sandboxes 3 → ${r4.status}`);
  assert.equal(r4.json.code, 429);
  assert.match(r4.headers.get('retry-after') || '', /^\d+$/, 'Retry-After');
  assert.equal((await d.api('DELETE', `/sandboxes/${r3.json.sandboxID}`)).status, 204);
  const r5 = await d.api('POST', '/v2/sandboxes', { body: { templateID: 'base', timeout: 60 } });
  assert.equal(r5.status, 201, `after a kill → ${r5.status}`);
  d.track(r5.json.sandboxID);
  assert.equal((await d.api('DELETE', `/sandboxes/${r5.json.sandboxID}`)).status, 204);
});

test('TTL enforced: a 2 s sandbox is killed, an auto-pause one is paused', { timeout: 30000 }, async () => {
  const d = ctx.need();
  assert.equal((await d.api('DELETE', `/sandboxes/${id2}`)).status, 204); // make room (limit 3)
  const k = await d.api('POST', '/sandboxes', { body: { templateID: 'base', timeout: 2 } });
  assert.equal(k.status, 201, k.text);
  d.track(k.json.sandboxID);
  const p = await d.api('POST', '/sandboxes', { body: { templateID: 'base', timeout: 2, autoPause: true } });
  assert.equal(p.status, 201, p.text);
  d.track(p.json.sandboxID);
  const killed = await waitFor(async () => (await d.api('GET', `/sandboxes/${k.json.sandboxID}`)).status === 404, 10000, 250);
  assert.ok(killed, 'the 2 s sandbox is still there after 10 s');
  const paused = await waitFor(async () => (await d.api('GET', `/sandboxes/${p.json.sandboxID}`)).json?.state === 'paused', 10000, 250);
  assert.ok(paused, 'the auto-pause sandbox was not paused at its deadline');
  const ev = await d.api('GET', `/events/sandboxes/${k.json.sandboxID}?types=sandbox.lifecycle.killed`);
  assert.ok(ev.json.some((e) => e.eventData && e.eventData.kill_reason === 'timeout'), `kill_reason timeout: ${ev.text.slice(0, 300)}`);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
