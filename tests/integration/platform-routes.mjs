// platform-routes.mjs - routes of today's E2B API that boxtopd answered 404: PUT
// /sandboxes/{id}/network through the SDK's updateNetwork and on the raw wire (upstream's order
// and texts: handlers/sandbox_network_update.go, validateEgressRules; a restriction boxtopd
// cannot apply refused as upstream refuses one its node cannot apply), and the routes whose
// credentials boxtopd never issues (/nodes, /admin/..., /teams, /api-keys, /access-tokens, the
// v1 rebuild) answering what self-hosted E2B answers a team key: 401 from its security check.
import { test } from 'node:test';
import { assert, fileContext, rejectsWith } from './lib/common.mjs';

const ctx = fileContext('platform-routes');
const T = { timeout: 60000 };
let sbx;

test('boxtopd starts and a sandbox is created', T, async () => {
  const d = await ctx.start();
  sbx = await ctx.E.Sandbox.create('base', { timeoutMs: 120_000 });
  d.track(sbx);
});

test('updateNetwork via the SDK: open egress is accepted, a restriction refused (nothing changed)', T, async () => {
  const d = ctx.need();
  const { Sandbox, SandboxError, SandboxNotFoundError } = ctx.E;
  await sbx.updateNetwork({ allowOut: ['1.1.1.1', '10.0.0.0/8'] });
  await sbx.updateNetwork({});
  await Sandbox.updateNetwork(sbx.sandboxId, { allowInternetAccess: true });
  const e = await rejectsWith(sbx.updateNetwork({ denyOut: ['8.8.8.8'] }), SandboxError, 'denyOut');
  assert.match(e.message, /500: Error applying network config to sandbox/);
  await rejectsWith(sbx.updateNetwork({ allowInternetAccess: false }), SandboxError, 'allowInternetAccess false');
  assert.equal((await d.api('GET', `/sandboxes/${sbx.sandboxId}`)).json.allowInternetAccess, true);
  // the sandbox still reaches its own loopback (nothing was applied)
  assert.equal((await sbx.commands.run('echo ok')).stdout, 'ok\n');
  await rejectsWith(Sandbox.updateNetwork('inosuchsandbox0000000', {}), SandboxNotFoundError, 'unknown sandbox');
});

test('PUT /sandboxes/{id}/network on the raw wire: upstream texts in upstream order', T, async () => {
  const d = ctx.need();
  const id = sbx.sandboxId;
  const put = (body, sid = id) => d.api('PUT', `/sandboxes/${sid}/network`, { body });
  const cases = [
    [{ denyOut: ['example.com'] }, 400, 'invalid denied CIDR example.com'],
    [{ denyOut: ['0.0.0.0'] }, 400, 'invalid denied CIDR 0.0.0.0'],
    [{ allowOut: ['::'] }, 400, 'invalid allowed address ::'],
    [{ allowOut: ['1.2.3.4/33'] }, 400, null], // not a CIDR: taken for a domain, as upstream
    [{ allowOut: ['example.com'] }, 400, "When specifying allowed domains in allow out, you must include 'ALL_TRAFFIC' in deny out to block all other traffic."],
    [{ egressProxy: { address: 'proxy:1080' } }, 403, 'Egress proxy (egressProxy) is not enabled for this team.'],
    [{ rules: { 'api.example.com': [] } }, 400, 'Network transform rules are not available for your team.'],
    [{ allowOut: ['example.com'], denyOut: ['0.0.0.0/0'] }, 500, 'Error applying network config to sandbox'],
    [{ allowOut: 'x' }, 400, 'Error when parsing request: a field has the wrong type'],
    ['[1,2', 400, 'Error when parsing request: the body is not a JSON object'],
    [{}, 404, 'Sandbox "inosuchsandbox0000000" doesn\'t exist or you don\'t have access to it', 'inosuchsandbox0000000'],
    [{ rules: { a: [] } }, 404, 'Sandbox "inosuchsandbox0000000" doesn\'t exist or you don\'t have access to it', 'inosuchsandbox0000000'],
    [{ denyOut: ['x'] }, 400, 'invalid denied CIDR x', 'inosuchsandbox0000000'], // checked before the lookup
  ];
  for (const [body, status, msg, sid] of cases) {
    const r = await put(body, sid);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    if (msg) assert.deepEqual(r.json, { code: status, message: msg }, JSON.stringify(body));
  }
  assert.equal((await put({ allowOut: ['1.1.1.1'], egressProxy: null, rules: null })).status, 204);
  // a SOCKS5 password is a secret: not in the answer (secrets.sh searches the logs for it)
  const pw = 'socks-' + Math.random().toString(36).slice(2) + 'Qx7Zp9Lm3Kd';
  d.noteSecret(pw);
  const pr = await put({ egressProxy: { address: 'proxy.example.com:1080', username: 'u', password: pw } });
  assert.equal(pr.status, 403);
  assert.ok(!pr.text.includes(pw), 'the proxy password in an answer');
  assert.equal((await d.api('PUT', `/sandboxes/${id}/network`, { body: {}, key: null })).status, 401);
  await sbx.pause();
  const p = await put({});
  assert.equal(p.status, 404, 'a paused sandbox is not in the live store upstream');
  await ctx.E.Sandbox.connect(id);
});

