// fake_api.js - a loopback stand-in for the E2B platform API, for the TUI's live-backend tests
// until boxtopd can create sandboxes. It serves the endpoints the sandboxes view uses, with the
// response shapes of the E2B OpenAPI spec, and keeps its sandboxes in memory.
//   node fake_api.js PORT STATEFILE    (PORT 0 = any; prints "PORT n" once listening)
// STATEFILE: JSON array of {sandboxID, templateID, state, metadata, cpu, memMB}. The sandboxes
// are re-read from it at start, so a restarted server serves the same ones (the "backend went
// away and came back" test). GET /_ids lists the current ids (for the tests' checks).
'use strict';
const http = require('http');
const fs = require('fs');

// As a stand-in boxtopd (`fake_api.js --foreground --state-dir DIR ...`, the command line
// local_backend.c runs): state from $BOXTOP_FAKE_STATE, DIR/api-key and DIR/boxtopd.json
// written as the contract says, boxtopd.json removed on SIGTERM.
const argv = process.argv.slice(2);
const sdIdx = argv.indexOf('--state-dir');
const stateDir = sdIdx >= 0 ? argv[sdIdx + 1] : null;
const port = stateDir ? 0 : Number(argv[0] || 0);
const stateFile = stateDir ? process.env.BOXTOP_FAKE_STATE : argv[1];
const boxes = new Map();
for (const s of JSON.parse(fs.readFileSync(stateFile, 'utf8'))) boxes.set(s.sandboxID, s);
const now = () => Date.now();
for (const s of boxes.values()) {
  s.startedAt = s.startedAt || now() - 60000;
  s.endAt = s.endAt || now() + 600000;
}
let created = 0;
let forked = 0;
const snapshots = [];

function save() {
  fs.writeFileSync(stateFile, JSON.stringify([...boxes.values()]));
}

function listed(s) {
  return {
    sandboxID: s.sandboxID, templateID: s.templateID || 'base', alias: s.alias || 'base',
    clientID: 'fake', envdVersion: '0.2.0', state: s.state || 'running',
    startedAt: new Date(s.startedAt).toISOString(), endAt: new Date(s.endAt).toISOString(),
    cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: s.metadata || {},
  };
}

