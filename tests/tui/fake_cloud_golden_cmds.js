// fake_cloud_golden_cmds.js - a loopback stand-in for E2B cloud and envd for the golden screens
// of the commands view, its output pane and the timeline (test_screen_commands.sh). Every
// answer is fixed and timed against golden.sh's fixed clock (2025-11-25 12:00:00 UTC), so the
// screens draw the same on every run:
//  - icmd: v1 process lines for five commands: ok, failed, killed, a very long command line,
//    a hostile one (escape sequences), and one still running, with their output lines as
//    boxtopd logs them (stdout and stderr, a hostile and a very long line; v2 ?pid= too); Process.List adds a
//    process the log does not show; Process.Connect streams one line and stays open; metrics,
//    events and warning/error log lines for the timeline.
//  - iquiet: a sandbox whose log has no process events and no processes: nothing ran yet.
//  - ibroken: its logs answer 500: the error state.
//  - ihang: its logs never answer, nor do /snapshots, /volumes and /events/webhooks: the
//    loading states (test_screen_loading.sh).
// Prints "PORT n" once listening.
'use strict';
const {send, serveLoopback} = require('../lib/fake-http.cjs');
const {startEvent, dataEvent} = require('../lib/connect-frames.cjs');

const T = (hms) => `2025-11-25T${hms}Z`;
const box = (id) => ({sandboxID: id, templateID: 'rki5dems9wqfm4r03t7g', alias: 'base',
  clientID: 'c', envdVersion: '0.2.0', state: 'running', startedAt: T('11:50:00'),
  endAt: T('13:00:00'), cpuCount: 2, memoryMB: 512, diskSizeMB: 1024, metadata: {}});
const boxes = {icmd: box('icmd'), iquiet: box('iquiet'), ibroken: box('ibroken'), ihang: box('ihang')};

const LONG = 'python -m training.run --config configs/experiments/2025-11-25/' +
  'large-model-with-a-very-long-config-name.yaml --epochs 100 --seed 42 --output /data/runs/42';
const EVIL = 'echo \u001b]0;pwned\u0007\u001b[2J\u001b[31mevil\u001b[0m done';
const line = (ts, o) => ({timestamp: T(ts), line: JSON.stringify(Object.assign({level: 'info',
  logger: 'process', sandboxID: 'icmd', service: 'envd'}, o))});
// the commands: pid, operation id, command, start, end (null: running), result, byte counts
const cmds = [
  [12, 1, 'pip install -r requirements.txt', '11:50:01.000', '11:50:31.500', {exited: true, status: 'exit status 0'}, 1048576, 0],
  [40, 2, 'pytest -x tests/', '11:51:00.000', '11:51:42.250', {exit_code: 1, exited: true, status: 'exit status 1'}, 2048, 512],
  [41, 3, LONG, '11:52:00.000', '11:55:00.000', {exited: false, status: 'signal: killed'}, 65536, 0],
  [55, 4, EVIL, '11:56:10.000', '11:56:10.100', {exited: true, status: 'exit status 0'}, 12, 0],
  [71, 5, 'python train.py --epochs 3', '11:58:00.000', null],
];
// output lines, as boxtopd logs them (process_output, in the v1 and the v2 logs)
const outputs = {
  12: [['11:50:30.000', 'stdout', 'Successfully installed numpy-2.1.3 torch-2.5.1']],
  40: [['11:51:01.000', 'stdout', '============================= test session starts =============================='],
    ['11:51:01.100', 'stdout', 'collected 12 items'],
    ['11:51:40.000', 'stdout', 'tests/test_model.py ........F'],
    ['11:51:41.000', 'stderr', 'E   AssertionError: expected loss < 0.1, got 0.4213 ' + 'x'.repeat(120) + ' END'],
    ['11:51:41.500', 'stderr', 'E   \u001b]0;pwned\u0007\u001b[2Jhostile line in red\u001b[31m'],
    ['11:51:42.000', 'stdout', '========================= 1 failed, 8 passed in 41.2s ========================']],
  41: [['11:52:01.000', 'stdout', 'epoch 1/100']],
  55: [['11:56:10.050', 'stdout', '\u001b[31mevil\u001b[0m done']],
  71: [['11:58:01.000', 'stdout', 'loading the dataset'], ['11:58:30.000', 'stdout', 'epoch 1/3 loss 0.91']],
};
const v1 = {logs: []};
for (const [pid, op, cmd, t0, t1, result, out, err] of cmds) {
  v1.logs.push(line(t0, {message: `Process with pid ${pid} started`, event_type: 'process_start',
    pid, operation_id: String(op), command: `/bin/bash -l -c ${cmd}`, request_timeout_ms: 0}));
  for (const [ts, stream, message] of outputs[pid] || [])
    v1.logs.push(line(ts, {message, event_type: 'process_output', pid, operation_id: String(op), stream}));
  if (t1) v1.logs.push(line(t1, {message: `Process with pid ${pid} ended`, event_type: 'process_end',
    pid, operation_id: String(op), process_result: result, stdout_bytes: out, stderr_bytes: err, pty_bytes: 0}));
}
const v2out = (pid) => (outputs[pid] || []).map(([ts, stream, message]) => ({timestamp: T(ts),
  level: 'info', message, fields: {logger: 'process', event_type: 'process_output', pid: String(pid), stream}}));
