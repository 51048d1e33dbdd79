// sdk-templates.mjs - issue 19: templates built on boxtopd by the official SDK's
// Template.build()/buildInBackground()/exists()/tags, in the spirit of upstream's js-sdk
// template tests (build, backgroundBuild, exists, tags, methods/runCmd): RUN writes files and a
// script, COPY of a folder with a relative and an absolute symlink, ENV, WORKDIR, USER and a
// start command; a sandbox from it has all of that; a rebuild is cached and fast; a failing RUN
// leaves status error, its output and no layer; an unknown user gives E2B's text. Layers are
// read-only and stacked: a template's layer holds only its own changes, a sandbox from it copies
// nothing, a child template stacks on its parent; the build's CPU/memory size its sandboxes.
// Delete is refused while a paused sandbox uses the template (E2B's text); with running ones
// it goes on and the layer is freed after the last user (sandbox, child template) is gone;
// hostile uploads are refused; templates survive a restart.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { dirBytes } from './lib/boxtopd.mjs';

const ctx = fileContext('sdk-templates');
const T = { timeout: 300000 };
const name = `tpl-${uniq()}`;
let firstMs = 0;
let firstNonce = '';
let tplId = '';
let sbx = null;
let bgName = '';
const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-tplctx-'));
const layersDir = () => path.join(ctx.need().stateDir, 'templates', 'layers');
const layers = () => (fs.existsSync(layersDir()) ? fs.readdirSync(layersDir()) : []);
const run = async (s, cmd, opts) => (await s.commands.run(cmd, opts)).stdout;
// Every file under p (relative names), for "what is in this layer".
const filesUnder = (p, pre = '') => {
  if (!fs.existsSync(p)) return [];
  const out = [];
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    out.push(pre + e.name);
    if (e.isDirectory()) out.push(...filesUnder(path.join(p, e.name), `${pre}${e.name}/`));
  }
  return out;
};
// The sandbox's cgroup directory for a controller (v2: "" = the unified tree).
const cgroupDir = (ctrl, id) => {
  for (const root of ctrl ? [`/sys/fs/cgroup/${ctrl}`] : ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    const stack = [[root, 0]];
    while (stack.length) {
      const [dir, depth] = stack.pop();
      let ents = [];
      try {
        ents = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of ents) {
        if (!e.isDirectory()) continue;
        if (e.name === id) return path.join(dir, e.name);
        if (depth < 4) stack.push([path.join(dir, e.name), depth + 1]);
      }
    }
  }
  return null;
};
const layerOf = async (d, ref) => {
  const rec = JSON.parse(fs.readFileSync(path.join(d.stateDir, 'templates', `${ref}.json`), 'utf8'));
  return rec.builds.filter((b) => b.status === 'ready').pop();
};

function appTemplate(E) {
  return E.Template({ fileContextPath: ctxDir })
    .fromBaseImage()
    .runCmd(['mkdir -p /home/user/app', 'echo from-run > /home/user/app/run.txt'])
    .copy('folder', '/home/user/app/folder')
    .setEnvs({ GREETING: 'hello', FULL: '$GREETING world' })
    .setWorkdir('/home/user/app')
    .runCmd('printf "#!/bin/sh\\necho script-ran\\n" > tool.sh && chmod 755 tool.sh')
    .setUser('root')
    .runCmd('useradd -m builder && echo made-by-root > /opt/owned.txt')
    .setUser('builder')
    .runCmd('echo "$FULL" > /home/builder/env.txt')
    .runCmd('od -An -N8 -tx1 /dev/urandom | tr -d " \\n" > /home/builder/nonce')
    .setStartCmd('sleep 3601', 'pgrep -f "sleep 3601"');
}

