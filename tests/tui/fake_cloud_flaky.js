// fake_cloud_flaky.js - a loopback stand-in for E2B cloud that fails and then recovers, for
// the human error texts, `:messages` and the live retry countdown: the first FAIL_LISTS
// listings (default 1) of each API key answer 500 with a JSON body that has no "message" (as a proxy's or a
// crashed handler's would) and that echoes the request's X-API-Key (a hostile server: the key
// must never reach the screen); then one running sandbox in cloud list shapes. A create
// answers 500 with a message longer than an 80-column status line. Prints "PORT n".
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();
const box = {templateID: 'rki5dems9wqfm4r03t7g', alias: 'base', clientID: '6532622b',
  envdVersion: '0.2.0', state: 'running', startedAt: iso(now - 600000),
  endAt: iso(now + 3600000), cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: {},
  sandboxID: 'iflaky1'};
const fails = {}; // per X-API-Key: each boxtop run of a test (its own key) fails anew
serveLoopback((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  req.resume();
  req.on('end', () => {
    if (p === '/health') return send(res, 200, {});
    if (p === '/v2/sandboxes' || p === '/sandboxes') {
      if (req.method === 'POST')
        return send(res, 500, {code: 500, message: 'failed to place the sandbox: no ' +
          'orchestrator node has room for 2 vCPU and 512 MiB in this region right now, ' +
          'try another region or a smaller template'});
      const key = req.headers['x-api-key'] || '';
      if (!(key in fails)) fails[key] = Number(process.env.FAIL_LISTS || 1);
      if (fails[key] > 0) {
        fails[key]--;
        return send(res, 500, {code: 500, error_id: '8c1f2e', trace: 'db shard 7 down',
          echo: req.headers['x-api-key'] || ''});
      }
      return send(res, 200, [box]);
    }
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    send(res, 404, {code: 404, message: 'not found'});
  });
});
