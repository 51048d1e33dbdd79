// fake-http.cjs - what the loopback stand-ins for E2B cloud (tests/tui/fake_cloud_*.js) share:
// a whole answer in one write, and a server on a free loopback port that says which.
'use strict';
const http = require('http');

// A Buffer goes out as it is (with type), anything else as JSON.
function send(res, code, body, type) {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(code, {'Content-Type': type || 'application/json', 'Content-Length': data.length});
  res.end(data);
}

// Serves handler on 127.0.0.1 at a free port and prints "PORT n" once listening (the tests'
// fake_cloud_start waits for that line).
function serveLoopback(handler) {
  return http.createServer(handler).listen(0, '127.0.0.1', function () {
    console.log('PORT ' + this.address().port);
  });
}

module.exports = {send, serveLoopback};