test('boxtopd starts; a build context with a folder and two symlinks', T, async () => {
  await ctx.start({ extraArgs: ['--ready-timeout', '6'] });
  fs.mkdirSync(path.join(ctxDir, 'folder', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(ctxDir, 'folder', 'a.txt'), 'copied\n');
  fs.writeFileSync(path.join(ctxDir, 'folder', 'sub', 'b.sh'), '#!/bin/sh\necho b\n', { mode: 0o755 });
  fs.symlinkSync('a.txt', path.join(ctxDir, 'folder', 'rel-link'));
  fs.symlinkSync('/etc/hostname', path.join(ctxDir, 'folder', 'abs-link'));
});

test('Template.build() runs every step and reports its logs', T, async () => {
  const { Template } = ctx.E;
  const logs = [];
  const t0 = Date.now();
  const info = await Template.build(appTemplate(ctx.E), name, {
    cpuCount: 2,
    memoryMB: 1024,
    onBuildLogs: (e) => logs.push(e.message ?? String(e)),
  });
  firstMs = Date.now() - t0;
  tplId = info.templateId;
  assert.match(info.templateId, /^[a-z0-9]{20}$/);
  const text = logs.join('\n');
  for (const s of ['[builder 1/', 'RUN', 'COPY', 'WORKDIR', 'USER', 'Running start command', 'Template is ready'])
    assert.ok(text.includes(s), `build log mentions ${s}:\n${text}`);
  assert.equal(await Template.exists(name), true);
  assert.equal(await Template.exists(`nope-${uniq()}`), false);
});

test('a sandbox from the template has its files, env, workdir, user and start command', T, async () => {
  const { Sandbox } = ctx.E;
  sbx = await Sandbox.create(name, { timeoutMs: 120_000 });
  ctx.need().track(sbx);
  assert.equal(await run(sbx, 'cat /home/user/app/run.txt'), 'from-run\n');
  assert.equal(await run(sbx, 'pwd; whoami'), '/home/user/app\nbuilder\n');
  assert.equal(await run(sbx, 'echo "$GREETING|$FULL"'), 'hello|hello world\n');
  assert.equal(await run(sbx, './tool.sh'), 'script-ran\n');
  assert.equal(await run(sbx, 'cat /home/builder/env.txt /opt/owned.txt'), 'hello world\nmade-by-root\n');
  assert.equal(await run(sbx, 'cat folder/a.txt folder/rel-link; readlink folder/rel-link folder/abs-link'), 'copied\ncopied\na.txt\n/etc/hostname\n');
  assert.equal(await run(sbx, 'stat -c "%a %U" folder/sub/b.sh'), '755 user\n', 'mode kept, owner = the USER at COPY time');
  assert.match(await run(sbx, 'pgrep -f "sleep 3601" >/dev/null && echo running'), /running/);
  firstNonce = await run(sbx, 'cat /home/builder/nonce');
  assert.match(firstNonce, /^[0-9a-f]{16}$/, 'a RUN step wrote its random nonce');
});

test('the layer is read-only and stacked: a sandbox from it copies nothing', T, async () => {
  const d = ctx.need();
  const upper = path.join(d.stateDir, 'runtime', sbx.sandboxId, 'upper');
  const mine = filesUnder(upper);
  assert.ok(!mine.some((f) => f.startsWith('home/user/app') || f === 'opt/owned.txt'), `the sandbox's writable layer has none of the template's files: ${mine.join(' ')}`);
  const lowers = fs.readFileSync(path.join(d.stateDir, 'runtime', sbx.sandboxId, 'lowers'), 'utf8');
  const b = await layerOf(d, tplId);
  assert.equal(b.stacked, true);
  assert.equal(lowers, `${path.join(layersDir(), b.layer, 'upper')}\n`, 'the sandbox stacks the template layer');
  const inLayer = filesUnder(path.join(layersDir(), b.layer, 'upper'));
  assert.ok(inLayer.includes('home/user/app/run.txt') && !inLayer.includes('usr/bin/bash'), 'the layer holds the build\'s changes, not the image');
  // written in the sandbox: its own layer, never the template's
  await run(sbx, 'echo mine > /home/user/app/run.txt', { user: 'root' });
  assert.equal(fs.readFileSync(path.join(layersDir(), b.layer, 'upper', 'home/user/app/run.txt'), 'utf8'), 'from-run\n');
});

test('snapshot and fork of a sandbox from the template stack on its layer too', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  await run(sbx, 'echo changed > /home/user/app/note.txt', { user: 'root' });
  const snap = await sbx.createSnapshot();
  const fromSnap = await Sandbox.create(snap.snapshotId, { timeoutMs: 60_000 });
  d.track(fromSnap);
  assert.equal(await run(fromSnap, 'cat /home/user/app/note.txt /home/user/app/folder/a.txt /opt/owned.txt'), 'changed\ncopied\nmade-by-root\n');
  const forks = await sbx.fork();
  assert.ok(!(forks[0] instanceof Error), String(forks[0]));
  d.track(forks[0]);
  assert.equal(await run(forks[0], 'cat /home/user/app/note.txt; ./tool.sh'), 'changed\nscript-ran\n');
  for (const x of [fromSnap, forks[0]]) {
    const up = filesUnder(path.join(d.stateDir, 'runtime', x.sandboxId, 'upper'));
    assert.ok(!up.includes('opt/owned.txt') && !up.includes('home/user/app/tool.sh'), `no copy of the template in ${x.sandboxId}`);
    await x.kill();
  }
  assert.equal(await Sandbox.deleteSnapshot(snap.snapshotId), true);
});

