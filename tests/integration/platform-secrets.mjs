// platform-secrets.mjs - /secrets through the pinned SDK's Secret class (create, getInfo by id and
// by name, list page by page, update, exists, destroy) and on the raw wire where the SDK does
// not reach: upstream's fixed texts (handlers/secrets.go, middleware/secrets.go), no-store, the
// value never in an answer, the store kept across a restart in a 0600 file.
import { test } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { assert, fileContext, rejectsWith } from './lib/common.mjs';
import { logDir } from './lib/boxtopd.mjs';

const ctx = fileContext('platform-secrets');
const T = { timeout: 60000 };
const value = () => 'sv_' + crypto.randomBytes(24).toString('base64url');
const answers = []; // every answer text, searched for values at the end
const values = [];

test('boxtopd starts (debug log)', T, async () => {
  await ctx.start({ extraArgs: ['--log-level', 'debug'] });
});

test('Secret.create / getInfo (id, name) / update / list / exists / destroy via the SDK', T, async () => {
  const d = ctx.need();
  const { Secret, SecretNotFoundError } = ctx.E;
  const v1 = value();
  const v2 = value();
  values.push(v1, v2);
  d.noteSecret(v1);
  d.noteSecret(v2);
  const t0 = Date.now();
  const a = await Secret.create('OpenAI-Key', v1, { metadata: { team: 'ml' } });
  assert.match(a.secretId, /^sec_[0-7][0-9abcdefghjkmnpqrstvwxyz]{25}$/);
  assert.equal(a.name, 'openai-key', 'names are lower-cased');
  assert.equal(a.version, 1);
  assert.deepEqual(a.metadata, { team: 'ml' });
  assert.ok(Math.abs(a.createdAt.getTime() - t0) < 5000 && a.updatedAt.getTime() === a.createdAt.getTime());
  const byId = await Secret.getInfo(a.secretId);
  const byName = await Secret.getInfo('OPENAI-KEY');
  assert.deepEqual(byId, a);
  assert.deepEqual(byName, a);
  const u = await Secret.update('openai-key', v2);
  assert.equal(u.version, 2);
  assert.deepEqual(u.metadata, { team: 'ml' }, 'metadata left out of an update is kept');
  assert.ok(u.updatedAt >= a.updatedAt);
  const u2 = await Secret.update(a.secretId, v2, { metadata: {} });
  assert.equal(u2.version, 3);
  assert.deepEqual(u2.metadata, {}, 'an empty metadata object replaces it');
  for (let i = 0; i < 4; i++) await Secret.create(`k${i}`, value());
  const pager = Secret.list({ limit: 2 });
  const seen = [];
  let pages = 0;
  while (pager.hasNext) {
    seen.push(...(await pager.nextItems()));
    pages++;
  }
  assert.equal(pages, 3, 'five secrets, two a page');
  assert.deepEqual(seen.map((s) => s.name).sort(), ['k0', 'k1', 'k2', 'k3', 'openai-key']);
  assert.equal(new Set(seen.map((s) => s.secretId)).size, 5);
  assert.equal(await Secret.exists('k1'), true);
  assert.equal(await Secret.destroy('k1'), true);
  assert.equal(await Secret.exists('k1'), false);
  assert.equal(await Secret.destroy('k1'), false);
  await rejectsWith(Secret.getInfo('k1'), SecretNotFoundError, 'getInfo of a destroyed secret');
  await rejectsWith(Secret.update('nope', value()), SecretNotFoundError, 'update of an unknown secret');
});

test('raw wire: upstream texts, no-store, value never answered', T, async () => {
  const d = ctx.need();
  const v = value();
  values.push(v);
  d.noteSecret(v);
  const call = async (m, p, opts) => {
    const r = await d.api(m, p, opts);
    answers.push(r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store', `${m} ${p}: no-store`);
    return r;
  };
  const c = await call('POST', '/secrets', { body: { name: 'raw_one', value: v } });
  assert.equal(c.status, 201, c.text);
  assert.deepEqual(Object.keys(c.json).sort(), ['createdAt', 'currentVersion', 'metadata', 'name', 'secretID', 'updatedAt']);
  const cases = [
    ['POST', '/secrets', { body: { name: 'raw_one', value: v } }, 409, 'Secret cannot be modified in its current state'],
    ['POST', '/secrets', { body: { name: 'sec_reserved', value: v } }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: { name: 'bad name!', value: v } }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: { name: 'x'.repeat(129), value: v } }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: { name: 'novalue' } }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: `{"name":"broken","value":"${v}"` }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: { name: 'meta', value: v, metadata: { k: 'x'.repeat(1025) } } }, 400, 'Invalid secrets request'],
    ['POST', '/secrets', { body: { name: 'big', value: 'v'.repeat(65537) } }, 400, 'Invalid secrets request'],
    ['GET', '/secrets/sec_notanid', {}, 400, 'Invalid secrets request'],
    ['GET', '/secrets/sec_01kyjhkfvse96rg4d2qzd9enft', {}, 404, 'Secret not found'],
    ['GET', '/secrets/missing', {}, 404, 'Secret not found'],
    ['DELETE', '/secrets/missing', {}, 404, 'Secret not found'],
    ['GET', '/secrets?limit=0', {}, 400, 'Invalid secrets request'],
    ['GET', '/secrets?limit=101', {}, 400, 'Invalid secrets request'],
    ['GET', '/secrets?nextToken=garbage', {}, 400, 'Invalid secrets request'],
    ['GET', '/secrets/raw_one/versions', {}, 404, 'Not found'],
    ['GET', '/secrets', { key: null }, 401, 'You are not authenticated'],
    ['GET', '/secrets/raw_one', { key: 'e2b_' + '0'.repeat(40) }, 401, 'You are not authenticated'],
  ];
  for (const [m, p, opts, status, msg] of cases) {
    const r = await call(m, p, opts);
    assert.equal(r.status, status, `${m} ${p.slice(0, 60)}: ${r.text}`);
    assert.deepEqual(r.json, { code: status, message: msg }, `${m} ${p.slice(0, 60)}`);
  }
  const u = await call('POST', '/secrets/RAW_ONE', { body: { value: v, metadata: null } });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.currentVersion, 2);
  const del = await call('DELETE', `/secrets/${c.json.secretID}`);
  assert.equal(del.status, 204);
  for (const a of answers) for (const x of values) assert.ok(!a.includes(x), 'a secret value in an answer');
});

test('kept across a restart, in a file only the owner can read; the log names no secret', T, async () => {
  const d = ctx.need();
  const before = await d.api('GET', '/secrets');
  assert.equal(before.status, 200);
  await d.stop();
  await d.restart();
  const after = await d.api('GET', '/secrets');
  assert.deepEqual(after.json, before.json);
  assert.equal(after.json.length, 4);
  const f = path.join(d.stateDir, 'secrets.json');
  assert.equal(fs.statSync(f).mode & 0o777, 0o600);
  const log = fs
    .readdirSync(logDir)
    .filter((n) => n.startsWith('platform-secrets.') && n.endsWith('.boxtopd.log'))
    .map((n) => fs.readFileSync(path.join(logDir, n), 'utf8'))
    .join('\n');
  assert.match(log, /api: GET \/secrets\b/, 'the debug log has the secrets calls');
  for (const x of values) assert.ok(!log.includes(x), 'a secret value in the log');
  assert.ok(!/\/secrets\/(raw_one|openai-key|k[0-3]|sec_)/i.test(log), 'a secret selector in the log');
});

test('teardown: boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
