// bench/term - issue 7's terminal benchmark, all against one sandbox of one private boxtopd:
// (a) wall time of `seq 1 2000000` until its last line is on screen, in boxtop's terminal, in
//     the official `e2b sandbox connect` and in a plain local shell in tmux (the limit);
// (b) keystroke-to-echo latency p50/p99 in boxtop and in the CLI (and the local shell).
// Each client runs in its own tmux server (120x40). Screens are read with capture-pane; the
// echo latency is timed on a tmux control-mode client: from the send-keys command to the
// %output notification carrying the typed character.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, summary, sleep } from './lib.mjs';

const src = process.env.abs_top_srcdir || path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const build = process.env.abs_top_builddir || src;
const N_SEQ = +(process.env.BENCH_SEQ || 2000000);
const N_KEYS = +(process.env.BENCH_KEYS || 200);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-term-'));
const state = path.join(tmp, 'bxd');
fs.mkdirSync(state);
const boxtopd = path.join(build, 'src/boxtopd');
const boxtop = path.join(build, 'src/boxtop');
const tui = path.join(build, 'src/tui/boxtop-tui');
const cli = path.join(build, 'tests/node_modules/.bin/e2b');

const daemon = spawn(boxtopd, ['--foreground', '--state-dir', state, '--api-listen', '127.0.0.1:0', '--envd-listen', '127.0.0.1:0'], { stdio: 'ignore' });
const socks = [];
let sbx = '';
async function cleanup() {
  for (const s of socks) spawnSync('tmux', ['-L', s, 'kill-server']);
  if (sbx) spawnSync(boxtop, ['kill', sbx], { env });
  daemon.kill('SIGTERM');
  await sleep(300);
  fs.rmSync(tmp, { recursive: true, force: true });
}
let env = { ...process.env };

function tm(sock, ...args) {
  return execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}
const screen = (sock) => tm(sock, 'capture-pane', '-t', 't', '-p');

async function waitScreen(sock, re, ms = 20000, step = 10) {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (re.test(screen(sock))) return performance.now();
    await sleep(step);
  }
  throw new Error(`timeout waiting for ${re} in ${sock}:\n${screen(sock)}`);
}

async function client(name, cmd, ready) {
  const sock = `bxbench-${process.pid}-${name}`;
  socks.push(sock);
  const script = path.join(tmp, `${name}.sh`);
  fs.writeFileSync(script, `export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_UPDATE_NOTIFIER=1\n${cmd}\nsleep 600\n`);
  tm(sock, 'new-session', '-d', '-s', 't', '-x', '120', '-y', '40', `sh ${script}`);
  await ready(sock);
  return sock;
}

const type = (sock, text) => tm(sock, 'send-keys', '-t', 't', '-l', text);
const enter = (sock) => tm(sock, 'send-keys', '-t', 't', 'Enter');

