// fake_cloud_changes.js - a loopback stand-in for E2B cloud and its envd for the golden
// screens of issue 17's changed-files view: one sandbox (fixed times, for golden.sh's fixed
// clock), Process.Start answering the find walk with fixed NUL-terminated records (one name
// with escape sequences and a newline: hostile), and /files serving a text file for the pager.
// A second sandbox, islow, walks a huge tree: a record every 100 ms until boxtop stops it
// (the SendSignal it gets is printed as "SIGNAL pid signal").
// Prints "PORT n" once listening.
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
const {END_STREAM, frame, startEvent, dataEvent} = require('../lib/connect-frames.cjs');
const box = {sandboxID: 'ichg', templateID: 'rki5dems9wqfm4r03t7g', alias: 'base', clientID: 'c',
  envdVersion: '0.2.0', state: 'running', startedAt: '2025-11-25T11:50:00Z',
  endAt: '2025-11-25T13:00:00Z', cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: {}};
const slow = {...box, sandboxID: 'islow'};
const t0 = Date.parse('2025-11-25T11:50:00Z') / 1000;
const rec = (dt, size, owner, mode, p) => `${t0 + dt}.25\t${size}\t${owner}\t${mode}\t${p}\0`;
const find = rec(30, 19, 'user', '644', '/home/user/notes.txt') +
  rec(95, 307200, 'user', '644', '/home/user/model.bin') +
  rec(200, 8, 'user', '755', '/home/user/out/result.csv') +
  rec(410, 3612, 'user', '644', '/home/user/.bashrc') +
  rec(500, 12, 'root', '600', '/etc/agent.conf') +
  rec(530, 5, 'user', '644', '/home/user/evil\u001b]0;pwned\u0007\u001b[2J\nname.txt') +
  'garbage without a tab\0';
serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  const body = [];
  req.on('data', (c) => body.push(c));
  req.on('end', () => {
    if (p === '/health') return send(res, 200, {});
    if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, [box]);
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    if (p === '/sandboxes/ichg' || p.endsWith('/sandboxes/ichg/connect')) return send(res, 200, box);
    if (p === '/sandboxes/islow' || p.endsWith('/sandboxes/islow/connect')) return send(res, 200, slow);
    if (p === '/process.Process/Start' && req.headers['e2b-sandbox-id'] === 'islow') {
      res.writeHead(200, {'Content-Type': 'application/connect+json'});
      res.write(startEvent(77));
      let n = 0;
      const t = setInterval(() => {
        n++;
        const r = rec(n, n, 'user', '644', `/data/f${String(n).padStart(5, '0')}`);
        res.write(dataEvent('stdout', r));
      }, 100);
      res.on('close', () => clearInterval(t));
      return;
    }
    if (p === '/process.Process/SendSignal') {
      try { const j = JSON.parse(Buffer.concat(body).toString()); console.log(`SIGNAL ${j.process.pid} ${j.signal}`); } catch (e) {}
      return send(res, 200, {});
    }
    if (p === '/process.Process/Start') {
      res.writeHead(200, {'Content-Type': 'application/connect+json'});
      res.write(startEvent(9));
      // the records in two pieces, cut inside one
      const b = Buffer.from(find);
      res.write(dataEvent('stdout', b.subarray(0, 50)));
      res.write(dataEvent('stdout', b.subarray(50)));
      res.write(frame({event: {end: {exited: true, status: 'exit status 0'}}}));
      res.end(frame({}, END_STREAM));
      return;
    }
    if (p === '/files') return send(res, 200, Buffer.from('the agent was here\n'), 'application/octet-stream');
    if (p.startsWith('/process.Process/')) return send(res, 200, {});
    send(res, 404, {code: 404, message: 'not found'});
  });
});