test('routes with admin or user credentials answer 401 as upstream, never 404', T, async () => {
  const d = ctx.need();
  const missing = { code: 401, message: 'authorization header is missing' };
  const routes = [
    ['GET', '/nodes'],
    ['GET', '/nodes/n1'],
    ['POST', '/nodes/n1'],
    ['POST', '/admin/teams/t1/sandboxes/kill'],
    ['GET', '/admin/sandboxes/running-counts'],
    ['POST', '/admin/teams/t1/builds/cancel'],
    ['POST', '/admin/teams/t1/api-keys'],
    ['DELETE', '/admin/teams/t1/api-keys/k1'],
    ['GET', '/teams'],
    ['POST', '/templates/base'],
    ['POST', '/access-tokens'],
    ['DELETE', '/access-tokens/a1'],
    ['GET', '/api-keys'],
    ['POST', '/api-keys'],
    ['PATCH', '/api-keys/k1'],
    ['DELETE', '/api-keys/k1'],
  ];
  for (const [m, p] of routes) {
    for (const key of [undefined, null]) {
      const r = await d.api(m, p, { key, body: m === 'GET' ? undefined : {} });
      assert.equal(r.status, 401, `${m} ${p}: ${r.text}`);
      assert.deepEqual(r.json, missing, `${m} ${p}`);
    }
  }
  const admin = await d.api('GET', '/nodes', { headers: { 'X-Admin-Token': 'guess' } });
  assert.deepEqual(admin.json, { code: 401, message: 'Invalid Access token.\nInvalid Access token.' });
  const user = await d.api('GET', '/teams', { headers: { Authorization: 'Bearer sometoken' } });
  assert.deepEqual(user.json, { code: 401, message: 'Invalid auth provider token.' });
  // the CLI's `e2b auth configure` call, with the team key only
  assert.equal((await d.api('GET', '/teams', { headers: { Authorization: '' } })).status, 401);
});

test('other methods under /secrets: 404 "Not found", no-store, the selector not echoed', T, async () => {
  const d = ctx.need();
  for (const [m, p] of [['PUT', '/secrets/my-private-name'], ['PATCH', '/secrets'], ['GET', '/secrets/my-private-name/x']]) {
    for (const key of [undefined, null]) {
      const r = await d.api(m, p, { key, body: m === 'GET' ? undefined : {} });
      assert.equal(r.status, 404, `${m} ${p}`);
      assert.deepEqual(r.json, { code: 404, message: 'Not found' });
      assert.equal(r.headers.get('cache-control'), 'no-store');
    }
  }
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