async function prompt(sock) {
  await waitScreen(sock, /[$#] *$/m, 30000, 50);
  type(sock, 'PS1="bx$ "; clear');
  enter(sock);
  await waitScreen(sock, /^bx\$ *$/m, 10000);
}

async function throughput(sock) {
  type(sock, 'clear');
  enter(sock);
  await waitScreen(sock, /^bx\$ *$/m);
  await sleep(300);
  type(sock, `seq 1 ${N_SEQ}`);
  const t0 = performance.now();
  enter(sock);
  const re = new RegExp(`^${N_SEQ} *\\n(.*\\n)?bx\\$`, 'm');
  const t1 = await waitScreen(sock, re, 600000, 10);
  return (t1 - t0) / 1000;
}

// Control-mode client: time from send-keys to the first %output containing the character.
async function latency(sock) {
  type(sock, 'clear');
  enter(sock);
  await waitScreen(sock, /^bx\$ *$/m);
  const cc = spawn('tmux', ['-L', sock, '-C', 'attach', '-t', 't'], { stdio: ['pipe', 'pipe', 'ignore'] });
  let buf = '', waiting = null;
  cc.stdout.on('data', (d) => {
    buf += d.toString('latin1');
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (waiting && line.startsWith('%output ') && line.includes(waiting.ch)) {
        const w = waiting;
        waiting = null;
        w.resolve(performance.now());
      }
    }
  });
  await sleep(500);
  const out = [];
  const letters = 'qwzjxkvyqwzjxkvy';
  for (let k = 0; k < N_KEYS; k++) {
    const ch = letters[k % letters.length];
    const p = new Promise((resolve) => (waiting = { ch, resolve }));
    const t0 = performance.now();
    cc.stdin.write(`send-keys -t t -l ${ch}\n`);
    const t1 = await Promise.race([p, sleep(2000).then(() => NaN)]);
    waiting = null;
    out.push(t1 - t0);
    await sleep(20);
    if (k % letters.length === letters.length - 1) {
      cc.stdin.write('send-keys -t t C-u\n');
      await sleep(100);
    }
  }
  cc.stdin.write('send-keys -t t C-u\n');
  cc.stdin.end();
  cc.kill();
  return summary(out.filter(Number.isFinite));
}

try {
  await (async () => {
    for (let n = 0; n < 200 && !fs.existsSync(path.join(state, 'boxtopd.json')); n++) await sleep(50);
    const pe = execFileSync(boxtopd, ['--print-env', '--state-dir', state], { encoding: 'utf8' });
    for (const m of pe.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2].replace(/^'(.*)'$/, '$1');
    Object.assign(process.env, env);
    sbx = execFileSync(boxtop, ['create', '--timeout', '900'], { encoding: 'utf8', env }).trim();
    const q = (s) => `'${s.replace(/'/g, "'\\''")}'`;
    const exp = ['E2B_API_URL', 'E2B_SANDBOX_URL', 'E2B_API_KEY'].map((k) => `export ${k}=${q(env[k])}`).join('\n');
    const results = {};
    const clients = [
      ['boxtop', `${exp}\nexport BOXTOP_STATE_DIR=${q(state)}\n${tui} --api-url "$E2B_API_URL" --sandbox-url "$E2B_SANDBOX_URL"`,
        async (s) => { await waitScreen(s, / running /, 20000, 50); type(s, `:shell ${sbx}`); enter(s); await prompt(s); }],
      ['cli', `${exp}\n${cli} sandbox connect ${sbx}`, prompt],
      ['local', `cd ${q(tmp)}; env -i HOME=${q(tmp)} PATH=/usr/bin:/bin TERM=xterm-256color /bin/bash --norc -i`, prompt],
    ];
    for (const [name, cmd, ready] of clients) {
      if (name === 'cli' && !fs.existsSync(cli)) { console.log('# no e2b CLI (cd tests && npm ci)'); continue; }
      const sock = await client(name, cmd, ready);
      const lat = await latency(sock);
      const secs = await throughput(sock);
      results[name] = { secs, lat };
      console.log(`${name.padEnd(7)} seq 1 ${N_SEQ}: ${fmt(secs, 2)} s   echo p50 ${fmt(lat.p50, 2)} ms  p99 ${fmt(lat.p99, 2)} ms  (n=${lat.n})`);
      spawnSync('tmux', ['-L', sock, 'kill-server']);
    }
    const r = results;
    if (r.boxtop && r.cli) console.log(`throughput boxtop/cli: ${fmt(r.cli.secs / r.boxtop.secs, 2)}x faster (target >= 3x)`);
    if (r.boxtop && r.local) console.log(`boxtop time / local shell time: ${fmt(r.boxtop.secs / r.local.secs, 2)} (target <= 2)`);
    if (r.boxtop) console.log(`boxtop echo p99 ${fmt(r.boxtop.lat.p99, 2)} ms (target < 10 ms)`);
    if (r.boxtop && r.cli) console.log(`echo p50 cli/boxtop: ${fmt(r.cli.lat.p50 / r.boxtop.lat.p50, 2)}x`);
  })();
} catch (e) {
  console.error(`bench/term: ${e.stack || e}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
