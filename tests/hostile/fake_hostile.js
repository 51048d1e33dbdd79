// fake_hostile.js - a loopback E2B (platform API and envd on one port) that misbehaves in one
// chosen way, for tests/hostile (issue 25). It speaks raw HTTP/1.1 over `net`, not node's http
// module, so it can lie about framing: gzip bombs, Content-Length claims it never honours,
// streams that end without their end frame or with bad lengths.
//   node fake_hostile.js MODE        prints "PORT n" once listening on 127.0.0.1
//   node fake_hostile.js --seeds DIR writes small samples of every response generator as fuzz
//                                    seeds: DIR/<target>/hostile-<name>
// GET /_stats answers {"requests":{path:count},"streams":n} for the tests' checks.
'use strict';
const net = require('net');
const zlib = require('zlib');
const fs = require('fs');
const path = require('path');
const {END_STREAM, frame, startEvent, dataEvent} = require('../lib/connect-frames.cjs');

const MODES = [
  'listdir-bomb',   // 1: ListDir answer: 254 KB gzip → 250 MiB of {"entries":[{},{},…]}
  'fat-pages',      // 2: 100 sandboxes × 300 KB metadata a page, a new next-token every time
  'fat-pages-fit',  // 2: the same with 60 KB each (pages pass the page limit, the total does not)
  'logs-fat',       // 3: log entries of 1 500 fields × 1 000 invalid-UTF-8 bytes, forever
  'files-stall',    // 4: /files sends 1 MB, then nothing, connection kept open
  'files-lie',      // 4: /files claims 10 GB, sends 64 MB, then stalls
  'list-bomb',      // 5: list answer: 30 KB gzip → 31 MiB of [{},{},…]
  'endless-pages',  // 6: small valid pages, a new next-token every time
  'stream-bad',     // 7: process streams end badly (no end frame, error end, bad length, bad JSON)
  'redirect',       // 8: every API call answers 307
  'status-500',     // 8: every API call answers 500
  'retry-after',    // 8: 429 with Retry-After: 99999999
  'bad-item',       // 8: one bad sandbox among good ones; one bad event among good ones
  'odd-values',     // 8: CPU 1.8e308, year-1 times, a team start rate of 1e309 (inf)
  'ignore-limit',   // 8: pages of 100 whatever ?limit= says, then a repeated next-token
  'repeat-token',   // 8: the same next-token again on the second page
  'cp-dir-fail',    // 8: a directory whose files fail to download
  'early-output',   // 8: a stream sends output before its start event
  'bidi-name',      // 8: a file named "U+202E exe.txt"
];

// ---- response generators (also the fuzz seeds) --------------------------------------------

const iso = (ms) => new Date(ms).toISOString();
let clock = () => Date.now(); // fixed while writing seeds, so they are the same every time
function sandbox(id, metadata, extra) {
  return Object.assign({
    sandboxID: id, templateID: 'base', alias: 'base', clientID: 'fake', envdVersion: '0.2.0',
    state: 'running', startedAt: iso(clock() - 60000), endAt: iso(clock() + 3600000),
    cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: metadata || {},
  }, extra || {});
}
// a list page of n sandboxes whose metadata value is `fat` bytes; ids carry the page number
function listPage(page, n, fat) {
  const big = 'm'.repeat(fat);
  const items = [];
  for (let i = 0; i < n; i++) items.push(sandbox(`p${page}x${i}`, fat ? {blob: big} : {n: String(i)}));
  return JSON.stringify(items);
}
// "{},{},…" n times, built in 1 MiB pieces and gzipped piece by piece (never whole in memory)
function gzipRepeat(head, unit, total, tail) {
  const gz = zlib.createGzip({level: 9});
  const parts = [];
  gz.on('data', (d) => parts.push(d));
  const piece = Buffer.from(unit.repeat(Math.floor((1 << 20) / unit.length)));
  return new Promise((resolve) => {
    gz.on('end', () => resolve(Buffer.concat(parts)));
    gz.write(head);
    for (let n = 0; n < total; n += piece.length) gz.write(piece);
    gz.end(unit.slice(0, -1) + tail); // the last unit without its comma
  });
}
function logEntries(fields, bytes, n, t0) {
  const bad = Buffer.alloc(bytes, 0xff).toString('latin1'); // re-encoded below as raw bytes
  const logs = [];
  for (let i = 0; i < n; i++) {
    const f = {};
    for (let k = 0; k < fields; k++) f['f' + k] = bad;
    logs.push({timestamp: iso(t0 + i), level: 'info', message: 'entry ' + (t0 + i), fields: f});
  }
  // 0xff is never valid UTF-8: write the string's code units as single bytes
  return Buffer.from(JSON.stringify({logs}), 'latin1');
}
function entry(name, type, p, size) {
  return {name, type, path: p, size: size || 0, mode: type === 'FILE_TYPE_DIRECTORY' ? 0o40755 : 0o644,
    permissions: type === 'FILE_TYPE_DIRECTORY' ? 'drwxr-xr-x' : '-rw-r--r--', owner: 'user',
    group: 'user', modifiedTime: '2026-01-01T00:00:00Z'};
}
const b64 = (s) => Buffer.from(s).toString('base64');
const ptyEvent = (s) => dataEvent('pty', s);
// the four bad endings of point 7, by connection number
function badEnding(k) {
  switch (k % 4) {
  case 0: return Buffer.alloc(0);                                                 // no end frame
  case 1: return frame({error: {code: 'unavailable', message: 'envd hiccup'}}, END_STREAM); // error end
  case 2: return Buffer.concat([Buffer.from([0, 0xff, 0xff, 0xff, 0xff]), Buffer.from('{}')]); // bad length
  default: return frame('{"event":{"data":', 0);                                   // bad JSON
  }
}