function send(res, code, body) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data)});
  res.end(data);
}

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const u = new URL(req.url, 'http://x');
    const p = u.pathname;
    let m;
    if (p === '/health') return send(res, 200, {});
    if (p === '/_ids') return send(res, 200, [...boxes.keys()].sort());
    // envd (E2B_SANDBOX_URL points here too): routed by E2b-Sandbox-Id, token checked
    if (req.method === 'POST' && p.startsWith('/process.Process/')) {
      const s = boxes.get(req.headers['e2b-sandbox-id']);
      if (!s) return send(res, 404, {code: 'not_found', message: 'no sandbox'});
      if (req.headers['x-access-token'] !== 'tok-' + s.sandboxID) return send(res, 401, {code: 'unauthenticated', message: 'bad token'});
      s.procs = s.procs || [{pid: 1, cmd: '/sbin/init', args: []}, {pid: 42, cmd: 'yes', args: [], tag: 'hog'}];
      if (p === '/process.Process/List')
        return send(res, 200, {processes: s.procs.map((x) => ({config: {cmd: x.cmd, args: x.args, envs: {}}, pid: x.pid, tag: x.tag}))});
      if (p === '/process.Process/SendSignal') {
        const pid = JSON.parse(body).process.pid;
        s.procs = s.procs.filter((x) => x.pid !== pid); save();
        return send(res, 200, {});
      }
      return send(res, 404, {code: 'unimplemented', message: p});
    }
    if (!req.headers['x-api-key']) return send(res, 401, {code: 401, message: 'no api key'});
    if ((m = p.match(/^\/sandboxes\/([^/]+)$/)) && req.method === 'GET' && m[1] !== 'metrics') {
      const s = boxes.get(decodeURIComponent(m[1]));
      if (!s) return send(res, 404, {code: 404, message: 'not found'});
      return send(res, 200, Object.assign(listed(s), {envdAccessToken: 'tok-' + s.sandboxID}));
    }
    if ((m = p.match(/^\/sandboxes\/([^/]+)\/metrics$/)) && req.method === 'GET') {
      const s = boxes.get(decodeURIComponent(m[1]));
      if (!s) return send(res, 404, {code: 404, message: 'not found'});
      const out = [];
      const t0 = Math.floor(now() / 1000);
      for (let i = 30; i >= 1; i--) // 30 samples, 5 s apart, oldest first
        out.push({timestampUnix: t0 - i * 5, timestamp: new Date((t0 - i * 5) * 1000).toISOString(),
          cpuCount: 2, cpuUsedPct: (s.cpu || 0) * (i % 2), memUsed: (s.memMB || 10) * 1048576,
          memTotal: 536870912, memCache: 0, diskUsed: 1048576, diskTotal: 1073741824});
      return send(res, 200, out);
    }
    if ((m = p.match(/^\/teams\/([^/]+)\/metrics$/)) && req.method === 'GET') {
      const t = Math.floor(now() / 1000);
      return send(res, 200, [{timestampUnix: t - 10, timestamp: new Date((t - 10) * 1000).toISOString(), concurrentSandboxes: boxes.size, sandboxStartRate: 0.2},
        {timestampUnix: t - 5, timestamp: new Date((t - 5) * 1000).toISOString(), concurrentSandboxes: boxes.size, sandboxStartRate: 0.4}]);
    }
    if ((m = p.match(/^\/v2\/sandboxes\/([^/]+)\/logs$/)) && req.method === 'GET') {
      return send(res, 200, {logs: [
        {timestamp: new Date(now() - 1000).toISOString(), level: 'warn', message: 'disk filling up', fields: {}},
        {timestamp: new Date(now() - 5000).toISOString(), level: 'info', message: 'sandbox started', fields: {}}]});
    }
    if (req.method === 'GET' && p === '/v2/sandboxes') return send(res, 200, [...boxes.values()].map(listed));
    if (req.method === 'GET' && p === '/sandboxes/metrics') {
      const out = {};
      for (const id of (u.searchParams.get('sandbox_ids') || '').split(',')) {
        const s = boxes.get(id);
        if (!s) continue;
        const t = Math.floor(now() / 1000);
        out[id] = {timestampUnix: t, timestamp: new Date(t * 1000).toISOString(), cpuCount: 2,
          cpuUsedPct: s.cpu || 0, memUsed: (s.memMB || 10) * 1048576, memTotal: 536870912,
          memCache: 0, diskUsed: 1048576, diskTotal: 1073741824};
      }
      return send(res, 200, {sandboxes: out});
    }
    if (req.method === 'GET' && (p === '/v2/templates' || p === '/templates')) return send(res, 200, []);
    if (req.method === 'POST' && p === '/v2/sandboxes') {
      const b = JSON.parse(body || '{}');
      const id = 'fake' + String(++created).padStart(4, '0');
      boxes.set(id, {sandboxID: id, templateID: b.templateID || 'base', state: 'running',
        metadata: b.metadata || {}, startedAt: now(), endAt: now() + 1000 * (b.timeout || 300)});
      save();
      return send(res, 201, {sandboxID: id, templateID: b.templateID || 'base', clientID: 'fake',
        envdVersion: '0.2.0'});
    }
    if ((m = p.match(/^\/sandboxes\/([^/]+)$/)) && req.method === 'DELETE') {
      if (!boxes.delete(decodeURIComponent(m[1]))) return send(res, 404, {code: 404, message: 'not found'});
      save();
      return send(res, 204);
    }
    // issue 21, in E2B cloud's shapes (no boxtopd extras); requests logged for the tests
    if (/^\/(snapshots|volumes|templates\/)|\/(snapshots|fork|pause)$/.test(p))
      process.stdout.write(`${req.method} ${req.url} ${body}\n`);
    if ((m = p.match(/^\/sandboxes\/([^/]+)\/snapshots$/)) && req.method === 'POST') {
      if (!boxes.get(decodeURIComponent(m[1]))) return send(res, 404, {code: 404, message: 'not found'});
      const name = JSON.parse(body || '{}').name;
      const snap = name ? {snapshotID: `acme/${name}:default`, names: [`acme/${name}`]}
        : {snapshotID: 'k3j2v7q9x0a1b2c3d4e5:default', names: []};
      snapshots.unshift(snap);
      return send(res, 201, snap);
    }
    if (req.method === 'GET' && p === '/snapshots') return send(res, 200, snapshots);
    if ((m = p.match(/^\/templates\/(.+)$/)) && req.method === 'DELETE') {
      const id = decodeURIComponent(m[1]);
      const i = snapshots.findIndex((x) => x.snapshotID === id);
      if (i < 0) return send(res, 404, {code: 404, message: 'template not found'});
      snapshots.splice(i, 1);
      return send(res, 204);
    }
    if ((m = p.match(/^\/sandboxes\/([^/]+)\/fork$/)) && req.method === 'POST') {
      const src = boxes.get(decodeURIComponent(m[1]));
      if (!src) return send(res, 404, {code: 404, message: 'not found'});
      const count = JSON.parse(body || '{}').count || 1;
      const out = [];
      for (let i = 0; i < count; i++) {
        if (i > 0) { // the cloud's per-fork failure shape
          out.push({error: {code: 429, message: 'you have reached the maximum number of concurrent E2B sandboxes (20)'}});
          continue;
        }
        const id = 'fork' + String(++forked).padStart(4, '0');
        boxes.set(id, {sandboxID: id, templateID: src.templateID || 'base', state: 'running',
          metadata: src.metadata || {}, startedAt: now(), endAt: now() + 300000});
        out.push({sandbox: {sandboxID: id, templateID: 'base', clientID: 'fake', envdVersion: '0.2.0'}});
      }
      save();
      return send(res, 201, out);
    }
    if (req.method === 'GET' && p === '/volumes')
      return send(res, 200, [{volumeID: '00000000-0000-4000-8000-000000000001', name: 'shared'}]);
    if ((m = p.match(/^\/sandboxes\/([^/]+)\/pause$/)) && req.method === 'POST') {
      const s = boxes.get(decodeURIComponent(m[1]));
      if (!s) return send(res, 404, {code: 404, message: 'not found'});
      if (s.state === 'paused') return send(res, 409, {code: 409, message: 'already paused'});
      s.state = 'paused'; save();
      return send(res, 204);
    }
    if ((m = p.match(/^\/v2\/sandboxes\/([^/]+)\/connect$/)) && req.method === 'POST') {
      const s = boxes.get(decodeURIComponent(m[1]));
      if (!s) return send(res, 404, {code: 404, message: 'not found'});
      const was = s.state; s.state = 'running'; save();
      return send(res, was === 'paused' ? 201 : 200, {sandboxID: s.sandboxID, templateID: s.templateID || 'base', envdVersion: '0.2.0'});
    }
    if ((m = p.match(/^\/sandboxes\/([^/]+)\/timeout$/)) && req.method === 'POST') {
      const s = boxes.get(decodeURIComponent(m[1]));
      if (!s) return send(res, 404, {code: 404, message: 'not found'});
      s.endAt = now() + 1000 * JSON.parse(body).timeout; save();
      return send(res, 204);
    }
    return send(res, 404, {code: 404, message: 'no route ' + req.method + ' ' + p});
  });
});
server.listen(port, '127.0.0.1', () => {
  const p = server.address().port;
  process.stdout.write('PORT ' + p + '\n');
  if (stateDir) {
    process.stderr.write('fake boxtopd: noise on stderr that must not reach the TUI\n');
    const key = 'e2b_' + require('crypto').randomBytes(20).toString('hex');
    fs.writeFileSync(stateDir + '/api-key', key + '\n', {mode: 0o600});
    const url = 'http://127.0.0.1:' + p;
    fs.writeFileSync(stateDir + '/boxtopd.json.tmp',
      JSON.stringify({pid: process.pid, apiUrl: url, sandboxUrl: url, version: '0.1.0'}), {mode: 0o600});
    fs.renameSync(stateDir + '/boxtopd.json.tmp', stateDir + '/boxtopd.json');
  }
});
process.on('SIGTERM', () => {
  if (stateDir) try { fs.unlinkSync(stateDir + '/boxtopd.json'); } catch (e) { /* gone */ }
  process.exit(0);
});
