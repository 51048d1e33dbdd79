// isolation.mjs - issue 4 isolation, seen through the official SDK (complements the runtime's
// own C tests): the Debian image as / (issue 14), own pid namespace, host /usr and /etc unchanged by writes, root inside cannot
// read host secrets, sandboxes cannot see each other's files, a memory hog is stopped by its
// cgroup while boxtopd and other sandboxes keep working.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { http, sha256 } from './lib/boxtopd.mjs';

const ctx = fileContext('isolation');
const T = { timeout: 60000 };
let A;
let B;
const run = async (s, cmd, opts = {}) => {
  try {
    return await s.commands.run(cmd, opts);
  } catch (e) {
    if (e instanceof ctx.E.CommandExitError) return e; // has stdout/stderr/exitCode too
    throw e;
  }
};

test('boxtopd starts and two sandboxes are created', T, async () => {
  const d = await ctx.start();
  A = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { who: 'A' } });
  d.track(A);
  B = await ctx.E.Sandbox.create('base', { timeoutMs: 300_000, metadata: { who: 'B' } });
  d.track(B);
});

// Issue 14: a sandbox's / is its own Debian image, not the host's root.
const IMAGE_TOP = new Set(['bin', 'boot', 'dev', 'etc', 'home', 'lib', 'lib32', 'lib64', 'libx32', 'media', 'mnt',
  'opt', 'proc', 'root', 'run', 'sbin', 'srv', 'sys', 'tmp', 'usr', 'var']);