test("the build's CPU and memory size its sandboxes (cgroup and API)", T, async () => {
  const info = await sbx.getInfo();
  assert.equal(info.cpuCount, 2);
  assert.equal(info.memoryMB, 1024);
  const { Template, Sandbox } = ctx.E;
  const small = `small-${uniq()}`;
  await Template.build(Template().fromTemplate(name).runCmd('echo small > /tmp/small'), small, { cpuCount: 1, memoryMB: 768 });
  const s = await Sandbox.create(small, { timeoutMs: 60_000 });
  ctx.need().track(s);
  const si = await s.getInfo();
  assert.deepEqual([si.cpuCount, si.memoryMB], [1, 768], 'the API reports the template size');
  const listed = (await ctx.need().api('GET', `/sandboxes/${s.sandboxId}`)).json;
  assert.deepEqual([listed.cpuCount, listed.memoryMB], [1, 768]);
  const v2 = cgroupDir('', s.sandboxId);
  const mem = cgroupDir('memory', s.sandboxId);
  if (mem && fs.existsSync(path.join(mem, 'memory.limit_in_bytes'))) {
    assert.equal(+fs.readFileSync(path.join(mem, 'memory.limit_in_bytes'), 'utf8'), 768 * 1048576);
    const cpu = cgroupDir('cpu', s.sandboxId);
    assert.equal(fs.readFileSync(path.join(cpu, 'cpu.cfs_quota_us'), 'utf8').trim(), '100000');
  } else {
    assert.ok(v2, 'the sandbox has a cgroup');
    assert.equal(+fs.readFileSync(path.join(v2, 'memory.max'), 'utf8'), 768 * 1048576);
    assert.equal(fs.readFileSync(path.join(v2, 'cpu.max'), 'utf8').trim(), '100000 100000');
  }
  assert.equal(await run(s, 'cat /tmp/small /home/user/app/run.txt'), 'small\nfrom-run\n');
  await s.kill();
  await ctx.need().api('DELETE', `/templates/${small}`);
});

test('create returns once the ready command passes, or fails clearly after its timeout', T, async () => {
  const d = ctx.need();
  const { Template, Sandbox } = ctx.E;
  const slow = `slow-${uniq()}`;
  // the start command marks the sandbox up after 1.5 s (its own id: a mark the build left in
  // the layer does not count); in a sandbox created with NOT_READY it is never ready
  await Template.build(
    Template()
      .fromBaseImage()
      .setStartCmd('sleep 1.5 && echo "$E2B_SANDBOX_ID" > /tmp/up && sleep 3600', '[ -z "$NOT_READY" ] && [ "$(cat /tmp/up 2>/dev/null)" = "$E2B_SANDBOX_ID" ]'),
    slow,
  );
  const t0 = Date.now();
  const s = await Sandbox.create(slow, { timeoutMs: 60_000 });
  const ms = Date.now() - t0;
  d.track(s);
  assert.equal(await run(s, 'cat /tmp/up'), `${s.sandboxId}\n`, `the ready command had passed when create returned (${ms} ms)`);
  assert.ok(ms >= 1400, `create waited for the start command to become ready (${ms} ms)`);
  await s.kill();
  const t1 = Date.now();
  let err;
  try {
    await Sandbox.create(slow, { timeoutMs: 60_000, envs: { NOT_READY: '1' } });
  } catch (e) {
    err = e;
  }
  const waited = Date.now() - t1;
  assert.ok(err, 'create failed');
  assert.match(err.message, new RegExp(`template '${slow}': ready command .* did not pass within 6s .*the sandbox was removed`));
  assert.ok(waited >= 5500 && waited < 30_000, `after the timeout (${waited} ms)`);
  const tid = (await d.api('GET', `/templates/aliases/${slow}`)).json.templateID;
  const left = (await d.api('GET', '/v2/sandboxes')).json.filter((x) => x.templateID === tid);
  assert.deepEqual(left, [], 'the sandbox is gone');
  assert.equal((await d.api('DELETE', `/templates/${slow}`)).status, 204);
});

