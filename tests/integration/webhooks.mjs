// webhooks.mjs - issue 20: lifecycle webhooks of boxtopd. Receivers are node http servers on
// 127.0.0.1 that record every delivery and check its signature (sha256(secret || raw body),
// unpadded base64, compared in constant time). boxtopd runs with short delivery times
// (BOXTOPD_WEBHOOK_TIMEOUT_MS=1500, BOXTOPD_WEBHOOK_RETRY_MS=300; defaults are 10 s each) so
// that the retry and timeout cases take seconds, not a minute.
import { test } from 'node:test';
import http from 'node:http';
import crypto from 'node:crypto';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { sleep, waitFor } from './lib/boxtopd.mjs';

const ctx = fileContext('webhooks');
const T = { timeout: 120000 };
const TIMEOUT_MS = 1500;
const RETRY_MS = 300;
const ALL = ['created', 'killed', 'updated', 'paused', 'resumed', 'checkpointed'].map((t) => `sandbox.lifecycle.${t}`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A receiver: mode.fail answers 500 that many times, mode.hang never answers. */
async function receiver(secret, mode = {}) {
  const r = { got: [], mode, secret, bad: [] };
  r.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const want = crypto.createHash('sha256').update(Buffer.concat([Buffer.from(r.secret), raw])).digest('base64').replace(/=+$/, '');
      const sig = String(req.headers['e2b-signature'] || '');
      const ok = sig.length === want.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want));
      let body;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = null;
      }
      r.got.push({ method: req.method, path: req.url, headers: req.headers, raw, body, sigOk: ok, t: Date.now() });
      if (r.mode.hang) return; // never answer
      if (r.mode.fail > 0) {
        r.mode.fail--;
        res.writeHead(500).end('nope');
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise((res) => r.server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${r.server.address().port}/hook/${uniq()}`;
  r.close = () => {
    r.server.closeAllConnections();
    return new Promise((res) => r.server.close(res));
  };
  return r;
}

async function addHook(d, body) {
  const r = await d.api('POST', '/events/webhooks', { body });
  assert.equal(r.status, 201, r.text);
  d.noteSecret(body.signatureSecret);
  return r.json;
}

const secret = () => 'whsec_' + crypto.randomBytes(18).toString('base64url');
const receivers = [];
const cleanup = async (d, ids) => {
  for (const id of ids) assert.equal((await d.api('DELETE', `/events/webhooks/${id}`)).status, 204);
};

test('boxtopd starts with short webhook timings', T, async () => {
  process.env.BOXTOPD_WEBHOOK_TIMEOUT_MS = String(TIMEOUT_MS);
  process.env.BOXTOPD_WEBHOOK_RETRY_MS = String(RETRY_MS);
  await ctx.start({ extraArgs: ['--log-level', 'debug'] });
  delete process.env.BOXTOPD_WEBHOOK_TIMEOUT_MS;
  delete process.env.BOXTOPD_WEBHOOK_RETRY_MS;
});

test('management: create, list, get, patch, delete as E2B; the secret is write-only', T, async () => {
  const d = ctx.need();
  const s = secret();
  const body = { name: 'mgmt', url: 'https://127.0.0.1:9/x', enabled: true, events: [ALL[1], ALL[0]], signatureSecret: s };
  const w = await addHook(d, body);
  assert.match(w.id, UUID);
  assert.equal(w.teamID, 'local');
  assert.equal(w.name, 'mgmt');
  assert.equal(w.url, body.url);
  assert.equal(w.enabled, true);
  assert.deepEqual([...w.events].sort(), [ALL[0], ALL[1]].sort());
  assert.ok(!Number.isNaN(Date.parse(w.createdAt)), w.createdAt);
  const texts = [];
  const list = await d.api('GET', '/events/webhooks');
  assert.equal(list.status, 200);
  assert.ok(list.json.some((x) => x.id === w.id));
  texts.push(list.text);
  const one = await d.api('GET', `/events/webhooks/${w.id}`);
  assert.equal(one.status, 200);
  assert.deepEqual(one.json, w);
  texts.push(one.text);
  const p = await d.api('PATCH', `/events/webhooks/${w.id}`, { body: { name: 'renamed', enabled: false, signatureSecret: secret() } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.name, 'renamed');
  assert.equal(p.json.enabled, false);
  assert.equal(p.json.url, body.url, 'fields not given stay');
  texts.push(p.text);
  const dl = await d.api('GET', `/events/webhooks/${w.id}/deliveries`);
  assert.equal(dl.status, 200);
  assert.deepEqual(dl.json, []);
  for (const t of texts) assert.ok(!t.includes(s) && !t.includes('signatureSecret'), 'secret in an answer');
  assert.equal((await d.api('DELETE', `/events/webhooks/${w.id}`)).status, 204);
  assert.equal((await d.api('GET', `/events/webhooks/${w.id}`)).status, 404);
  assert.equal((await d.api('DELETE', `/events/webhooks/${w.id}`)).status, 404);
  assert.equal((await d.api('PATCH', `/events/webhooks/${w.id}`, { body: { enabled: true } })).status, 404);
  assert.equal((await d.api('GET', '/events/webhooks', { key: null })).status, 401);
});

test('bad input → 400 with a message, never echoing the secret', T, async () => {
  const d = ctx.need();
  const s = secret();
  d.noteSecret(s);
  const base = { name: 'bad', url: 'http://127.0.0.1:9/', events: [ALL[0]], signatureSecret: s };
  const cases = [
    [{ ...base, url: 'file:///etc/passwd' }, /http or https/],
    [{ ...base, url: 'http://' }, /url/],
    [{ ...base, events: ['sandbox.lifecycle.exploded'] }, /unknown event type/],
    [{ ...base, events: [] }, /events/],
    [{ ...base, name: 'n'.repeat(1000000) }, /name/],
    [{ ...base, enabled: 'yes' }, /enabled/],
    [{ ...base, signatureSecret: undefined }, /signatureSecret/],
  ];
  for (const [body, re] of cases) {
    const r = await d.api('POST', '/events/webhooks', { body });
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${r.status}`);
    assert.match(r.json.message, re);
    assert.ok(!r.text.includes(s), 'secret echoed');
  }
  for (const raw of ['{"name": ', 'not json', '[]', '']) {
    const r = await d.api('POST', '/events/webhooks', { body: raw, headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 400, `${JSON.stringify(raw)} → ${r.status}`);
    assert.ok(r.json.message.length > 5);
  }
  const list = await d.api('GET', '/events/webhooks');
  assert.ok(!list.json.some((w) => w.name === 'bad'), 'nothing was created');
});

