// secrets.mjs - no secret in any output: drive a boxtopd at debug log level through every
// path that carries a secret (API key, envd access tokens, signed URLs, wrong keys), then
// search its log, every other integration test's log and every boxtopd log of this run for
// them (webhook secrets and delivery signatures too). The harness records only SHA-256 digests of secrets (logs/NAME.secrets), so the
// search tokenises each log and compares digests; full-looking API keys are caught by shape.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import nodeHttp from 'node:http';
import crypto from 'node:crypto';
import { assert, fileContext } from './lib/common.mjs';
import { http, logDir, sha256, builddir } from './lib/boxtopd.mjs';

const ctx = fileContext('secrets');
const T = { timeout: 60000 };

test('boxtopd starts at --log-level debug', T, async () => {
  await ctx.start({ extraArgs: ['--log-level', 'debug'] });
});

test('every secret-carrying path is exercised', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(s);
  d.noteSecret(s.envdAccessToken);
  await s.commands.run('echo hi');
  await s.files.write('/home/user/s.txt', 'x');
  await s.files.read('/home/user/s.txt');
  const up = await s.uploadUrl('/home/user/signed.txt');
  d.noteSecret(new URL(up).searchParams.get('signature'));
  const form = new FormData();
  form.append('file', new Blob(['y']), 'signed.txt');
  assert.equal((await http(up, { method: 'POST', body: form })).status, 200);
  const down = await s.downloadUrl('/home/user/signed.txt', { useSignatureExpiration: 60 });
  d.noteSecret(new URL(down).searchParams.get('signature'));
  assert.equal((await http(down)).status, 200);
  const bad = down.replace(/signature=[^&]+/, 'signature=v1_' + 'Q'.repeat(43));
  assert.ok([401, 403].includes((await http(bad)).status));
  const wrongKey = 'e2b_' + 'ab'.repeat(20);
  d.noteSecret(wrongKey);
  assert.equal((await d.api('GET', '/v2/sandboxes', { key: wrongKey })).status, 401);
  const wrongToken = 'tok' + 'Zz9'.repeat(10);
  d.noteSecret(wrongToken);
  const r = await http(d.sandboxUrl + '/process.Process/List', {
    method: 'POST',
    headers: { 'E2b-Sandbox-Id': s.sandboxId, 'X-Access-Token': wrongToken, 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(r.status, 401);
  const c = await Sandbox.connect(s.sandboxId); // connect re-issues the token
  d.noteSecret(c.envdAccessToken);
  await webhookSecrets(d, c);
});

// Webhook secrets and the signatures made with them (issue 20): a receiver on loopback gets a
// signed delivery, the secret is replaced by PATCH; neither the secrets nor the signatures may
// appear in an answer or (checked below) in any log.
async function webhookSecrets(d, sbx) {
  const seen = [];
  const srv = nodeHttp.createServer((req, res) => {
    seen.push(req.headers['e2b-signature']);
    req.resume();
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  try {
    const s1 = 'whsec_' + crypto.randomBytes(18).toString('base64url');
    const s2 = 'whsec_' + crypto.randomBytes(18).toString('base64url');
    d.noteSecret(s1);
    d.noteSecret(s2);
    const url = `http://127.0.0.1:${srv.address().port}/h`;
    const body = { name: 'secrets', url, events: ['sandbox.lifecycle.killed'], signatureSecret: s1 };
    const answers = [];
    const cr = await d.api('POST', '/events/webhooks', { body });
    assert.equal(cr.status, 201);
    answers.push(cr.text);
    const bad = await d.api('POST', '/events/webhooks', { body: { ...body, url: 'file:///etc/passwd' } });
    assert.equal(bad.status, 400);
    answers.push(bad.text);
    const p = await d.api('PATCH', `/events/webhooks/${cr.json.id}`, { body: { signatureSecret: s2 } });
    answers.push(p.text);
    await sbx.kill();
    for (let i = 0; i < 200 && !seen.length; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(seen.length, 1, 'the delivery arrived');
    d.noteSecret(seen[0]);
    answers.push((await d.api('GET', '/events/webhooks')).text);
    answers.push((await d.api('GET', `/events/webhooks/${cr.json.id}`)).text);
    answers.push((await d.api('GET', `/events/webhooks/${cr.json.id}/deliveries`)).text);
    for (const a of answers) for (const x of [s1, s2, seen[0]]) assert.ok(!a.includes(x), 'a webhook secret in an answer');
    assert.equal((await d.api('DELETE', `/events/webhooks/${cr.json.id}`)).status, 204);
  } finally {
    srv.closeAllConnections();
    await new Promise((r) => srv.close(r));
  }
}

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});

function digests() {
  const set = new Set();
  for (const f of fs.readdirSync(logDir)) {
    if (!f.endsWith('.secrets')) continue;
    for (const l of fs.readFileSync(path.join(logDir, f), 'utf8').split('\n')) if (l) set.add(l.trim());
  }
  return set;
}

function logFiles() {
  const out = [];
  for (const f of fs.readdirSync(logDir)) if (f.endsWith('.log')) out.push(path.join(logDir, f));
  const tdir = path.join(builddir, 'tests/integration');
  for (const f of fs.readdirSync(tdir)) {
    if (f.endsWith('.log') && !f.startsWith('secrets.')) out.push(path.join(tdir, f));
  }
  return out;
}

const CLASSES = [/[A-Za-z0-9_+/-]{16,}/g, /[A-Za-z0-9_-]{16,}/g, /[A-Za-z0-9+/]{16,}/g, /[A-Za-z0-9]{16,}/g, /[A-Za-z0-9_]{16,}/g];

test('no API key, access token or signature in any test log or boxtopd log', T, async () => {
  const known = digests();
  assert.ok(known.size >= 5, `only ${known.size} secret digests recorded`);
  const files = logFiles();
  assert.ok(files.some((f) => f.includes('secrets.') && f.endsWith('.boxtopd.log')), 'own boxtopd log missing');
  const own = fs.readFileSync(files.find((f) => f.includes('secrets.') && f.endsWith('.boxtopd.log')), 'utf8');
  assert.ok(own.length > 0, 'boxtopd at debug level logged nothing');
  const leaks = scan(files, known);
  assert.deepEqual(leaks, [], leaks.join('; '));
});

test('the scanner finds planted secrets (raw, URL-encoded, key-shaped)', T, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-scan-'));
  try {
    const tok = 'Tk' + Math.random().toString(36).slice(2) + 'x9Z2_-a';
    const sig = 'v1_abc+def/ghi' + Math.random().toString(36).slice(2);
    const known = new Set([sha256(tok), sha256(sig)]);
    const f1 = path.join(dir, 'a.log');
    fs.writeFileSync(f1, `GET /x?token=${tok}&y=1\n`);
    const f2 = path.join(dir, 'b.log');
    fs.writeFileSync(f2, `url ${encodeURIComponent(sig)} done\n`);
    const f3 = path.join(dir, 'c.log');
    fs.writeFileSync(f3, `key=e2b_${'3'.repeat(40)}\n`);
    const f4 = path.join(dir, 'd.log');
    fs.writeFileSync(f4, `masked e2b_…3333 and ${tok.slice(0, 8)} only\n`);
    assert.equal(scan([f1], known).length, 1, 'raw token');
    assert.equal(scan([f2], known).length, 1, 'URL-encoded signature');
    assert.equal(scan([f3], known).length, 1, 'key-shaped string');
    assert.deepEqual(scan([f4], known), [], 'masked values are fine');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function scan(files, known) {
  const leaks = [];
  for (const f of files) {
    let text = fs.readFileSync(f, 'latin1');
    try {
      text += '\n' + decodeURIComponent(text.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
    } catch {
      /* keep the raw text */
    }
    const shaped = text.match(/e2b_[0-9a-f]{40}/g);
    if (shaped) leaks.push(`${path.basename(f)}: ${shaped.length} full API key(s) (e2b_…${shaped[0].slice(-4)})`);
    const hit = new Set();
    for (const re of CLASSES) {
      for (const m of text.matchAll(re)) {
        const cands = [m[0], m[0].replace(/^v1_/, '')];
        for (const c of cands) if (known.has(sha256(c))) hit.add(c.slice(0, 3) + '…' + c.slice(-4));
      }
    }
    if (hit.size) leaks.push(`${path.basename(f)}: secrets ${[...hit].join(', ')}`);
  }
  return leaks;
}
