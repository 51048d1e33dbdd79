// bench/files - upload and download of a 1 GiB file through boxtopd's /files (curl, streamed,
// octet-stream), throughput as a ratio to a local `cp` of the same file in the same run, and
// boxtopd's peak RSS (VmHWM). Size: BENCH_FILE_MIB (default 1024). cp, upload and download
// run interleaved BENCH_FILE_RUNS times (default 3) and the best of each counts: on the shared
// 2-core machine one run's ratio swung between 1.6x and 3.9x with the load. Also printed: the
// CPU time boxtopd and curl spent on the best download (where the time goes).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, loadSdk, startBoxtopd } from './lib.mjs';

const MIB = +(process.env.BENCH_FILE_MIB || 1024);
const RUNS = Math.max(1, +(process.env.BENCH_FILE_RUNS || 3));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-bench-files-'));
const src = path.join(work, 'src.bin');
const copy = path.join(work, 'copy.bin');
const back = path.join(work, 'back.bin');

// The file: random 64 MiB blocks (incompressible, cheap to make).
{
  const fd = fs.openSync(src, 'w');
  const block = Buffer.alloc(64 << 20);
  for (let i = 0; i < MIB / 64; i++) {
    for (let o = 0; o < block.length; o += 1 << 16) block.set(cryptoBlock(), o);
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
}
function cryptoBlock() {
  return globalThis.crypto.getRandomValues(new Uint8Array(1 << 16));
}
const bytes = fs.statSync(src).size;
const sha = (f) => execFileSync('sha256sum', [f], { encoding: 'utf8' }).split(' ')[0];
const want = sha(src);
const secs = (f) => {
  const t0 = performance.now();
  f();
  return (performance.now() - t0) / 1000;
};

const E = await loadSdk();
const d = await startBoxtopd({ name: 'bench-files' });
let out;
try {
  const sbx = await E.Sandbox.create('base', { timeoutMs: 600_000 });
  d.track(sbx);
  const hdr = ['-H', `E2b-Sandbox-Id: ${sbx.sandboxId}`, '-H', 'E2b-Sandbox-Port: 49983', '-H', `X-Access-Token: ${sbx.envdAccessToken}`, '-H', 'Expect:'];
  const errors = [];
  const curl = (args) => {
    const r = spawnSync('curl', ['-sS', '--fail', ...args], { encoding: 'utf8' });
    if (r.status !== 0) errors.push(`curl ${r.status}: ${r.stderr.trim()}`);
  };
  const url = `${d.sandboxUrl}/files?path=/home/user/big.bin`;
  const rssStart = vm(d.pid, 'VmRSS');

  const hz = +execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const cpu = (pid) => { // utime + stime in seconds
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (+f[11] + +f[12]) / hz;
  };
  let tCp = Infinity, tUp = Infinity, tDown = Infinity, inside = '', dCpu = NaN, cCpu = NaN;
  for (let i = 0; i < RUNS; i++) {
    fs.rmSync(copy, { force: true });
    fs.rmSync(back, { force: true });
    tCp = Math.min(tCp, secs(() => execFileSync('cp', [src, copy])));
    tUp = Math.min(tUp, secs(() => curl([...hdr, '-o', '/dev/null', '-X', 'POST', '-H', 'Content-Type: application/octet-stream', '-T', src, url])));
    if (i === 0) inside = (await sbx.commands.run('sha256sum /home/user/big.bin')).stdout.split(' ')[0];
    const c0 = cpu(d.pid);
    let curlCpu = NaN;
    const t = secs(() => {
      const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'curl', '-sS', '--fail', ...hdr, '-H', 'Accept-Encoding: identity', '-o', back, url], { encoding: 'utf8' });
      if (r.status !== 0) errors.push(`curl ${r.status}: ${r.stderr.trim()}`);
      const m = r.stderr.trim().split('\n').pop().split(' ');
      curlCpu = +m[0] + +m[1];
    });
    if (t < tDown) {
      tDown = t;
      dCpu = cpu(d.pid) - c0;
      cCpu = curlCpu;
    }
  }
  const okUp = inside === want;
  const okDown = fs.existsSync(back) && sha(back) === want;
  const gotDown = fs.existsSync(back) ? fs.statSync(back).size : 0;
  const hwm = vm(d.pid, 'VmHWM');
  const mbps = (t) => bytes / (1 << 20) / t;
  out = [
    `bench/files: ${fmt(bytes / (1 << 20), 0)} MiB through boxtopd /files (curl, octet-stream, no gzip)`,
    `  local cp:   ${fmt(tCp, 2)} s  ${fmt(mbps(tCp), 0)} MiB/s`,
    `  upload:     ${fmt(tUp, 2)} s  ${fmt(mbps(tUp), 0)} MiB/s  ratio to cp ${fmt(tUp / tCp, 2)}x the time  (sha256 ${okUp ? 'ok' : 'MISMATCH'})`,
    `  download:   ${fmt(tDown, 2)} s  ${fmt(mbps(tDown), 0)} MiB/s  ratio to cp ${fmt(tDown / tCp, 2)}x the time  (sha256 ${okDown ? 'ok' : 'MISMATCH'})`,
    `  download CPU: boxtopd ${fmt(dCpu, 2)} s, curl ${fmt(cCpu, 2)} s (best of ${RUNS} runs each)`,
    `  boxtopd RSS: ${fmt(rssStart / 1024, 1)} MiB at start, peak (VmHWM) ${fmt(hwm / 1024, 1)} MiB`,
    ...(okDown ? [] : [`  download got ${gotDown} of ${bytes} bytes`]),
    ...errors.map((e) => `  error: ${e}`),
  ];
  process.exitCode = okUp && okDown ? 0 : 1;
} finally {
  const problems = await d.teardown();
  if (problems.length) console.error(`# teardown: ${problems.join('; ')}`);
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(out.join('\n'));

function vm(pid, key) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${key}:\\s+(\\d+)`));
  return m ? +m[1] : NaN;
}
