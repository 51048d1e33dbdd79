// fake_cloud_cmds.js - a loopback stand-in for E2B cloud for the commands view: one running
// sandbox whose v1 logs are cloud-format process lines (tests/fuzz/corpus/commands_json/
// cloud-v1.json: no process_output, exit codes only in v1 lines, out of order, a reused pid,
// an end without a start), a v2 ?pid= filter that answers 501 like clusters without it, and
// envd (E2B_SANDBOX_URL): Process.List shows one process the log does not, Process.Connect on
// pid 71 streams "epoch N" every 300 ms. Prints "PORT n" once listening.
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
const {startEvent, dataEvent} = require('../lib/connect-frames.cjs');
const fs = require('fs');
const path = require('path');
const v1 = fs.readFileSync(path.join(__dirname, '../fuzz/corpus/commands_json/cloud-v1.json'));
const now = Date.now();
const box = {sandboxID: 'icloud', templateID: 'base', alias: 'base', clientID: 'fake',
  envdVersion: '0.6.13', state: 'running', startedAt: '2026-11-22T10:00:00Z',
  endAt: new Date(now + 3600000).toISOString(), cpuCount: 2, memoryMB: 512, diskSizeMB: 1024,
  metadata: {}};
// a second sandbox whose envd logs no process events: Process.List shows "make build" twice,
// then it is gone
const nolog = {...box, sandboxID: 'inolog'};
let nologLists = 0;
serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  let body = [];
  req.on('data', (c) => body.push(c));
  req.on('end', () => {
    if (p === '/health') return send(res, 200, {});
    if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, [box, nolog]);
    if (p === '/sandboxes/inolog' || p.endsWith('/sandboxes/inolog/connect')) return send(res, 200, nolog);
    if (p === '/sandboxes/inolog/logs') return send(res, 200, {logs: [], logEntries: []});
    if (p === '/process.Process/List' && req.headers['e2b-sandbox-id'] === 'inolog')
      return send(res, 200, ++nologLists <= 2 ? {processes: [
        {pid: 300, config: {cmd: '/bin/bash', args: ['-l', '-c', 'make build'], cwd: '/home/user'}}]} : {});
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    if (p === '/sandboxes/icloud') return send(res, 200, box);
    if (p === '/v2/sandboxes/icloud/connect' || p === '/sandboxes/icloud/connect') return send(res, 200, box);
    if (p === '/sandboxes/icloud/logs') return send(res, 200, v1);
    if (p === '/v2/sandboxes/icloud/logs' && u.searchParams.get('pid'))
      return send(res, 501, {code: 501, message: 'Filtering sandbox logs by pid is not supported by this cluster yet'});
    if (p === '/v2/sandboxes/icloud/logs') return send(res, 200, {logs: []});
    if (p === '/process.Process/List')
      return send(res, 200, {processes: [
        {pid: 71, config: {cmd: '/bin/bash', args: ['-l', '-c', 'python train.py --epochs 3'], cwd: '/home/user'}},
        {pid: 500, config: {cmd: '/usr/bin/top', args: ['-b'], cwd: '/'}}]});
    if (p === '/process.Process/Connect') {
      res.writeHead(200, {'Content-Type': 'application/connect+json'});
      res.write(startEvent(71));
      let n = 0;
      const t = setInterval(() => {
        n++;
        res.write(dataEvent('stdout', `epoch ${n}\n`));
      }, 300);
      res.on('close', () => clearInterval(t));
      return;
    }
    send(res, 404, {code: 404, message: 'not found'});
  });
});
