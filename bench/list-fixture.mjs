// bench/list-fixture.mjs - a loopback stand-in for the E2B platform API with many sandboxes, for
// bench/list. Responses have the recorded shapes (shared/protocol/platform-api.md and the CLI
// transcripts) but are generated from a seed, so every run serves the same sandboxes:
//   GET /health                          200 "Health check successful"
//   GET /v2/sandboxes?state=&limit=&nextToken=   ListedSandbox[] pages, X-Next-Token, X-Total-Running
//   GET /sandboxes                       every running sandbox, ListedSandbox[] (v1: unpaged;
//                                        deprecated in the spec, served by E2B cloud)
//   GET /sandboxes/metrics?sandbox_ids=  {"sandboxes": {id: SandboxMetric}} (<= 100 ids, else 400)
//   GET /sandboxes/{id}/metrics?start=&end=  SandboxMetric[] of the 5 s buckets in [start, end]
//   GET /v2/templates, /templates        []
//   GET /_stats                          request counters (for the benchmark, not E2B)
// Usage: node list-fixture.mjs [N=10000] [SEED=1]; prints "PORT n" once listening on 127.0.0.1.
// Pages are rendered once and cached so the server's own cost stays small next to the clients'.
import http from 'node:http';

const N = +(process.argv[2] || 10000);
const SEED = +(process.argv[3] || 1);
const API_KEY = process.env.FIXTURE_API_KEY || '';

