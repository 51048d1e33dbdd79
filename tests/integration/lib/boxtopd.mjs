// boxtopd.mjs - the integration-test harness: start a private boxtopd, hand its URLs and key to
// the official SDK/CLI, and tear it down leaving nothing behind.
//
//   const d = await startBoxtopd({ name: 'sdk-sandbox' });
//   process.env now points the SDK at d (E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY);
//   d.env is the same for child processes (the CLI);
//   const problems = await d.teardown();   // [] when every sandbox was killed, boxtopd exited
//                                           // cleanly and no process of the instance is left
//
// Contract with boxtopd (shared/common brief): `boxtopd --foreground --state-dir DIR
// --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0` writes DIR/api-key (0600) and, once it
// listens, DIR/boxtopd.json {pid, apiUrl, sandboxUrl, version} (0600), removed on clean exit.
//
// Secrets: the key and the sandboxes' access tokens never go to stdout; their SHA-256 is
// written to logs/NAME.secrets so that the no-secrets test can look for them in every log.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const srcdir = process.env.abs_top_srcdir || path.resolve(here, '../../..');
export const builddir = process.env.abs_top_builddir || srcdir;
export const boxtopdBin = process.env.BOXTOPD || path.join(builddir, 'src/boxtopd');
export const logDir = path.join(builddir, 'tests/integration/logs');
export const nodeModules = fs.existsSync(path.join(builddir, 'tests/node_modules/e2b'))
  ? path.join(builddir, 'tests/node_modules')
  : path.join(srcdir, 'tests/node_modules');
export const loopbackOnly = path.join(here, 'loopback-only.cjs');
export const e2bCliJs = path.join(nodeModules, '@e2b/cli/dist/index.js');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** A sleep that does not keep node alive (for races against a process exit). */
const sleepUnref = (ms) => new Promise((r) => setTimeout(r, ms).unref());
export const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/** Poll fn() until it returns a truthy value or `ms` pass; returns the value or undefined. */
export async function waitFor(fn, ms = 10000, step = 50) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() >= end) return undefined;
    await sleep(step);
  }
}

// ---- /proc helpers (leftover-process checks) ----

function readStat(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rp = s.lastIndexOf(')');
    const f = s.slice(rp + 2).split(' ');
    return { pid, comm: s.slice(s.indexOf('(') + 1, rp), state: f[0], ppid: +f[1], start: f[19] };
  } catch {
    return null;
  }
}

export function procTable() {
  const t = new Map();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const st = readStat(+e);
    if (st) t.set(st.pid, st);
  }
  return t;
}

/** True once the process p (a procTable() entry) has died: gone from /proc, a zombie not yet
 * reaped (its parent died first, so the reaper is whatever init the machine has), or a new
 * process under a reused pid. */
export function dead(p) {
  const now = readStat(p.pid);
  return !now || now.state === 'Z' || now.start !== p.start;
}

export function descendants(root, table = procTable()) {
  const kids = new Map();
  for (const p of table.values()) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(p);
  }
  const out = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop();
    for (const k of kids.get(p) || []) {
      out.push(k);
      todo.push(k.pid);
    }
  }
  return out;
}

/** Processes whose cgroup path (any hierarchy) names one of `ids`. */
export function procsInCgroupsOf(ids, table = procTable()) {
  if (!ids.length) return [];
  const out = [];
  for (const p of table.values()) {
    let cg;
    try {
      cg = fs.readFileSync(`/proc/${p.pid}/cgroup`, 'utf8');
    } catch {
      continue;
    }
    if (ids.some((id) => cg.includes(id))) out.push(p);
  }
  return out;
}

