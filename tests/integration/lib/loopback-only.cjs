// loopback-only.cjs - preloaded (node --require) into every integration test and every CLI
// run: any TCP connection or DNS lookup to something other than loopback throws, so a
// misconfigured SDK (E2B_DOMAIN leaking, a missing E2B_SANDBOX_URL, the CLI's update check)
// fails loudly instead of reaching the network.
'use strict';
const net = require('node:net');
const dns = require('node:dns');

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

function refuse(host) {
  const e = new Error(`integration tests must stay on loopback: refused connection to ${host}`);
  e.code = 'EBOXTOP_NONLOOPBACK';
  return e;
}

const origConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(...args) {
  let opts = args[0];
  if (Array.isArray(opts)) opts = opts[0]; // internal normalized form
  let host;
  if (opts && typeof opts === 'object') {
    if (opts.path) return origConnect.apply(this, args); // unix socket
    host = opts.host;
  } else if (typeof opts === 'number' || typeof opts === 'string') {
    if (typeof opts === 'string' && !/^\d+$/.test(opts)) return origConnect.apply(this, args); // path
    host = typeof args[1] === 'string' ? args[1] : undefined;
  }
  if (host !== undefined && host !== null && host !== '' && !LOOPBACK.has(host)) {
    throw refuse(host);
  }
  return origConnect.apply(this, args);
};

const origLookup = dns.lookup;
dns.lookup = function patchedLookup(hostname, ...rest) {
  if (!LOOPBACK.has(hostname)) {
    const cb = rest[rest.length - 1];
    const err = refuse(hostname);
    if (typeof cb === 'function') {
      process.nextTick(cb, err);
      return {};
    }
    throw err;
  }
  return origLookup.call(this, hostname, ...rest);
};
const promises = dns.promises;
if (promises) {
  const origP = promises.lookup;
  promises.lookup = async function patchedPLookup(hostname, ...rest) {
    if (!LOOPBACK.has(hostname)) throw refuse(hostname);
    return origP.call(this, hostname, ...rest);
  };
}