function rng(seed) { // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const r = rng(SEED);
const pick = (v) => v[Math.floor(r() * v.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const word = (n) => Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('');

const t0 = Date.now();
const templates = Array.from({ length: 8 }, () => ({ id: word(20), alias: pick(['base', 'code-interpreter-v1', 'desktop', 'node-22', 'python-3.12', 'my-agent']) }));
const boxes = [];
for (let i = 0; i < N; i++) {
  const tpl = pick(templates);
  const started = t0 - Math.floor(r() * 6 * 3600e3);
  const md = {};
  const nmd = 1 + Math.floor(r() * 4);
  for (let k = 0; k < nmd; k++) md[pick(['owner', 'team', 'job', 'env', 'run-id', 'purpose'])] = word(4 + Math.floor(r() * 20));
  const state = r() < 0.9 ? 'running' : 'paused';
  boxes.push({
    templateID: tpl.id,
    alias: tpl.alias,
    sandboxID: 'i' + hex(19),
    clientID: hex(8),
    startedAt: new Date(started).toISOString(),
    endAt: new Date(state === 'running' ? t0 + 60e3 + Math.floor(r() * 3600e3) : started + 60e3).toISOString(),
    cpuCount: pick([1, 2, 4, 8]),
    memoryMB: pick([512, 1024, 2048, 4096]),
    diskSizeMB: pick([2048, 5120, 10240]),
    metadata: md,
    state,
    envdVersion: '0.2.' + Math.floor(r() * 10),
    volumeMounts: [],
    _seed: Math.floor(r() * 2 ** 31),
  });
}
// start-time desc, ties by id asc (the API's default order)
boxes.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.sandboxID < b.sandboxID ? -1 : 1));
const byId = new Map(boxes.map((b) => [b.sandboxID, b]));
const listed = (b) => JSON.stringify(b, (k, v) => (k === '_seed' ? undefined : v));

// The latest sample of a sandbox: a 5 s bucket of the wall clock, values from its seed.
function metric(b, bucket) {
  const g = rng(b._seed ^ bucket);
  const memTotal = b.memoryMB * 1024 * 1024;
  const diskTotal = b.diskSizeMB * 1024 * 1024;
  const ts = bucket * 5;
  return {
    timestamp: new Date(ts * 1000).toISOString(),
    timestampUnix: ts,
    cpuCount: b.cpuCount,
    cpuUsedPct: Math.round(g() * 10000) / 100,
    memUsed: Math.floor(memTotal * (0.1 + 0.8 * g())),
    memTotal,
    memCache: Math.floor(memTotal * 0.05 * g()),
    diskUsed: Math.floor(diskTotal * (0.05 + 0.5 * g())),
    diskTotal,
  };
}

const stats = { list: 0, listFirst: 0, listV1: 0, metrics: 0, metricsIds: 0, history: 0, other: 0, connections: 0 };
const pageCache = new Map();

function send(res, code, body, headers = {}) {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

function list(u, res) {
  const states = u.searchParams.getAll('state').flatMap((s) => s.split(',')).filter(Boolean);
  const want = new Set(states.length ? states : ['running', 'paused']);
  for (const s of want) if (s !== 'running' && s !== 'paused') return send(res, 400, { code: 400, message: 'invalid state' });
  const limit = u.searchParams.has('limit') ? +u.searchParams.get('limit') : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(res, 400, { code: 400, message: 'limit must be 1..100' });
  const tok = u.searchParams.get('nextToken');
  let off = 0;
  if (tok) {
    const m = /^o(\d+)$/.exec(Buffer.from(tok, 'base64url').toString());
    if (!m) return send(res, 400, { code: 400, message: 'Invalid next token' });
    off = +m[1];
  } else {
    stats.listFirst++;
  }
  stats.list++;
  const key = `${[...want].sort()}|${limit}|${off}`;
  let page = pageCache.get(key);
  if (!page) {
    const all = boxes.filter((b) => want.has(b.state));
    const slice = all.slice(off, off + limit);
    const headers = {};
    if (off + limit < all.length) headers['X-Next-Token'] = Buffer.from(`o${off + limit}`).toString('base64url');
    if (want.has('running')) headers['X-Total-Running'] = String(all.filter((b) => b.state === 'running').length);
    page = { body: '[' + slice.map(listed).join(',') + ']', headers };
    pageCache.set(key, page);
  }
  send(res, 200, page.body, page.headers);
}

// v1 as E2B's GetSandboxes answers it: the running sandboxes, newest first, in one body
let v1Body = null;
function listV1(res) {
  stats.listV1++;
  v1Body = v1Body || '[' + boxes.filter((b) => b.state === 'running').map(listed).join(',') + ']';
  send(res, 200, v1Body);
}

function metrics(u, res) {
  stats.metrics++;
  const raw = u.searchParams.get('sandbox_ids');
  const ids = raw ? raw.split(',').filter(Boolean) : [];
  if (!ids.length || ids.length > 100) return send(res, 400, { code: 400, message: 'sandbox_ids: 1..100 ids' });
  stats.metricsIds += ids.length;
  const bucket = Math.floor(Date.now() / 5000);
  const out = {};
  for (const id of ids) {
    const b = byId.get(id);
    if (b && b.state === 'running') out[id] = metric(b, bucket);
  }
  send(res, 200, { sandboxes: out });
}

function history(id, u, res) {
  stats.history++;
  const b = byId.get(id);
  if (!b) return send(res, 404, { code: 404, message: `sandbox "${id}" not found` });
  const now = Math.floor(Date.now() / 1000);
  const start = u.searchParams.has('start') ? +u.searchParams.get('start') : now - 600;
  const end = u.searchParams.has('end') ? +u.searchParams.get('end') : now;
  if (!Number.isInteger(start) || !Number.isInteger(end)) return send(res, 400, { code: 400, message: 'start/end: unix seconds' });
  const out = [];
  if (b.state === 'running')
    for (let k = Math.ceil(start / 5); k <= Math.floor(Math.min(end, now) / 5) && out.length < 1000; k++) out.push(metric(b, k));
  send(res, 200, out);
}

const server = http.createServer((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  if (p === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    return res.end('Health check successful');
  }
  if (p === '/_stats') return send(res, 200, stats);
  if (API_KEY && req.headers['x-api-key'] !== API_KEY) return send(res, 401, { code: 401, message: 'Invalid API key' });
  if (req.method !== 'GET') { stats.other++; return send(res, 405, { code: 405, message: 'method not allowed' }); }
  if (p === '/v2/sandboxes') return list(u, res);
  if (p === '/sandboxes') return listV1(res);
  if (p === '/sandboxes/metrics') return metrics(u, res);
  const hm = /^\/sandboxes\/([^/]+)\/metrics$/.exec(p);
  if (hm) return history(decodeURIComponent(hm[1]), u, res);
  stats.other++;
  if (p === '/v2/templates' || p === '/templates') return send(res, 200, []);
  return send(res, 404, { code: 404, message: 'not found' });
});
server.keepAliveTimeout = 60e3;
server.on('connection', () => stats.connections++);
server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
const stop = () => server.close(() => process.exit(0)) && setTimeout(() => process.exit(0), 500).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
