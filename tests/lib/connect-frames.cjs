// connect-frames.cjs - Connect streaming envelopes (JSON codec) as envd sends and takes them:
// one flags byte (2: end of stream), a big-endian 32-bit length, the JSON message. Shared by
// the loopback fakes of E2B cloud (tests/tui, tests/hostile) and the integration tests, so
// that every hand-built frame is built, and read, the same way.
'use strict';

const END_STREAM = 2;

// One envelope. msg is JSON-encoded unless it is a string (a fake's deliberately broken
// JSON goes out as it is); len, when given, is written instead of the true length.
function frame(msg, flags = 0, len) {
  const body = Buffer.from(typeof msg === 'string' ? msg : JSON.stringify(msg));
  const head = Buffer.alloc(5);
  head[0] = flags;
  head.writeUInt32BE(len === undefined ? body.length : len, 1);
  return Buffer.concat([head, body]);
}

// Process.Start/Connect stream events: the start with the pid, and output on one stream
// (stdout, stderr or pty) carried base64 as envd does.
const startEvent = (pid) => frame({event: {start: {pid}}});
const dataEvent = (stream, bytes) =>
  frame({event: {data: {[stream]: Buffer.from(bytes).toString('base64')}}});

// The complete envelopes at the front of buf, each as {flags, json} (an empty body is {});
// a trailing partial envelope is left out.
function readFrames(buf) {
  const out = [];
  let b = buf;
  while (b.length >= 5) {
    const len = b.readUInt32BE(1);
    if (b.length < 5 + len) break;
    out.push({flags: b[0], json: JSON.parse(b.subarray(5, 5 + len).toString() || '{}')});
    b = b.subarray(5 + len);
  }
  return out;
}

module.exports = {END_STREAM, frame, startEvent, dataEvent, readFrames};
