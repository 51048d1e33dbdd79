// fake_cloud_failing.js - a loopback stand-in for E2B cloud whose templates and webhooks calls
// fail (test_errors_detail.sh): the sandbox list works (empty), while /templates,
// /v2/templates and /events/webhooks answer as MODE says. MODE starts as the env's (default
// json) and changes with GET /mode/NAME:
//   json     500 with a JSON body whose "message" is hostile (an escape sequence) and which
//            echoes the request's X-API-Key in another field (a hostile server: the key must
//            never reach the screen)
//   garbage  200 with a body that is no JSON (and echoes the key too)
//   drop     the connection closes without an answer
// Prints "PORT n".
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
let mode = process.env.MODE || 'json';
serveLoopback((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  req.resume();
  req.on('end', () => {
    const key = req.headers['x-api-key'] || '';
    let m = p.match(/^\/mode\/(\w+)$/);
    if (m) {
      mode = m[1];
      return send(res, 200, {mode});
    }
    if (p === '/health') return send(res, 200, {});
    if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, []);
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    if (p === '/templates' || p === '/v2/templates' || p.startsWith('/events/webhooks')) {
      if (mode === 'drop') return req.socket.destroy();
      if (mode === 'garbage')
        return send(res, 200, Buffer.from('<<garbage \x1b]0;pwned\x07 from the proxy ' + key),
          'text/plain');
      return send(res, 500, {code: 500,
        message: 'store unavailable: shard 3 \x1b]0;pwned\x07is down',
        echo: key});
    }
    send(res, 404, {code: 404, message: 'not found'});
  });
});
