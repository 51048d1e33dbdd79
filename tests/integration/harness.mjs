// harness.mjs - the harness itself against boxtopd's start-up contract: boxtopd.json and the
// api-key file (content and modes), /health, --print-env, and a clean teardown that leaves no
// process, no boxtopd.json and no listening port.
import { test } from 'node:test';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { assert, fileContext } from './lib/common.mjs';
import { boxtopdBin, e2bCliJs, http } from './lib/boxtopd.mjs';

const ctx = fileContext('harness');
const T = { timeout: 60000 };

test('boxtopd starts and writes boxtopd.json (pid, loopback URLs, version, mode 0600)', T, async () => {
  const d = await ctx.start();
  assert.equal(d.info.pid, d.pid);
  assert.match(d.info.version, /^\d+\.\d+\.\d+/);
  assert.notEqual(new URL(d.apiUrl).port, new URL(d.sandboxUrl).port);
  assert.equal(d.jsonMode, 0o600, `boxtopd.json mode ${d.jsonMode.toString(8)}`);
});

test('api-key is e2b_ + 40 hex, one line, mode 0600', T, async () => {
  const d = ctx.need();
  assert.match(d.apiKey, /^e2b_[0-9a-f]{40}$/, 'api-key format');
  const raw = fs.readFileSync(path.join(d.stateDir, 'api-key'), 'utf8');
  assert.equal(raw.replace(/\n$/, ''), d.apiKey, 'one line');
  assert.equal(d.keyMode, 0o600, `api-key mode ${d.keyMode.toString(8)}`);
});

test('GET /health on the API answers 2xx without a key', T, async () => {
  const d = ctx.need();
  const r = await http(d.apiUrl + '/health');
  assert.ok(r.status >= 200 && r.status < 300, `status ${r.status}`);
});

test('boxtopd --print-env prints the three export lines for this state dir', T, async () => {
  const d = ctx.need();
  const out = execFileSync(boxtopdBin, ['--print-env', '--state-dir', d.stateDir], { encoding: 'utf8', timeout: 10000 });
  const vars = {};
  for (const line of out.split('\n')) {
    const m = line.match(/^export (E2B_[A-Z_]+)=['"]?([^'"]*)['"]?$/);
    if (m) vars[m[1]] = m[2];
  }
  assert.equal(vars.E2B_API_URL, d.apiUrl);
  assert.equal(vars.E2B_SANDBOX_URL, d.sandboxUrl);
  assert.equal(vars.E2B_API_KEY, d.apiKey);
});

test('a second start on the same state dir keeps the same key', T, async () => {
  const d = ctx.need();
  const key = d.apiKey;
  const st = await d.stop('SIGTERM');
  assert.equal(st.forced, false, 'boxtopd ignored SIGTERM');
  assert.equal(st.code, 0, `exit ${JSON.stringify(st)}`);
  assert.ok(!fs.existsSync(path.join(d.stateDir, 'boxtopd.json')), 'boxtopd.json removed on clean exit');
  await d.restart();
  assert.equal(d.apiKey, key);
  assert.ok(await d.health(), 'healthy after restart');
});

test('the loopback guard refuses non-loopback connections (tests and CLI)', T, async () => {
  const d = ctx.need();
  let err;
  try {
    await fetch('http://e2b.example.invalid/');
  } catch (e) {
    err = e;
  }
  assert.equal(err && err.cause && err.cause.code, 'EBOXTOP_NONLOOPBACK', `fetch to a remote host: ${err}`);
  err = null;
  try {
    await fetch('http://192.0.2.1/');
  } catch (e) {
    err = e;
  }
  assert.equal(err && err.cause && err.cause.code, 'EBOXTOP_NONLOOPBACK', 'fetch to a remote IP');
  // The CLI with a cloud domain instead of boxtopd's URLs must fail, not go out.
  const env = { ...d.env, E2B_DOMAIN: 'e2b.app' };
  delete env.E2B_API_URL;
  delete env.E2B_SANDBOX_URL;
  const r = spawnSync(process.execPath, [e2bCliJs, 'sandbox', 'list'], { env, encoding: 'utf8', timeout: 30000 });
  assert.notEqual(r.status, 0);
  assert.match(r.stdout + r.stderr, /EBOXTOP_NONLOOPBACK|stay on loopback/);
});

test('teardown: boxtopd exits 0 on SIGTERM, no process left, ports closed', T, async () => {
  const d = ctx.need();
  const ports = [new URL(d.apiUrl).port, new URL(d.sandboxUrl).port];
  await ctx.teardown();
  for (const port of ports) {
    const refused = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: +port });
      s.on('connect', () => { s.destroy(); resolve(false); });
      s.on('error', () => resolve(true));
    });
    assert.ok(refused, `port ${port} still accepts connections`);
  }
  assert.ok(!fs.existsSync(d.stateDir), 'temporary state dir removed');
});