/** cgroup directories (v1 hierarchies and v2) whose name contains one of `ids`. */
export function cgroupDirsOf(ids) {
  if (!ids.length) return [];
  const found = [];
  const walk = (dir, depth) => {
    let ents;
    try {
      ents = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      if (ids.some((id) => e.name.includes(id))) found.push(p);
      else if (depth < 4) walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

function alive(p) {
  const st = readStat(p.pid);
  return st && st.start === p.start && st.state !== 'Z';
}

// ---- raw HTTP helper ----

/** The bytes of the files below p (0 when p is gone), for "its disk was freed". */
export function dirBytes(p) {
  let n = 0;
  if (!fs.existsSync(p)) return 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    n += e.isDirectory() ? dirBytes(q) : fs.lstatSync(q).size;
  }
  return n;
}

/** fetch() against boxtopd with sensible defaults; returns {status, headers, text, json}. */
export async function http(url, { method = 'GET', headers = {}, body, timeoutMs = 15000 } = {}) {
  const ac = new AbortController();
  const t = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const r = await fetch(url, { method, headers, body, signal: ac.signal, duplex: 'half' });
    const buf = Buffer.from(await r.arrayBuffer());
    const text = buf.toString('utf8');
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: r.status, headers: r.headers, text, json, buf };
  } finally {
    clearTimeout(t);
  }
}

/** The headers of a raw envd call through boxtopd's sandbox URL, as the SDK sends them:
 * sandbox s (its id and envd access token) on envd's port, the Connect protocol, extra. */
export const envdHeaders = (s, extra = {}) => ({
  'E2b-Sandbox-Id': s.sandboxId,
  'E2b-Sandbox-Port': '49983',
  'X-Access-Token': s.envdAccessToken,
  'Connect-Protocol-Version': '1',
  ...extra,
});

// ---- the instance ----

let instanceCounter = 0;

export class Boxtopd {
  constructor(name, stateDir, ownsStateDir, extraArgs, bin = boxtopdBin) {
    this.name = name;
    this.bin = bin;
    this.stateDir = stateDir;
    this.ownsStateDir = ownsStateDir;
    this.extraArgs = extraArgs;
    this.proc = null;
    this.exit = null; // {code, signal} once exited
    this.seenIds = new Set(); // every sandbox id this instance ever listed/created
    this.secrets = new Set();
    this.tornDown = false;
    this.allProcs = []; // every boxtopd this instance launched (restarts)
  }

  get secretsFile() {
    return path.join(logDir, `${this.name}.secrets`);
  }

  /** Remember the hash of a secret (key, token, signature) for the no-secrets test. */
  noteSecret(s) {
    if (!s || this.secrets.has(s)) return;
    this.secrets.add(s);
    fs.appendFileSync(this.secretsFile, sha256(s) + '\n', { mode: 0o600 });
  }