test('five lifecycle events in order, signed; killed-only gets kills; disabled gets nothing', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const all = await receiver(secret());
  const kills = await receiver(secret());
  const off = await receiver(secret());
  receivers.push(all, kills, off);
  const wa = await addHook(d, { name: 'all', url: all.url, enabled: true, events: ALL, signatureSecret: all.secret });
  const wk = await addHook(d, { name: 'kills', url: kills.url, events: ['sandbox.lifecycle.killed'], signatureSecret: kills.secret });
  const wo = await addHook(d, { name: 'off', url: off.url, enabled: true, events: ALL, signatureSecret: off.secret });
  assert.equal((await d.api('PATCH', `/events/webhooks/${wo.id}`, { body: { enabled: false } })).status, 200);

  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  await s.setTimeout(200_000);
  assert.equal(await s.pause(), true);
  const c = await Sandbox.connect(s.sandboxId);
  d.track(c);
  await c.kill();

  assert.ok(await waitFor(() => all.got.length >= 5, 20000), `all-events receiver got ${all.got.length}`);
  assert.ok(await waitFor(() => kills.got.length >= 1, 10000), 'killed-only receiver got nothing');
  await sleep(1000); // anything further (wrongly) sent would have arrived by now
  const types = all.got.map((g) => g.body && g.body.type);
  assert.deepEqual(types, ['created', 'updated', 'paused', 'resumed', 'killed'].map((t) => `sandbox.lifecycle.${t}`));
  const dids = new Set();
  for (const g of all.got) {
    assert.equal(g.method, 'POST');
    assert.equal(g.headers['content-type'], 'application/json');
    assert.equal(g.headers['e2b-webhook-id'], wa.id);
    assert.match(g.headers['e2b-delivery-id'], UUID);
    dids.add(g.headers['e2b-delivery-id']);
    assert.equal(g.headers['e2b-signature-version'], 'v1');
    assert.ok(g.sigOk, `bad signature on ${g.body.type}`);
    assert.equal(g.body.sandboxId, s.sandboxId);
    assert.equal(g.body.sandboxTeamId, 'local');
    assert.match(g.body.id, UUID);
    assert.ok(g.body.timestamp && g.body.eventData, 'event fields');
  }
  assert.equal(dids.size, 5, 'delivery ids are unique');
  assert.ok(all.got[4].body.eventData.execution, 'killed carries eventData.execution');
  assert.equal(kills.got.length, 1, 'killed-only receiver');
  assert.equal(kills.got[0].body.type, 'sandbox.lifecycle.killed');
  assert.equal(kills.got[0].headers['e2b-webhook-id'], wk.id);
  assert.ok(kills.got[0].sigOk);
  assert.equal(off.got.length, 0, 'the disabled webhook received something');
  const hist = await d.api('GET', `/events/webhooks/${wa.id}/deliveries`);
  assert.equal(hist.status, 200);
  assert.deepEqual(hist.json.map((h) => h.type), [...types].reverse(), 'history, newest first');
  assert.ok(hist.json.every((h) => h.success && h.statusCode === 200 && h.attempt === 1));
  assert.deepEqual(await d.api('GET', `/events/webhooks/${wo.id}/deliveries`).then((r) => r.json), []);
  await cleanup(d, [wa.id, wk.id, wo.id]);
});