// ---- raw HTTP -----------------------------------------------------------------------------

const stats = {requests: {}, streams: 0};
function head(sock, status, headers) {
  const reason = {200: 'OK', 204: 'No Content', 307: 'Temporary Redirect', 404: 'Not Found',
    429: 'Too Many Requests', 500: 'Internal Server Error'}[status] || 'X';
  let h = `HTTP/1.1 ${status} ${reason}\r\n`;
  for (const [k, v] of Object.entries(headers)) h += `${k}: ${v}\r\n`;
  sock.write(h + '\r\n');
}
function send(sock, status, body, headers) {
  // strings are bodies as they are; anything else is sent as JSON
  const data = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  head(sock, status, Object.assign({'Content-Type': 'application/json', 'Content-Length': data.length}, headers || {}));
  sock.write(data);
}

let bombs = {};
async function listdirBomb() {
  return bombs.ld || (bombs.ld = await gzipRepeat('{"entries":[', '{},', 250 << 20, ']}'));
}
async function listBomb() {
  return bombs.l || (bombs.l = await gzipRepeat('[', '{},', 31 << 20, ']'));
}

let page = 0, conns = 0, logT = Date.now();
const pages = {};
async function route(mode, req, sock) {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  stats.requests[p] = (stats.requests[p] || 0) + 1;
  if (p === '/_stats') return send(sock, 200, stats);
  if (p === '/health') return send(sock, 200, {});
  const api = !p.startsWith('/process.') && !p.startsWith('/filesystem.') && p !== '/files';
  if (api && mode === 'redirect') return send(sock, 307, '{}', {Location: 'http://127.0.0.1:1/elsewhere'});
  if (api && mode === 'status-500') return send(sock, 500, {code: 500, message: 'database on fire'});
  if (api && mode === 'retry-after') return send(sock, 429, {code: 429, message: 'slow down'}, {'Retry-After': '99999999'});
  let m;
  if (p === '/v2/sandboxes' || p === '/sandboxes') {
    // as E2B: v1 lists running sandboxes only and v2 honours state=; this fake's sandboxes all
    // run (the paging modes below page either route, which makes boxtop give v1 up)
    if (u.searchParams.get('state') === 'paused' && !/pages|limit|token/.test(mode)) return send(sock, 200, []);
    const tok = u.searchParams.get('nextToken');
    const n = tok ? Number(tok.replace(/\D/g, '')) || 0 : 0;
    if (mode === 'list-bomb')
      return send(sock, 200, await listBomb(), {'Content-Encoding': 'gzip'});
    if (mode === 'fat-pages' || mode === 'fat-pages-fit') {
      const fat = mode === 'fat-pages' ? 300 * 1024 : 60 * 1024;
      const key = mode + fat;
      // one body per mode, with the page number patched into the ids: no 30 MB JSON.stringify per call
      const body = pages[key] || (pages[key] = listPage('000000', 100, fat));
      return send(sock, 200, body.replace(/p000000x/g, 'p' + String(++page).padStart(6, '0') + 'x'),
        {'X-Next-Token': 'tok' + page});
    }
    if (mode === 'endless-pages')
      return send(sock, 200, listPage(String(n).padStart(6, '0'), 100, 0), {'X-Next-Token': 'tok' + (n + 1)});
    if (mode === 'ignore-limit')
      return send(sock, 200, listPage(String(n).padStart(6, '0'), 100, 0), {'X-Next-Token': 'again'});
    if (mode === 'repeat-token')
      return send(sock, 200, listPage(String(n).padStart(6, '0'), 3, 0), {'X-Next-Token': 'same'});
    if (mode === 'bad-item') {
      const l = JSON.parse(listPage('000000', 3, 0));
      l.splice(1, 0, {sandboxID: 'broken', state: 42});
      return send(sock, 200, l);
    }
    if (mode === 'odd-values')
      return send(sock, 200, [sandbox('odd1', {}, {startedAt: '0001-01-01T00:00:00Z', endAt: '0001-01-01T00:00:00Z'})]);
    return send(sock, 200, [sandbox('box1', {owner: 'alice'})]);
  }
  if (p === '/sandboxes/metrics') {
    const out = {};
    for (const id of (u.searchParams.get('sandbox_ids') || '').split(',').filter(Boolean))
      out[id] = {timestampUnix: Math.floor(Date.now() / 1000), timestamp: iso(Date.now()), cpuCount: 2,
        cpuUsedPct: mode === 'odd-values' ? 1.8e308 : 3, memUsed: 1 << 20, memTotal: 1 << 29,
        memCache: 0, diskUsed: 1 << 20, diskTotal: 1 << 30};
    return send(sock, 200, {sandboxes: out});
  }
  if ((m = p.match(/^\/teams\/[^/]+\/metrics$/))) {
    const t = Math.floor(Date.now() / 1000);
    return send(sock, 200, Buffer.from(`[{"timestampUnix":${t},"timestamp":"${iso(t * 1000)}","concurrentSandboxes":1,"sandboxStartRate":${mode === 'odd-values' ? '1e309' : '0.1'}}]`));
  }
  if ((m = p.match(/^\/sandboxes\/([^/]+)\/metrics$/)))
    return send(sock, 200, mode !== 'odd-values' ? [] : Buffer.from(`[{"timestampUnix":${Math.floor(Date.now() / 1000)},"timestamp":"${iso(Date.now())}","cpuCount":2,"cpuUsedPct":1.8e308,"memUsed":1,"memTotal":2,"memCache":0,"diskUsed":1,"diskTotal":2}]`));
  if ((m = p.match(/^\/v2\/sandboxes\/([^/]+)\/logs$/))) {
    if (mode === 'logs-fat') {
      logT += 10;
      return send(sock, 200, logEntries(1500, 1000, 3, logT));
    }
    return send(sock, 200, {logs: [{timestamp: mode === 'odd-values' ? '0001-01-01T00:00:00Z' : iso(Date.now()), level: 'info', message: 'hello', fields: {}}]});
  }
  if ((m = p.match(/^\/sandboxes\/([^/]+)\/logs$/))) return send(sock, 200, {logs: [], logEntries: []});
  if ((m = p.match(/^\/events\/sandboxes/)) || p === '/events') {
    const good = (i) => ({id: 'ev' + i, type: 'sandbox.lifecycle.created', sandboxId: 'box1', timestamp: iso(Date.now() - i * 1000)});
    return send(sock, 200, mode === 'bad-item' ? [good(1), {id: 'bad', type: 7}, good(2)] : [good(1)]);
  }
  if ((m = p.match(/^\/sandboxes\/([^/]+)$/)) && req.method === 'GET')
    return send(sock, 200, sandbox(decodeURIComponent(m[1]), {}, {envdAccessToken: 'tok-secret-1234567'}));
  if ((m = p.match(/^\/sandboxes\/([^/]+)\/(timeout|refreshes|pause)$/))) return send(sock, 204);
  if ((m = p.match(/^(?:\/v2)?\/sandboxes\/([^/]+)\/connect$/)))
    return send(sock, 200, {sandboxID: decodeURIComponent(m[1]), templateID: 'base', envdVersion: '0.6.0', envdAccessToken: 'tok-secret-1234567'});
  if (p === '/v2/templates' || p === '/templates') return send(sock, 200, []);

  // ---- envd ----
  if (p === '/filesystem.Filesystem/Stat') {
    const want = JSON.parse(req.body.toString() || '{}').path || '/';
    const dir = !/\.(txt|bin)$/.test(want);
    return send(sock, 200, {entry: entry(path.basename(want) || '/', dir ? 'FILE_TYPE_DIRECTORY' : 'FILE_TYPE_FILE', want, dir ? 0 : 1 << 20)});
  }
  if (p === '/filesystem.Filesystem/ListDir') {
    const want = JSON.parse(req.body.toString() || '{}').path || '/';
    if (mode === 'listdir-bomb') return send(sock, 200, await listdirBomb(), {'Content-Encoding': 'gzip'});
    if (mode === 'bidi-name')
      return send(sock, 200, {entries: [entry('\u202e exe.txt', 'FILE_TYPE_FILE', want + '/\u202e exe.txt', 5), entry('exe.txt', 'FILE_TYPE_FILE', want + '/exe.txt', 5)]});
    return send(sock, 200, {entries: [entry('sub', 'FILE_TYPE_DIRECTORY', want + '/sub'),
      entry('a.bin', 'FILE_TYPE_FILE', want + '/sub/a.bin', 1 << 20), entry('b.bin', 'FILE_TYPE_FILE', want + '/b.bin', 1 << 20)]});
  }
  if (p === '/files' && req.method === 'GET') {
    if (mode === 'files-stall') {
      head(sock, 200, {'Content-Type': 'application/octet-stream', 'Content-Length': 100 << 20});
      sock.write(Buffer.alloc(1 << 20, 0x61));
      return 'keep'; // never another byte
    }
    if (mode === 'files-lie') {
      head(sock, 200, {'Content-Type': 'application/octet-stream', 'Content-Length': String(10 * 1024 ** 3)});
      const chunk = Buffer.alloc(1 << 20, 0x62);
      let sent = 0;
      const pump = () => {
        while (sent < 64 && sock.write(chunk)) sent++;
        if (sent < 64) sock.once('drain', pump);
      };
      pump();
      return 'keep';
    }
    if (mode === 'cp-dir-fail') return send(sock, 500, {code: 500, message: 'disk read error'});
    return send(sock, 200, Buffer.from('hello'), {'Content-Type': 'application/octet-stream'});
  }
  if (p === '/process.Process/Start' || p === '/process.Process/Connect') {
    stats.streams++;
    const k = conns++;
    head(sock, 200, {'Content-Type': 'application/connect+json', 'Transfer-Encoding': 'chunked'});
    const chunk = (b) => { if (b.length) sock.write(b.length.toString(16) + '\r\n' + b.toString('latin1') + '\r\n', 'latin1'); };
    if (mode === 'early-output') {
      chunk(ptyEvent('EARLY-OUTPUT\r\n'));
      chunk(startEvent(7));
      sock.end('0\r\n\r\n');
      return 'keep';
    }
    chunk(startEvent(7));
    // envd-like replay: every connection sends the whole output so far again
    chunk(ptyEvent('line-one\r\nline-two\r\n'));
    if (mode === 'stream-bad') {
      chunk(badEnding(k));
      sock.end('0\r\n\r\n');
      return 'keep';
    }
    return 'keep'; // a healthy stream stays open
  }
  if (p === '/filesystem.Filesystem/WatchDir') { // a healthy watch: start, then quiet
    head(sock, 200, {'Content-Type': 'application/connect+json', 'Transfer-Encoding': 'chunked'});
    const f = frame({start: {}});
    sock.write(f.length.toString(16) + '\r\n' + f.toString('latin1') + '\r\n', 'latin1');
    return 'keep';
  }
  if (p.startsWith('/process.Process/')) return send(sock, 200, {processes: []});
  return send(sock, 404, {code: 404, message: 'no route ' + req.method + ' ' + p});
}

