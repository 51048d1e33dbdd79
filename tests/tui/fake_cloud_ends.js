// fake_cloud_ends.js - a loopback stand-in for E2B cloud for issue 17's ended rows: four
// running sandboxes in cloud list shapes that leave the list after two listings, with
// lifecycle events as the cloud's events API sends them (v2, uuid ids, eventData with
// execution and kill_reason, a killed event that arrives only on the second ask, like the
// asynchronous delivery does) and v2 log lines. ittl: kill_reason timeout; ireq: request,
// the killed event late; iadmin: admin; inone: no events at all (the cause stays unknown).
// ittl's alias and a log line are hostile (escape sequences). Prints "PORT n" once listening.
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();
const base = {templateID: 'rki5dems9wqfm4r03t7g', alias: 'base', clientID: '6532622b',
  envdVersion: '0.2.0', state: 'running', startedAt: iso(now - 600000),
  endAt: iso(now + 3600000), cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: {}};
const boxes = ['ittl', 'ireq', 'iadmin', 'inone'].map((id) => ({...base, sandboxID: id}));
boxes[0].alias = 'evil\u001b]0;pwned\u0007\u001b[2Jalias';
let lists = 0;
const asked = {};
function killed(id, reason) {
  return {version: 'v2', id: `9f1c2b7e-0000-4000-8000-${id.padStart(12, '0')}`,
    type: 'sandbox.lifecycle.killed', timestamp: iso(now + 1000),
    eventData: {sandbox_metadata: {}, kill_reason: reason,
      execution: {started_at: iso(now - 600000), vcpu_count: 2, memory_mb: 512, execution_time: 601000}},
    sandboxId: id, sandboxExecutionId: '0c5e9a52-1111-4111-8111-111111111111',
    sandboxTemplateId: base.templateID, sandboxBuildId: 'b1', sandboxTeamId: 't1'};
}
function created(id) {
  return {version: 'v2', id: `1a2b3c4d-0000-4000-8000-${id.padStart(12, '0')}`,
    type: 'sandbox.lifecycle.created', timestamp: iso(now - 600000), eventData: {},
    sandboxId: id, sandboxExecutionId: '0c5e9a52-1111-4111-8111-111111111111',
    sandboxTemplateId: base.templateID, sandboxBuildId: 'b1', sandboxTeamId: 't1'};
}
serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  req.resume();
  req.on('end', () => {
    if (p === '/health') return send(res, 200, {});
    // all four run: a listing of the paused ones (boxtop's rounds after the first) is empty
    if (p === '/v2/sandboxes' && u.searchParams.get('state') === 'paused') return send(res, 200, []);
    if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, ++lists <= 2 ? boxes : []);
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    let m = p.match(/^\/events\/sandboxes\/([a-z]+)$/);
    if (m) {
      const id = m[1];
      asked[id] = (asked[id] || 0) + 1;
      const ev = [created(id)];
      if (id === 'ittl') ev.unshift(killed(id, 'timeout'));
      if (id === 'ireq' && asked[id] > 1) ev.unshift(killed(id, 'request'));
      if (id === 'iadmin') ev.unshift(killed(id, 'admin'));
      return send(res, 200, ev);
    }
    m = p.match(/^\/v2\/sandboxes\/([a-z]+)\/logs$/);
    if (m) return send(res, 200, {logs: [
      {timestamp: iso(now - 2000), level: 'warn', message: 'hostile \u001b]0;pwned\u0007\u001b[31mline', fields: {}},
      {timestamp: iso(now - 1000), level: 'info', message: `last words of ${m[1]}`, fields: {}}]});
    m = p.match(/^\/sandboxes\/([a-z]+)\/logs$/);
    if (m) return send(res, 200, {logs: [], logEntries: []});
    send(res, 404, {code: 404, message: 'not found'});
  });
});