test('500 twice → delivered on the third attempt; never answering → given up after 3 retries', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const flaky = await receiver(secret(), { fail: 2 });
  const dead = await receiver(secret(), { hang: true });
  receivers.push(flaky, dead);
  const wf = await addHook(d, { name: 'flaky', url: flaky.url, events: [ALL[0]], signatureSecret: flaky.secret });
  const wd = await addHook(d, { name: 'dead', url: dead.url, events: [ALL[0]], signatureSecret: dead.secret });
  const s = await Sandbox.create('base', { timeoutMs: 60_000 });
  d.track(s);
  assert.ok(await waitFor(() => flaky.got.length >= 3, 15000), `flaky got ${flaky.got.length}`);
  const bodies = new Set(flaky.got.map((g) => g.raw.toString()));
  assert.equal(bodies.size, 1, 'the same event each time');
  assert.ok(flaky.got.every((g) => g.sigOk));
  assert.equal(new Set(flaky.got.map((g) => g.headers['e2b-delivery-id'])).size, 3, 'a delivery id per attempt');
  for (let i = 1; i < 3; i++) assert.ok(flaky.got[i].t - flaky.got[i - 1].t >= RETRY_MS - 50, 'retries are spaced');
  const fh = (await d.api('GET', `/events/webhooks/${wf.id}/deliveries`)).json;
  assert.deepEqual(fh.map((h) => [h.attempt, h.statusCode, h.success]), [[3, 200, true], [2, 500, false], [1, 500, false]]);
  assert.equal(fh[1].error, 'HTTP 500');

  // a delivery hanging in flight never holds up the API (deliveries run in the event loop)
  assert.ok(await waitFor(() => dead.got.length >= 1, 5000), 'the hanging receiver got the first attempt');
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    assert.equal((await d.api('GET', '/events/webhooks')).status, 200);
    assert.ok(Date.now() - t0 < 500, `an API call took ${Date.now() - t0} ms while a delivery hung`);
  }
  const giveUp = 4 * TIMEOUT_MS + 3 * RETRY_MS;
  assert.ok(await waitFor(async () => (await d.api('GET', `/events/webhooks/${wd.id}/deliveries`)).json.length >= 4, giveUp + 10000), 'four attempts');
  await sleep(TIMEOUT_MS + RETRY_MS + 500);
  assert.equal(dead.got.length, 4, 'one attempt and three retries, then given up');
  const dh = (await d.api('GET', `/events/webhooks/${wd.id}/deliveries`)).json;
  assert.deepEqual(dh.map((h) => [h.attempt, h.statusCode, h.error]), [4, 3, 2, 1].map((n) => [n, null, 'timed out']));
  assert.ok(dh.every((h) => h.latencyMs >= TIMEOUT_MS - 100 && h.latencyMs < TIMEOUT_MS + 3000), 'latency ~ the timeout');
  await s.kill();
  await cleanup(d, [wf.id, wd.id]);
});

test('SIGTERM with a delivery in flight: the restarted boxtopd delivers it', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  const r = await receiver(secret(), { hang: true });
  receivers.push(r);
  const w = await addHook(d, { name: 'restart', url: r.url, events: ['sandbox.lifecycle.killed'], signatureSecret: r.secret });
  await s.kill();
  assert.ok(await waitFor(() => r.got.length >= 1, 10000), 'first attempt arrived');
  const st = await d.stop('SIGTERM');
  assert.equal(st.code, 0, `boxtopd exit ${JSON.stringify(st)}`);
  r.mode.hang = false;
  r.server.closeAllConnections();
  const before = r.got.length;
  await d.restart();
  assert.ok(await waitFor(() => r.got.length > before, 10000), 'not delivered after the restart');
  const g = r.got[r.got.length - 1];
  assert.ok(g.sigOk);
  assert.equal(g.body.type, 'sandbox.lifecycle.killed');
  assert.equal(g.body.sandboxId, s.sandboxId);
  assert.equal(g.raw.toString(), r.got[0].raw.toString(), 'the same event');
  const h = (await d.api('GET', `/events/webhooks/${w.id}/deliveries`)).json;
  assert.equal(h[0].success, true);
  assert.match(h[1].error, /stopped/);
  await sleep(RETRY_MS + 500);
  assert.equal(r.got.length, before + 1, 'delivered once after the restart');
  await cleanup(d, [w.id]);
});

test('teardown: receivers closed, sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  for (const r of receivers) await r.close();
  await ctx.teardown();
});