// minimal request reader: request line, headers, Content-Length or chunked body
function serve(mode) {
  const server = net.createServer((sock) => {
    let acc = Buffer.alloc(0);
    let busy = false;
    sock.on('error', () => {});
    sock.on('data', (d) => {
      acc = Buffer.concat([acc, d]);
      pump();
    });
    async function pump() {
      while (!busy) {
        const end = acc.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = acc.slice(0, end).toString('latin1').split('\r\n');
        const [method, url] = lines[0].split(' ');
        const headers = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
        }
        let rest = acc.slice(end + 4), body;
        if (headers['transfer-encoding'] === 'chunked') {
          const parts = [];
          let off = 0;
          for (;;) {
            const nl = rest.indexOf('\r\n', off);
            if (nl < 0) return;
            const n = parseInt(rest.slice(off, nl).toString(), 16);
            if (rest.length < nl + 2 + n + 2) return;
            parts.push(rest.slice(nl + 2, nl + 2 + n));
            off = nl + 2 + n + 2;
            if (n === 0) break;
          }
          body = Buffer.concat(parts);
          rest = rest.slice(off);
        } else {
          const n = Number(headers['content-length'] || 0);
          if (rest.length < n) return;
          body = rest.slice(0, n);
          rest = rest.slice(n);
        }
        acc = rest;
        busy = true;
        const r = await route(mode, {method, url, headers, body}, sock);
        if (r === 'keep') return; // this connection now belongs to a stream or a stall
        busy = false;
      }
    }
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write('PORT ' + server.address().port + '\n'));
}