// Not root, a new top-level host directory cannot be made: the marker goes in a new directory
// of the host's /tmp (which the sandbox has its own of) instead.
const asRoot = process.getuid() === 0;
test(`ls / shows only the image; host markers (new ${asRoot ? 'top-level dir' : 'dir in /tmp'}, host home) are invisible`, T, async () => {
  assert.ok(A, 'sandbox missing');
  const top = (await run(A, 'ls -A /')).stdout.trim().split('\n');
  assert.deepEqual(top.filter((n) => !IMAGE_TOP.has(n)), [], `not the image's: ${top.join(' ')}`);
  for (const n of ['etc', 'usr', 'home', 'tmp', 'proc', 'dev']) assert.ok(top.includes(n), `/${n} missing`);
  const tag = `boxtop-marker-${uniq()}`;
  const dir = asRoot ? `/${tag}` : `/tmp/${tag}`;
  const home = `${os.homedir()}/.${tag}`;
  fs.mkdirSync(dir);
  try {
    fs.writeFileSync(`${dir}/marker`, 'm\n');
    fs.writeFileSync(home, 'm\n');
    const hostOnly = fs.readdirSync('/').filter((n) => !IMAGE_TOP.has(n));
    if (asRoot) assert.ok(hostOnly.includes(tag));
    else assert.ok(fs.existsSync(`${dir}/marker`));
    const probe = [...hostOnly.map((n) => `/${n}`), dir, `${dir}/marker`, home]
      .map((p) => `test -e '${p}' && echo "SEEN ${p}"`).join('; ');
    const r = await run(A, `${probe}; find / -xdev -name '*${tag}*' 2>/dev/null; echo done`, { user: 'root' });
    assert.equal(r.stdout, 'done\n', `host paths visible inside:\n${r.stdout}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(home, { force: true });
  }
});

test('Debian bookworm with the base template tools; sudo -n as user is root', T, async () => {
  assert.ok(A, 'sandbox missing');
  const os1 = await run(A, '. /etc/os-release; echo "$ID $VERSION_CODENAME"');
  assert.equal(os1.stdout, 'debian bookworm\n');
  const tools = await run(A, "python3 -c 'import sys; print(sys.version_info[0])' && pip --version && git --version && curl --version");
  assert.equal(tools.exitCode, 0, tools.stderr);
  assert.match(tools.stdout, /^3\n/);
  assert.match(tools.stdout, /\npip \d/);
  assert.match(tools.stdout, /\ngit version \d/);
  assert.match(tools.stdout, /\ncurl \d/);
  const su = await run(A, 'sudo -n id -u');
  assert.equal(su.stdout, '0\n', `sudo: ${su.stderr}`);
  const venv = await run(A, 'python3 -m venv /tmp/v && /tmp/v/bin/python -c "print(7*6)"');
  assert.equal(venv.stdout, '42\n', venv.stderr);
});

test('per sandbox: hostname in /etc/hosts, the host\'s resolvers in resolv.conf', T, async () => {
  assert.ok(A && B, 'sandboxes missing');
  const h = await run(A, 'cat /etc/hostname; grep -c "$(hostname)" /etc/hosts');
  assert.deepEqual(h.stdout.trim().split('\n'), [A.sandboxId, '1']);
  const ns = (txt) => txt.split('\n').filter((l) => /^nameserver\s/.test(l)).join('\n');
  let host = '';
  try {
    host = fs.readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    /* no resolver configured: then none inside either */
  }
  const inside = await run(B, 'cat /etc/resolv.conf 2>/dev/null');
  assert.equal(ns(inside.stdout), ns(host));
});

test('ps -e inside a sandbox shows only its own processes', T, async () => {
  assert.ok(A && B, 'sandboxes missing');
  const marker = `sleep 4${Math.floor(Math.random() * 1000)}7`;
  await B.commands.run(marker, { background: true });
  const r = await run(A, 'ps -e -o pid=,args=');
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length >= 2 && lines.length <= 20, `ps -e shows ${lines.length} processes:\n${r.stdout}`);
  assert.ok(!r.stdout.includes(marker), 'another sandbox\'s process is visible');
  // pid 1 is the sandbox's init (a fork of boxtopd, so it may carry boxtopd's command line).
  const others = lines.filter((l) => !/^\s*1\s/.test(l)).join('\n');
  assert.ok(!/boxtopd|node --|--test-reporter|tap-node/.test(others), `host processes visible:\n${r.stdout}`);
  const pid1 = lines.map((l) => l.trim()).find((l) => l.startsWith('1 '));
  assert.ok(pid1, `no pid 1 (init) in the sandbox:\n${r.stdout}`);
  const hostPids = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
  const inside = (await run(A, 'ls /proc | grep -c "^[0-9]"')).stdout.trim();
  assert.ok(+inside < hostPids / 2 && +inside <= 20, `/proc inside lists ${inside} pids (host ${hostPids})`);
});

test('hostname and uid: per-sandbox UTS, user "user" is not host root', T, async () => {
  const hostName = os.hostname();
  const r = await run(A, 'hostname boxtop-evil-name; hostname', { user: 'root' });
  assert.equal(os.hostname(), hostName, 'host hostname changed');
  const u = await run(A, 'id -un; id -u');
  assert.deepEqual(u.stdout.trim().split('\n'), ['user', u.stdout.trim().split('\n')[1]]);
  assert.notEqual(u.stdout.trim().split('\n')[1], '0');
  const map = (await run(A, 'cat /proc/self/uid_map', { user: 'root' })).stdout.trim().split(/\s+/);
  assert.ok(map.length >= 3, `uid_map: ${map.join(' ')}`);
  assert.notEqual(map[1], '0', `sandbox root maps to host uid ${map[1]}`);
  void r;
});

test('writing to /usr and /etc inside does not change the host', T, async () => {
  const tag = `boxtop-iso-${uniq()}`;
  const hosts = fs.readFileSync('/etc/hosts');
  const paths = [`/etc/${tag}`, `/usr/${tag}`, `/usr/local/${tag}`, `/usr/bin/${tag}`];
  let leaked;
  let hostsChanged;
  try {
    await run(A, `echo x > /etc/${tag}; echo x > /usr/${tag}; mkdir -p /usr/local/${tag}; echo x > /usr/bin/${tag}; echo "# ${tag}" >> /etc/hosts`, { user: 'root' });
    leaked = paths.filter((p) => fs.existsSync(p));
    hostsChanged = sha256(fs.readFileSync('/etc/hosts')) !== sha256(hosts);
  } finally {
    // Should isolation be broken, undo the damage on the host before failing.
    for (const p of paths) fs.rmSync(p, { recursive: true, force: true });
    if (sha256(fs.readFileSync('/etc/hosts')) !== sha256(hosts)) fs.writeFileSync('/etc/hosts', hosts);
  }
  assert.deepEqual(leaked, [], 'files appeared on the host');
  assert.equal(hostsChanged, false, 'host /etc/hosts changed');
  const other = await run(B, `ls /etc/${tag} 2>&1 || echo absent`);
  assert.ok(/absent/.test(other.stdout), 'a write in A is visible in B');
});

test('root inside cannot read the host /etc/shadow nor boxtopd\'s api-key', T, async () => {
  const d = ctx.need();
  let hostShadow = 'unreadable-by-the-test-user';
  try {
    hostShadow = sha256(fs.readFileSync('/etc/shadow'));
  } catch {
    /* not root: the sandbox must then fail to read it as well (empty digest below) */
  }
  for (const p of ['/etc/shadow', '/proc/1/root/etc/shadow', `/proc/${d.pid}/root/etc/shadow`]) {
    const r = await run(A, `sha256sum ${p} 2>/dev/null | cut -d" " -f1`, { user: 'root' });
    assert.notEqual(r.stdout.trim(), hostShadow, `host /etc/shadow readable as ${p}`);
  }
  for (const p of [`${d.stateDir}/api-key`, `/proc/1/root${d.stateDir}/api-key`, `/proc/${d.pid}/root${d.stateDir}/api-key`]) {
    const r = await run(A, `cat ${p} 2>/dev/null | sha256sum | cut -d" " -f1`, { user: 'root' });
    assert.notEqual(r.stdout.trim(), sha256(d.apiKey + '\n'), `api-key readable as ${p}`);
    assert.notEqual(r.stdout.trim(), sha256(d.apiKey), `api-key readable as ${p}`);
  }
  const g = await run(A, `grep -rl -- ${d.apiKey.slice(4, 24)} ${d.stateDir} /root 2>/dev/null | head -3`, { user: 'root' });
  assert.equal(g.stdout.trim(), '', `the key was found inside: ${g.stdout}`);
});

test('another sandbox\'s files are not visible', T, async () => {
  const d = ctx.need();
  const secret = randomBytes(12).toString('hex');
  await B.files.write('/home/user/secret-b.txt', secret);
  await B.commands.run(`echo ${secret} > /tmp/secret-b.txt`);
  const r = await run(A, `grep -rls -- ${secret} /home /tmp ${d.stateDir} 2>/dev/null | head -3; ls /home/user/secret-b.txt /tmp/secret-b.txt 2>/dev/null`, { user: 'root' });
  assert.equal(r.stdout.trim(), '', `A sees B's files: ${r.stdout}`);
  let v = null;
  try {
    v = await A.files.read('/home/user/secret-b.txt');
  } catch {
    /* not found is the point */
  }
  assert.ok(v === null || !v.includes(secret), 'A read B\'s file over envd');
});

// As root boxtopd has cgroups: a hog is stopped. Not root (without delegated cgroups) it has
// none, as the README says ("rootless": no limits): /health says so, and memory beyond
// memoryMB is given (a hog of memoryMB + 64 MiB survives), the other sandbox keeps working.
const limitsMissing = async (d) =>
  /isolation missing: .*cgroups \(no memory\/cpu\/pids limits\)/.test((await http(`${d.apiUrl}/health`)).text);

test(`a memory hog is stopped by its cgroup${asRoot ? '' : ' (or, without cgroups, not limited and /health says so)'}; boxtopd and the other sandbox keep working`, { timeout: 90000 }, async () => {
  const d = ctx.need();
  const info = await B.getInfo();
  assert.equal((await run(B, 'python3 -c "print(40 + 2)"')).stdout, '42\n', 'python3 works in the sandbox');
  const noLimits = await limitsMissing(d);
  if (asRoot) assert.ok(!noLimits, '/health as root names cgroups missing');
  if (noLimits) {
    const mb = info.memoryMB + 64;
    const over = await run(B, `python3 -c "a = b'x' * (${mb} << 20); print('survived', len(a) >> 20)"`, { timeoutMs: 60000 });
    assert.equal(over.stdout, `survived ${mb}\n`, `without cgroups ${mb} MiB (memoryMB ${info.memoryMB}) is given`);
    assert.equal((await run(A, 'echo A-ok')).stdout, 'A-ok\n', 'the other sandbox stalled');
    assert.ok(await d.health(), 'boxtopd unhealthy');
    return;
  }
  const capMb = Math.min(4096, Math.max(1024, info.memoryMB * 4));
  const hog = `python3 -c "
a = []
for i in range(${Math.ceil(capMb / 64)}):
    a.append(b'x' * (64 << 20))
print('survived', len(a) * 64)
"`;
  const t0 = Date.now();
  const [r, during] = await Promise.all([
    run(B, hog, { timeoutMs: 60000 }).catch((e) => e),
    (async () => {
      await new Promise((res) => setTimeout(res, 300));
      return run(A, 'echo A-ok');
    })(),
  ]);
  assert.ok(!(r.stdout || '').includes('survived'), `the hog allocated ${capMb} MiB (memoryMB ${info.memoryMB}) and was not stopped`);
  assert.ok(r instanceof ctx.E.CommandExitError && r.exitCode !== 0 && r.exitCode !== 127 && r.exitCode !== 1,
    `the hog should die by a signal (OOM kill): ${r.constructor.name} exit ${r.exitCode} ${(r.stderr || r.message || '').slice(0, 200)}`);
  assert.ok(Date.now() - t0 < 60000, 'the hog ran until the timeout');
  assert.equal(during.stdout, 'A-ok\n', 'the other sandbox stalled');
  assert.ok(await d.health(), 'boxtopd unhealthy after the hog');
  assert.equal((await run(A, 'echo still')).stdout, 'still\n');
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