// Cached means no step ran again: the rebuilt template's sandbox has the nonce the first build's
// RUN step drew from /dev/urandom, and every step says CACHED. (How fast that is, is a benchmark:
// make bench-template; the times are printed here only as a diagnostic.)
test('rebuilding unchanged is cached: every step CACHED, no RUN step runs again', T, async () => {
  const { Template, Sandbox } = ctx.E;
  const logs = [];
  const t0 = Date.now();
  const info = await Template.build(appTemplate(ctx.E), name, { onBuildLogs: (e) => logs.push(e.message ?? String(e)) });
  const ms = Date.now() - t0;
  assert.equal(info.templateId, tplId, 'same alias, same template');
  const text = logs.join('\n');
  const cached = (text.match(/CACHED/g) || []).length;
  assert.ok(cached >= 5, `every RUN step is CACHED (${cached} in the log):\n${text}`);
  console.log(`# first build ${firstMs} ms, cached rebuild ${ms} ms (${((100 * ms) / firstMs).toFixed(1)} %)`);
  const s = await Sandbox.create(name, { timeoutMs: 60_000 });
  ctx.need().track(s);
  assert.equal(await run(s, 'cat /home/builder/nonce'), firstNonce, 'the RUN step did not run again');
  await s.kill();
});

// GET /templates/{id} pages its builds like E2B cloud (limit, nextToken, X-Next-Token), newest
// first; the TUI's templates view follows the pages (tests/tui/test_templates_cloud.sh).
test('the builds of a template page with limit and nextToken', T, async () => {
  const d = ctx.need();
  const all = await d.api('GET', `/templates/${tplId}`);
  assert.equal(all.status, 200);
  assert.ok(all.json.builds.length >= 2, `two builds at least: ${all.text}`);
  assert.equal(all.headers.get('x-next-token'), null, 'one page holds them all');
  const seen = [];
  let token = null;
  for (let i = 0; i < all.json.builds.length + 1; i++) {
    const r = await d.api('GET', `/templates/${tplId}?limit=1${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.builds.length, 1, r.text);
    assert.equal(r.json.templateID, tplId);
    seen.push(r.json.builds[0].buildID);
    token = r.headers.get('x-next-token');
    if (!token) break;
  }
  assert.deepEqual(seen, all.json.builds.map((b) => b.buildID), 'the pages, in order, are the whole list');
  for (const bad of ['limit=0', 'limit=101', 'nextToken=x', 'nextToken=0'])
    assert.equal((await d.api('GET', `/templates/${tplId}?${bad}`)).status, 400, bad);
});

test('buildInBackground + getBuildStatus polling; tags', T, async () => {
  const { Template } = ctx.E;
  const tname = `bg-${uniq()}`;
  const info = await Template.buildInBackground(
    Template().fromTemplate(name).runCmd('echo layered > /tmp/bg.txt'),
    `${tname}:v1`,
    { tags: ['stable'] },
  );
  let st;
  for (let i = 0; i < 600; i++) {
    st = await Template.getBuildStatus(info);
    if (st.status === 'ready' || st.status === 'error') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(st.status, 'ready', JSON.stringify(st));
  const tags = (await Template.getTags(tname)).map((t) => t.tag).sort();
  assert.deepEqual(tags, ['default', 'stable', 'v1']);
  assert.equal(await Template.exists(`${tname}:stable`), true);
  const s = await ctx.E.Sandbox.create(`${tname}:v1`, { timeoutMs: 60_000 });
  ctx.need().track(s);
  assert.equal(await run(s, 'cat /tmp/bg.txt; cat /home/user/app/run.txt; whoami'), 'layered\nfrom-run\nbuilder\n', 'fromTemplate inherits files and user');
  await s.kill();
  const d = ctx.need();
  const child = await layerOf(d, info.templateId);
  const parent = await layerOf(d, tplId);
  assert.equal(child.parents, `${parent.layer}\n`, 'the child stacks on its parent');
  const own = filesUnder(path.join(layersDir(), child.layer, 'upper'));
  assert.ok(own.includes('tmp/bg.txt') && !own.includes('home/user/app/run.txt'), `the child's layer has only its change: ${own.join(' ')}`);
  bgName = tname;
});

test('a RUN that exits 1: status error with its output, no template, no layer left', T, async () => {
  const { Template } = ctx.E;
  const before = layers().sort();
  const bad = `bad-${uniq()}`;
  const logs = [];
  let err;
  try {
    await Template.build(Template().fromBaseImage().runCmd('echo visible-output; echo on-stderr >&2; exit 1'), bad, {
      onBuildLogs: (e) => logs.push(e.message ?? String(e)),
    });
  } catch (e) {
    err = e;
  }
  assert.ok(err, 'the build failed');
  assert.match(err.message, /exit status 1/);
  const text = logs.join('\n');
  assert.ok(text.includes('visible-output') && text.includes('on-stderr'), text);
  assert.equal(await Template.exists(bad), false);
  assert.deepEqual(layers().sort(), before, 'no layer left on disk');
  const rt = fs.readdirSync(path.join(ctx.need().stateDir, 'runtime')).filter((n) => n.startsWith('tplb-'));
  assert.deepEqual(rt, [], 'no build sandbox left');
});

test("runCmd as user root123 fails with E2B's error text", T, async () => {
  const { Template } = ctx.E;
  let err;
  try {
    await Template.build(Template().fromBaseImage().runCmd('whoami', { user: 'root123' }), `u-${uniq()}`);
  } catch (e) {
    err = e;
  }
  assert.ok(err);
  assert.match(err.message, /failed to run command 'whoami': command failed: unauthenticated: invalid username: 'root123'/);
});

test('hostile uploads: ../ entries, device files, control characters are refused', T, async () => {
  const d = ctx.need();
  const hdr = (nm, type, size = 0, link = '') => {
    const h = Buffer.alloc(512);
    h.write(nm, 0, 100, 'binary');
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(size.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write(type, 156);
    h.write(link, 157, 100, 'binary');
    h.write('ustar\0' + '00', 257, 'binary');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    return h;
  };
  const tar = (...parts) => Buffer.concat([...parts, Buffer.alloc(1024)]);
  const cases = [
    ['dotdot', tar(hdr('../evil.txt', '0'), Buffer.alloc(0)), /'\.\.' leaves/],
    ['device', tar(hdr('dev-null', '3')), /device files/],
    ['control', tar(hdr('bad\x1b[31mname', '0')), /control characters/],
    ['absolute', tar(hdr('/etc/evil', '0')), /absolute path/],
    ['hardlink', tar(hdr('h', '1', 0, '/etc/shadow')), /hard link outside/],
    ['through-symlink', tar(hdr('l', '2', 0, '/etc'), hdr('l/passwd', '0')), /through a symlink/],
  ];
  for (const [what, body, re] of cases) {
    const hash = (what + '0'.repeat(64)).slice(0, 64).replace(/[^0-9a-f]/g, 'a');
    const r = await d.api('GET', `/templates/${tplId}/files/${hash}`);
    assert.equal(r.status, 201, what);
    const url = r.json.url;
    const up = await fetch(url, { method: 'PUT', body: zlib.gzipSync(body) });
    const msg = await up.text();
    assert.equal(up.status, 400, `${what}: ${msg}`);
    assert.match(msg, re, what);
    const again = await d.api('GET', `/templates/${tplId}/files/${hash}`);
    assert.equal(again.json.present, false, `${what}: nothing stored`);
  }
  assert.ok(!fs.existsSync('/evil.txt') && !fs.existsSync('/etc/evil'));
  // a name with control characters, and a COPY step that leaves the context, sent raw
  const badName = await d.api('POST', '/v3/templates', { body: { name: 'bad\u001b[31mname' } });
  assert.equal(badName.status, 400);
  assert.match(badName.json.message, /Invalid name/);
  const cr = await d.api('POST', '/v3/templates', { body: { name: `esc-${uniq()}` } });
  assert.equal(cr.status, 202);
  const st = await d.api('POST', `/v2/templates/${cr.json.templateID}/builds/${cr.json.buildID}`, {
    body: { fromImage: 'e2bdev/base', steps: [{ type: 'COPY', args: ['../outside', '/x', '', ''], filesHash: 'b'.repeat(64) }] },
  });
  assert.equal(st.status, 202);
  let s2;
  for (let i = 0; i < 100; i++) {
    s2 = await d.api('GET', `/templates/${cr.json.templateID}/builds/${cr.json.buildID}/status`);
    if (s2.json.status === 'error' || s2.json.status === 'ready') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(s2.json.status, 'error');
  assert.match(s2.json.reason.message, /outside the build context/);
  const forged = await fetch(`${d.apiUrl}/upload?path=${'a'.repeat(64)}&expires=9999999999&token=${'0'.repeat(64)}`, { method: 'PUT', body: 'x' });
  assert.equal(forged.status, 403);
});

test('delete: refused while a paused sandbox uses it; deferred while running ones and a child template stack on it', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const paused = await Sandbox.create(name, { timeoutMs: 120_000 });
  d.track(paused);
  assert.equal(await paused.pause(), true);
  const r1 = await d.api('DELETE', `/templates/${tplId}`);
  assert.equal(r1.status, 400);
  assert.equal(r1.json.message, `cannot delete template '${tplId}' because there are paused sandboxes using it`);
  await paused.kill();
  const b = await layerOf(d, tplId);
  const layer = path.join(layersDir(), b.layer);
  const before = dirBytes(layersDir());
  const r2 = await d.api('DELETE', `/templates/${tplId}`);
  assert.equal(r2.status, 204, 'running sandboxes do not block the delete (as E2B)');
  assert.equal(await ctx.E.Template.exists(name), false);
  assert.ok(fs.existsSync(layer), 'the layer stays while a sandbox and a child template stack on it');
  assert.equal(await run(sbx, 'cat /home/user/app/folder/a.txt'), 'copied\n', 'the running sandbox still reads it');
  await sbx.kill();
  assert.ok(fs.existsSync(layer), 'still used by the child template');
  const s = await Sandbox.create(bgName, { timeoutMs: 60_000 });
  d.track(s);
  assert.equal(await run(s, 'cat /tmp/bg.txt /home/user/app/run.txt'), 'layered\nfrom-run\n', 'the child works without its parent template');
  await s.kill();
  const child = await layerOf(d, (await d.api('GET', `/templates/aliases/${bgName}`)).json.templateID);
  const r3 = await d.api('DELETE', `/templates/${bgName}`);
  assert.equal(r3.status, 204);
  const after = dirBytes(layersDir());
  console.log(`# layers before the deletes ${before} B, after ${after} B`);
  assert.ok(!fs.existsSync(layer) && !fs.existsSync(path.join(layersDir(), child.layer)), 'both layers freed once nothing uses them');
  assert.ok(after < before, 'the disk figure dropped');
});

test('templates survive a restart', T, async () => {
  const d = ctx.need();
  const list1 = (await d.api('GET', '/templates')).json.map((t) => t.templateID).sort();
  await d.stop();
  // a snapshot record that would stack the host's root under a sandbox is not loaded
  const forged = path.join(d.stateDir, 'snapshots', 'forgedsnap0000000000');
  fs.mkdirSync(forged, { recursive: true });
  fs.writeFileSync(path.join(forged, 'snapshot.json'), JSON.stringify({ templateID: 'forgedsnap0000000000', name: '', tag: 'default', sandboxID: 'ixx', createdMs: 1, bytes: 0, idbase: 0, lowers: '/\n' }));
  await d.restart();
  d.applyEnv();
  const list2 = (await d.api('GET', '/templates')).json.map((t) => t.templateID).sort();
  assert.deepEqual(list2, list1);
  assert.ok(list2.length >= 1, 'base at least');
  const r = await d.api('POST', '/sandboxes', { body: { templateID: 'forgedsnap0000000000', timeout: 30 } });
  assert.equal(r.status, 404, `the forged snapshot is unknown: ${JSON.stringify(r.json)}`);
  fs.rmSync(forged, { recursive: true, force: true });
});

test('teardown leaves nothing behind', T, async () => {
  fs.rmSync(ctxDir, { recursive: true, force: true });
  await ctx.teardown();
});