// ---- fuzz seeds: every generator, small ----------------------------------------------------

function seeds(dir) {
  clock = () => 1767225600000;
  const put = (target, name, data) => {
    fs.mkdirSync(path.join(dir, target), {recursive: true});
    fs.writeFileSync(path.join(dir, target, 'hostile-' + name), data);
  };
  put('json', 'list-bomb', '[' + '{},'.repeat(600) + '{}]');
  put('json', 'listdir-bomb', '{"entries":[' + '{},'.repeat(600) + '{}]}');
  put('sandbox_json', 'fat-page', listPage('000001', 3, 300));
  put('sandbox_json', 'list-bomb', '[' + '{},'.repeat(600) + '{}]');
  put('sandbox_json', 'bad-item', JSON.stringify([sandbox('a'), {sandboxID: 'broken', state: 42}, sandbox('b')]));
  put('sandbox_json', 'year-1', JSON.stringify([sandbox('odd1', {}, {startedAt: '0001-01-01T00:00:00Z', endAt: '0001-01-01T00:00:00Z'})]));
  put('logs_json', 'fat-fields', logEntries(40, 50, 2, 1767225600000));
  put('metrics_json', 'cpu-huge', JSON.stringify([{timestampUnix: 1767225600, timestamp: '2026-01-01T00:00:00Z', cpuCount: 2, cpuUsedPct: 1.8e308, memUsed: 1, memTotal: 2, memCache: 0, diskUsed: 1, diskTotal: 2}]));
  put('team_json', 'rate-inf', '[{"timestampUnix":1767225600,"timestamp":"2026-01-01T00:00:00Z","concurrentSandboxes":1,"sandboxStartRate":1e309}]');
  for (let k = 0; k < 4; k++)
    put('connect_frames', 'bad-ending-' + k, Buffer.concat([startEvent(7), ptyEvent('line-one\r\n'), badEnding(k)]));
  put('connect_frames', 'early-output', Buffer.concat([ptyEvent('EARLY\r\n'), startEvent(7), frame({}, END_STREAM)]));
  put('envd_events', 'early-output', JSON.stringify({event: {data: {pty: b64('EARLY')}}}));
  put('envd_events', 'listdir-bomb', '{"entries":[' + '{},'.repeat(600) + '{}]}');
  put('envd_events', 'bidi-name', JSON.stringify({entries: [entry('\u202e exe.txt', 'FILE_TYPE_FILE', '/d/\u202e exe.txt', 5)]}));
  put('sanitize', 'bidi-name', '\u202e exe.txt');
  // the chunked framing of the fake's streams (the daemon's decoder reads the same framing)
  const chunk = (b) => b.length.toString(16) + '\r\n' + b.toString('latin1') + '\r\n';
  put('chunked', 'stream-bad', Buffer.from(chunk(startEvent(7)) + chunk(badEnding(2)) + '0\r\n\r\n', 'latin1'));
}

const arg = process.argv[2];
if (arg === '--seeds') {
  seeds(process.argv[3]);
} else if (MODES.includes(arg)) {
  serve(arg);
} else {
  process.stderr.write('usage: fake_hostile.js MODE | --seeds DIR\nmodes: ' + MODES.join(' ') + '\n');
  process.exit(2);
}
