// sdk-templates.mjs - issue 19: templates built on boxtopd by the official SDK's
// Template.build()/buildInBackground()/exists()/tags, in the spirit of upstream's js-sdk
// template tests (build, backgroundBuild, exists, tags, methods/runCmd): RUN writes files and a
// script, COPY of a folder with a relative and an absolute symlink, ENV, WORKDIR, USER and a
// start command; a sandbox from it has all of that; a rebuild is cached and fast; a failing RUN
// leaves status error, its output and no layer; an unknown user gives E2B's text; delete is
// refused while a sandbox uses the template and frees the layer after; hostile uploads are
// refused; templates survive a restart.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { assert, fileContext, uniq } from './lib/common.mjs';

const ctx = fileContext('sdk-templates');
const T = { timeout: 300000 };
const name = `tpl-${uniq()}`;
let firstMs = 0;
let tplId = '';
let sbx = null;
const ctxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-tplctx-'));
const layersDir = () => path.join(ctx.need().stateDir, 'templates', 'layers');
const layers = () => (fs.existsSync(layersDir()) ? fs.readdirSync(layersDir()) : []);
const dirBytes = (p) => {
  let n = 0;
  if (!fs.existsSync(p)) return 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    const q = path.join(p, e.name);
    n += e.isDirectory() ? dirBytes(q) : fs.lstatSync(q).size;
  }
  return n;
};
const run = async (s, cmd, opts) => (await s.commands.run(cmd, opts)).stdout;

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
    .setStartCmd('sleep 3601', 'pgrep -f "sleep 3601"');
}

test('boxtopd starts; a build context with a folder and two symlinks', T, async () => {
  await ctx.start();
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
});

test('rebuilding unchanged is cached and takes < 10 % of the first build', T, async () => {
  const { Template } = ctx.E;
  const logs = [];
  const t0 = Date.now();
  const info = await Template.build(appTemplate(ctx.E), name, { onBuildLogs: (e) => logs.push(e.message ?? String(e)) });
  const ms = Date.now() - t0;
  assert.equal(info.templateId, tplId, 'same alias, same template');
  assert.ok(logs.join('\n').includes('CACHED'), 'the log says CACHED');
  console.log(`# first build ${firstMs} ms, cached rebuild ${ms} ms (${((100 * ms) / firstMs).toFixed(1)} %)`);
  assert.ok(ms < firstMs * 0.1, `cached rebuild ${ms} ms vs first ${firstMs} ms`);
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

test('delete is refused while a sandbox uses the template, then frees its layer', T, async () => {
  const d = ctx.need();
  const r1 = await d.api('DELETE', `/templates/${tplId}`);
  assert.equal(r1.status, 400);
  assert.match(r1.json.message, /running sandboxes using it/);
  await sbx.kill();
  const before = dirBytes(layersDir());
  const r2 = await d.api('DELETE', `/templates/${tplId}`);
  assert.equal(r2.status, 204);
  const after = dirBytes(layersDir());
  console.log(`# layers before delete ${before} B, after ${after} B`);
  assert.ok(after < before, 'the layer was freed');
  assert.equal(await ctx.E.Template.exists(name), false);
});

test('templates survive a restart', T, async () => {
  const d = ctx.need();
  const list1 = (await d.api('GET', '/templates')).json.map((t) => t.templateID).sort();
  await d.stop();
  await d.restart();
  d.applyEnv();
  const list2 = (await d.api('GET', '/templates')).json.map((t) => t.templateID).sort();
  assert.deepEqual(list2, list1);
  assert.ok(list2.length >= 2, 'base and the background-built template');
});

test('teardown leaves nothing behind', T, async () => {
  fs.rmSync(ctxDir, { recursive: true, force: true });
  await ctx.teardown();
});