  async launch() {
    if (this.proc && !this.exit) throw new Error(`boxtopd ${this.pid} is still running: stop() it before restart()`);
    const n = ++instanceCounter;
    this.logFile = path.join(logDir, `${this.name}.${n}.boxtopd.log`);
    const out = fs.openSync(this.logFile, 'w', 0o600);
    const args = [
      '--foreground',
      '--state-dir',
      this.stateDir,
      '--api-listen',
      '127.0.0.1:0',
      '--envd-listen',
      '127.0.0.1:0',
      ...this.extraArgs,
    ];
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('E2B_')) delete env[k];
    this.proc = spawn(this.bin, args, { stdio: ['ignore', out, out], env });
    this.allProcs.push(this.proc);
    fs.closeSync(out);
    this.exit = null;
    const exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
      this.proc.on('error', (e) => {
        this.exit = { code: -1, signal: null, error: e };
        resolve(this.exit);
      });
    });
    this.exited = exited;
    this.pid = this.proc.pid;

    const jsonPath = path.join(this.stateDir, 'boxtopd.json');
    const info = await waitFor(() => {
      if (this.exit) return { dead: true };
      try {
        const j = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
        if (j && j.pid === this.pid && j.apiUrl && j.sandboxUrl) return j;
      } catch {
        /* not there yet, or being replaced */
      }
      return undefined;
    }, 15000);
    if (!info || info.dead) {
      const log = fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8').slice(-2000) : '';
      await this.kill9();
      throw new Error(
        `boxtopd did not write ${jsonPath} within 15 s` +
          (this.exit ? ` (exited ${JSON.stringify(this.exit)})` : '') +
          `; log tail:\n${log}`,
      );
    }
    this.info = info;
    this.jsonMode = fs.statSync(jsonPath).mode & 0o777;
    this.apiUrl = info.apiUrl;
    this.sandboxUrl = info.sandboxUrl;
    for (const u of [this.apiUrl, this.sandboxUrl]) {
      if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(u)) {
        await this.kill9();
        throw new Error(`boxtopd.json has a non-loopback or malformed URL: ${u}`);
      }
    }
    const keyPath = path.join(this.stateDir, 'api-key');
    this.apiKey = fs.readFileSync(keyPath, 'utf8').trim();
    this.keyMode = fs.statSync(keyPath).mode & 0o777;
    this.noteSecret(this.apiKey);
    this.applyEnv();
    return this;
  }

  /** Environment for the SDK/CLI: loopback only, no cloud settings, no update checks. */
  get env() {
    const env = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('E2B_')) delete env[k];
    Object.assign(env, {
      E2B_API_URL: this.apiUrl,
      E2B_SANDBOX_URL: this.sandboxUrl,
      E2B_API_KEY: this.apiKey,
      NO_UPDATE_NOTIFIER: '1',
      DO_NOT_TRACK: '1',
      NODE_OPTIONS: `--require ${loopbackOnly}`,
      LANG: 'C.UTF-8',
      TZ: 'UTC',
      HOME: this.cliHome,
    });
    return env;
  }

  get cliHome() {
    if (!this._cliHome) this._cliHome = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-cli-home-'));
    return this._cliHome;
  }

  /** Point this process's SDK at the instance. */
  applyEnv() {
    for (const k of Object.keys(process.env)) if (k.startsWith('E2B_')) delete process.env[k];
    process.env.E2B_API_URL = this.apiUrl;
    process.env.E2B_SANDBOX_URL = this.sandboxUrl;
    process.env.E2B_API_KEY = this.apiKey;
    process.env.NO_UPDATE_NOTIFIER = '1';
  }

  /** Platform API call with the key (or `key` given, or none when key === null). */
  api(method, p, { body, key, headers = {}, timeoutMs } = {}) {
    const h = { ...headers };
    const k = key === undefined ? this.apiKey : key;
    if (k !== null) h['X-API-Key'] = k;
    let b = body;
    if (b !== undefined && typeof b !== 'string' && !(b instanceof Uint8Array)) {
      b = JSON.stringify(b);
      h['Content-Type'] = h['Content-Type'] || 'application/json';
    }
    return http(this.apiUrl + p, { method, headers: h, body: b, timeoutMs });
  }

  /** Every sandbox (running and paused) the API knows; records ids for leftover checks. */
  async listAll() {
    const out = [];
    let token = null;
    for (let i = 0; i < 100; i++) {
      const q = `state=running,paused&limit=100${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`;
      const r = await this.api('GET', `/v2/sandboxes?${q}`);
      if (r.status !== 200 || !Array.isArray(r.json)) throw new Error(`GET /v2/sandboxes → ${r.status} ${r.text.slice(0, 200)}`);
      out.push(...r.json);
      token = r.headers.get('x-next-token');
      if (!token) break;
    }
    for (const s of out) this.seenIds.add(s.sandboxID);
    return out;
  }

  /** Record a sandbox created through the SDK (an id, or a Sandbox whose access token is then
   *  recorded for the secrets test) so that teardown checks its cgroup even if unlisted. */
  track(sbx) {
    if (typeof sbx === 'string') {
      this.seenIds.add(sbx);
      return;
    }
    this.seenIds.add(sbx.sandboxId);
    if (sbx.envdAccessToken) this.noteSecret(sbx.envdAccessToken);
  }

  async health() {
    try {
      const r = await http(this.apiUrl + '/health', { timeoutMs: 5000 });
      return r.status >= 200 && r.status < 300;
    } catch {
      return false;
    }
  }

  async kill9() {
    if (this.proc && !this.exit) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await Promise.race([this.exited, sleepUnref(5000)]);
    }
  }

  /** Stop boxtopd (keeping the state dir): SIGTERM by default, waits up to `ms`, then SIGKILL.
   *  Returns {code, signal, forced}. */
  async stop(signal = 'SIGTERM', ms = 15000) {
    if (!this.proc || this.exit) return { ...(this.exit || {}), forced: false };
    try {
      process.kill(this.pid, signal);
    } catch {
      /* already gone */
    }
    const r = await Promise.race([this.exited, sleepUnref(ms).then(() => null)]);
    if (r) return { ...r, forced: false };
    await this.kill9();
    return { ...(this.exit || {}), forced: true };
  }

  /** Start again on the same state dir (after stop()). */
  async restart() {
    await this.launch();
    return this;
  }

  /** Kill every sandbox via the API, SIGTERM boxtopd, check nothing of the instance is left,
   *  remove the state dir. Returns a list of problems ([] = clean). */
  async teardown() {
    if (this.tornDown) return [];
    this.tornDown = true;
    const problems = [];
    if (this.proc && !this.exit) {
      try {
        const all = await this.listAll();
        for (const s of all) {
          try {
            const d = await this.api('GET', `/sandboxes/${s.sandboxID}`);
            if (d.json && d.json.envdAccessToken) this.noteSecret(d.json.envdAccessToken);
          } catch {
            /* only for the secrets record */
          }
          const r = await this.api('DELETE', `/sandboxes/${s.sandboxID}`);
          if (r.status !== 204 && r.status !== 404) problems.push(`DELETE /sandboxes/${s.sandboxID} → ${r.status}`);
        }
        const left = await this.listAll();
        if (left.length) problems.push(`sandboxes still listed after kill: ${left.map((s) => s.sandboxID).join(' ')}`);
        // Deleting a sandbox's files and cgroups may finish after DELETE returns: give it time.
        await waitFor(() => cgroupDirsOf([...this.seenIds]).length === 0, 5000, 100);
      } catch (e) {
        problems.push(`could not list/kill sandboxes: ${e.message}`);
      }
    } else if (this.proc) {
      problems.push(`boxtopd had already exited before teardown: ${JSON.stringify(this.exit)}`);
    }
    // Snapshot what belongs to this instance before stopping it.
    const ids = [...this.seenIds];
    let table = procTable();
    const mine = new Map();
    if (this.proc && !this.exit) for (const p of descendants(this.pid, table)) mine.set(p.pid, p);
    // and the sandbox each boxtopd keeps booted ahead (cgroup .spare-<boxtopd pid>-<n>): its init
    // must end with boxtopd, also after a SIGKILL
    const spares = this.allProcs.map((p) => `.spare-${p.pid}-`);
    for (const p of procsInCgroupsOf([...ids, ...spares], table)) if (p.pid !== process.pid) mine.set(p.pid, p);

    if (this.proc && !this.exit) {
      const st = await this.stop('SIGTERM', 15000);
      if (st.forced) problems.push('boxtopd ignored SIGTERM for 15 s (SIGKILLed)');
      else if (st.code !== 0) problems.push(`boxtopd exited with ${JSON.stringify(st)} after SIGTERM`);
      if (fs.existsSync(path.join(this.stateDir, 'boxtopd.json'))) problems.push('boxtopd.json left after clean exit');
    }
    for (const p of this.allProcs) {
      if (p.exitCode === null && p.signalCode === null) {
        problems.push(`an earlier boxtopd (pid ${p.pid}) was still running`);
        p.kill('SIGKILL');
      }
    }
    // Give the kernel a moment to reap, then look for survivors.
    await waitFor(() => [...mine.values()].every((p) => !alive(p)), 3000);
    table = procTable();
    const survivors = [...mine.values()].filter(alive);
    for (const p of procsInCgroupsOf(ids, table)) if (!survivors.some((s) => s.pid === p.pid)) survivors.push(p);
    if (survivors.length) {
      problems.push(`processes left: ${survivors.map((p) => `${p.pid}(${p.comm})`).join(' ')}`);
      for (const p of survivors) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* raced */
        }
      }
    }
    // Processes still charged to a sandbox's cgroup (zombies included: somebody failed to
    // reap them), after giving the kernel and init up to 3 s.
    const cgProcs = () => {
      const out = [];
      for (const d of cgroupDirsOf(ids)) {
        let procs = '';
        try {
          procs = fs.readFileSync(path.join(d, 'cgroup.procs'), 'utf8').trim();
        } catch {
          /* removed meanwhile */
        }
        for (const p of procs ? procs.split('\n') : []) {
          const st = readStat(+p);
          out.push(`${d.split('/').slice(-3).join('/')}: ${p}${st ? `(${st.comm} ${st.state})` : ''}`);
        }
      }
      return out;
    };
    await waitFor(() => cgProcs().length === 0, 3000);
    const inCg = cgProcs();
    if (inCg.length) problems.push(`cgroups still hold processes: ${[...new Set(inCg)].join(', ')}`);
    await waitFor(() => cgroupDirsOf(ids).length === 0, 2000);
    const emptyLeft = cgroupDirsOf(ids);
    if (emptyLeft.length) problems.push(`cgroup directories left behind: ${emptyLeft.join(' ')}`);
    if (this.ownsStateDir) await rmrf(this.stateDir, problems);
    if (this._cliHome) fs.rmSync(this._cliHome, { recursive: true, force: true });
    return problems;
  }
}

