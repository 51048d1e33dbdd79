// fake_webhooks.js - loopback helper of test_tui_webhooks.sh, two jobs on one port:
//  - a webhook receiver: POST /hook/NAME checks e2b-signature against the secret of NAME
//    (sha256(secret || raw body), unpadded base64) and appends "NAME TYPE sig=ok|BAD" to LOG;
//    POST /hang never answers;
//  - a stand-in for E2B cloud's platform API (X-API-Key required): /events/webhooks in the
//    cloud's shapes (secret write-only), no delivery-history route (404, as the cloud), and an
//    empty sandbox list so boxtop's sandboxes view has something to poll.
//   node fake_webhooks.js PORTFILE LOG SECRETS_JSON    (writes the port to PORTFILE)
'use strict';
const http = require('http');
const fs = require('fs');
const crypto = require('crypto');

const [portFile, logFile, secretsJson] = process.argv.slice(2);
const secrets = JSON.parse(secretsJson);
const hooks = [
  {id: 'c0ffee00-0000-4000-8000-000000000001', teamID: 'team-cloud', name: 'cloud-hook',
   url: 'https://hooks.example.com/e2b', enabled: true,
   events: ['sandbox.lifecycle.created', 'sandbox.lifecycle.killed'],
   createdAt: '2026-11-30T10:00:00Z'},
];
let n = 1;

function send(res, code, body) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data)});
  res.end(data);
}

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const p = new URL(req.url, 'http://x').pathname;
    if (p === '/hang') return; // a receiver that never answers
    let m = p.match(/^\/hook\/([\w-]+)$/);
    if (m && req.method === 'POST') {
      const want = crypto.createHash('sha256').update(Buffer.concat([Buffer.from(secrets[m[1]] || ''), raw]))
        .digest('base64').replace(/=+$/, '');
      const got = String(req.headers['e2b-signature'] || '');
      let type = '?';
      try { type = JSON.parse(raw.toString()).type; } catch { /* keep ? */ }
      try {
        fs.appendFileSync(logFile, `${m[1]} ${type} sig=${got === want ? 'ok' : 'BAD'}\n`);
      } catch { /* the test is tearing down */ }
      return send(res, 200, {});
    }
    if (!req.headers['x-api-key']) return send(res, 401, {code: 401, message: 'missing key'});
    if (p === '/v2/sandboxes' || p === '/sandboxes' || p === '/sandboxes/metrics') return send(res, 200, []);
    if (p === '/events/webhooks' && req.method === 'GET') return send(res, 200, hooks);
    if (p === '/events/webhooks' && req.method === 'POST') {
      const b = JSON.parse(raw.toString() || '{}');
      if (!b.signatureSecret) return send(res, 400, {code: 400, message: 'signatureSecret required'});
      const w = {id: `c0ffee00-0000-4000-8000-00000000000${++n}`, teamID: 'team-cloud', name: b.name,
        url: b.url, enabled: b.enabled !== false, events: b.events, createdAt: new Date().toISOString()};
      hooks.push(w);
      return send(res, 201, w);
    }
    m = p.match(/^\/events\/webhooks\/([\w-]+)$/);
    const w = m && hooks.find((h) => h.id === m[1]);
    if (w && req.method === 'PATCH') {
      const b = JSON.parse(raw.toString() || '{}');
      for (const k of ['name', 'url', 'enabled', 'events']) if (k in b) w[k] = b[k];
      return send(res, 200, w);
    }
    if (w && req.method === 'DELETE') {
      hooks.splice(hooks.indexOf(w), 1);
      return send(res, 200, {});
    }
    return send(res, 404, {code: 404, message: 'Not found'});
  });
}).listen(0, '127.0.0.1', function () {
  fs.writeFileSync(portFile, String(this.address().port));
});