const sec = (hms) => Date.parse(T(hms)) / 1000;
const metrics = [];
for (let t = sec('11:50:00'); t <= sec('12:00:00'); t += 30)
  metrics.push({timestampUnix: t, timestamp: new Date(t * 1000).toISOString(), cpuCount: 2,
    cpuUsedPct: t >= sec('11:52:00') && t < sec('11:55:00') ? 95 : 12, memUsed: (t >= sec('11:58:00') ? 400 : 120) * 1048576,
    memTotal: 536870912, memCache: 0, diskUsed: 104857600, diskTotal: 1073741824});
const events = [
  {id: 'e2', type: 'sandbox.lifecycle.updated', sandboxId: 'icmd', sandboxTemplateId: 'rki5dems9wqfm4r03t7g', timestamp: T('11:57:00'), eventData: null},
  {id: 'e1', type: 'sandbox.lifecycle.created', sandboxId: 'icmd', sandboxTemplateId: 'rki5dems9wqfm4r03t7g', timestamp: T('11:50:00'), eventData: null}];
const marks = {logs: [
  {timestamp: T('11:54:00'), level: 'warn', message: 'memory above 80 %', fields: {}},
  {timestamp: T('11:55:00'), level: 'error', message: 'OOM killer: killed process 41', fields: {}}]};

serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  const sbx = req.headers['e2b-sandbox-id'];
  req.on('data', () => {});
  req.on('end', () => {
    let m;
    if (p === '/health') return send(res, 200, {});
    if (p === '/v2/sandboxes' || p === '/sandboxes') return send(res, 200, Object.values(boxes));
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    if ((m = p.match(/^(?:\/v2)?\/sandboxes\/(\w+)(?:\/connect)?$/)) && boxes[m[1]]) return send(res, 200, boxes[m[1]]);
    if (p === '/sandboxes/ihang/logs' || p === '/v2/sandboxes/ihang/logs' || p === '/snapshots' ||
        p === '/volumes' || p === '/events/webhooks')
      return; // never answered: the views stay loading
    if (p === '/sandboxes/ibroken/logs' || p === '/v2/sandboxes/ibroken/logs')
      return send(res, 500, {code: 500, message: 'logs backend unavailable'});
    if (p === '/sandboxes/icmd/logs') return send(res, 200, v1);
    if (p === '/v2/sandboxes/icmd/logs' && u.searchParams.get('pid'))
      return send(res, 200, {logs: v2out(u.searchParams.get('pid'))});
    if (p === '/v2/sandboxes/icmd/logs') return send(res, 200, marks);
    if ((m = p.match(/^(?:\/v2)?\/sandboxes\/(\w+)\/logs$/))) return send(res, 200, {logs: [], logEntries: []});
    if (p === '/sandboxes/icmd/metrics') return send(res, 200, metrics);
    if (p.match(/^\/sandboxes\/\w+\/metrics$/)) return send(res, 200, []);
    if (p === '/events/sandboxes/icmd') return send(res, 200, events);
    if (p.startsWith('/events/sandboxes')) return send(res, 200, []);
    if (p === '/process.Process/List')
      return send(res, 200, sbx === 'icmd' ? {processes: [
        {pid: 71, config: {cmd: '/bin/bash', args: ['-l', '-c', 'python train.py --epochs 3'], cwd: '/home/user'}},
        {pid: 500, config: {cmd: '/usr/bin/top', args: ['-b'], cwd: '/'}}]} : {});
    if (p === '/process.Process/Connect') {
      res.writeHead(200, {'Content-Type': 'application/connect+json'});
      res.write(startEvent(71));
      res.write(dataEvent('stdout', 'epoch 2/3 loss 0.55\n'));
      return; // stays open: the command is still running
    }
    send(res, 404, {code: 404, message: 'not found'});
  });
});