// The first id of this user's subordinate range in /etc/subuid or /etc/subgid, or null.
function subidStart(file) {
  const me = os.userInfo();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [who, start, count] = line.split(':');
      if ((who === me.username || who === String(me.uid)) && +count >= 65536) return +start;
    }
  } catch {
    /* no such file */
  }
  return null;
}

// Not root, a state dir holds files a sandbox's root made (template layers: templates outlive
// boxtopd), which belong to the user's subordinate ids: the user removes them as root of a
// user namespace mapping that range, as boxtopd itself does (rt_subid.c).
export function rmAsSubidRoot(dir) {
  const u = subidStart('/etc/subuid');
  const g = subidStart('/etc/subgid');
  if (process.getuid() === 0 || u === null || g === null) return false;
  const r = spawnSync('unshare', ['--map-root-user', `--map-users=${u},1,65536`, `--map-groups=${g},1,65536`,
    'rm', '-rf', '--', dir], { stdio: 'ignore' });
  return r.status === 0 && !fs.existsSync(dir);
}

async function rmrf(dir, problems) {
  try {
    await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    if (e.code === 'EACCES' && rmAsSubidRoot(dir)) return;
    // A still-mounted overlay would make this fail: worth reporting.
    problems.push(`could not remove state dir ${dir}: ${e.code || e.message}`);
  }
}

