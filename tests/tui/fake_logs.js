// fake_logs.js - a loopback stand-in for the E2B platform API serving one sandbox whose v2 logs
// are hostile: ESC/OSC sequences, a 1 MB line, invalid UTF-8, mixed levels; a new "tick N"
// line is added every 300 ms (for follow mode); FLOOD=N instead adds N lines in one millisecond
// after 2.5 s, then one more. Prints "PORT n" once listening.
//   node fake_logs.js
'use strict';
const {serveLoopback} = require('../lib/fake-http.cjs');
const t0 = Date.now() - 60000;
const logs = [];
function add(level, message, fields, at) {
  logs.push({ts: at || Date.now(), level, message, fields: fields || {}});
}
add('info', 'sandbox created', {}, t0);
add('debug', 'debug detail one', {}, t0 + 1000);
add('warn', 'disk almost full', {}, t0 + 2000);
add('error', 'first failure here', {code: '17'}, t0 + 3000);
add('info', 'title \u001b]0;PWNED\u0007 clear \u001b[2J\u001b[31mred\u001b[0m done', {}, t0 + 4000);
add('info', 'BIG' + 'x'.repeat(1024 * 1024) + 'END', {}, t0 + 5000);
add('info', 'INVALIDUTF8 @@@ tail', {}, t0 + 6000); // @@@ becomes raw bytes below
add('error', 'second failure here', {}, t0 + 7000);
let tick = 0;
if (process.env.FLOOD) {
  // a hostile flood: FLOOD distinct lines in one millisecond, then one line after it (a
  // follower must neither hold them all nor keep reading the same full page forever)
  setTimeout(() => {
    const at = Date.now();
    for (let i = 0; i < Number(process.env.FLOOD); i++) add('info', `flood ${i}`, {}, at);
    add('info', 'after the flood', {}, at + 1);
  }, 2500);
} else {
  setInterval(() => add('info', `tick ${++tick}`), 300);
}

function entry(e) {
  return {timestamp: new Date(e.ts).toISOString(), level: e.level, message: e.message, fields: e.fields};
}
function send(res, code, body) {
  let data = Buffer.from(body === undefined ? '' : JSON.stringify(body));
  // raw invalid UTF-8 inside a JSON string (C0 C1, lone continuation, truncated sequence)
  const i = data.indexOf('@@@');
  if (i >= 0) data = Buffer.concat([data.subarray(0, i), Buffer.from([0xc0, 0xc1, 0x80, 0xe2, 0x82]), data.subarray(i + 3)]);
  res.writeHead(code, {'Content-Type': 'application/json', 'Content-Length': data.length});
  res.end(data);
}
const now = new Date();
const box = {sandboxID: 'hostile1', templateID: 'base', alias: 'base', clientID: 'fake',
  envdVersion: '0.2.0', state: 'running', startedAt: new Date(t0).toISOString(),
  endAt: new Date(now.getTime() + 3600000).toISOString(), cpuCount: 1, memoryMB: 512,
  diskSizeMB: 1024, metadata: {}};
serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  if (p === '/health') return send(res, 200, {});
  if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, [box]);
  if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
  if (process.env.FLOOD && p === '/sandboxes/hostile1') return send(res, 200, box); // still running
  if (p === '/v2/sandboxes/hostile1/logs') {
    const cursor = Number(u.searchParams.get('cursor') || 0);
    const fwd = u.searchParams.get('direction') === 'forward';
    const limit = Number(u.searchParams.get('limit') || 1000);
    let v = logs.filter((e) => !cursor || (fwd ? e.ts >= cursor : e.ts <= cursor));
    v = fwd ? v.slice(0, limit) : v.slice().reverse().slice(0, limit);
    return send(res, 200, {logs: v.map(entry)});
  }
  return send(res, 404, {code: 404, message: 'not here'});
});