const live = new Set();
process.on('exit', () => {
  // Last resort when a test file crashes: never leave a boxtopd running.
  for (const d of live) if (d.proc && !d.exit) try { process.kill(d.pid, 'SIGKILL'); } catch { /* gone */ }
});

/** Start a boxtopd on free loopback ports with a fresh state dir (or `stateDir`). */
/** bin: another boxtopd binary than the build's (a benchmark comparing two builds). */
export async function startBoxtopd({ name = 'test', stateDir, extraArgs = [], bin } = {}) {
  fs.mkdirSync(logDir, { recursive: true });
  const owns = !stateDir;
  const dir = stateDir || fs.mkdtempSync(path.join(os.tmpdir(), `boxtopd-${name}-`));
  const d = new Boxtopd(name, dir, owns, extraArgs, bin);
  live.add(d);
  try {
    await d.launch();
  } catch (e) {
    if (owns) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return d;
}

/** The e2b SDK (pinned), loaded from the build tree's node_modules. */
export async function loadSdk() {
  return import(path.join(nodeModules, 'e2b/dist/index.mjs'));
}

/** Run the official CLI with the instance's environment; resolves {code, stdout, stderr}. */
export function runCli(d, args, { timeoutMs = 60000, input } = {}) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [e2bCliJs, ...args], { env: d.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, stdout, stderr });
    });
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
  });
}
