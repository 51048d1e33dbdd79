// cli-template.mjs - issue 19: `boxtop template build|ls|info|status|tag|rm` against boxtopd.
// An e2b.Dockerfile with RUN steps that write files and a script, COPY of a folder with a
// relative and an absolute symlink, ENV, WORKDIR, USER and CMD builds with --follow; a sandbox
// from it matches one from the same template built by the SDK's Template.build(); hostile
// template files (10 000 lines, COPY ../, control characters, unknown instructions) are
// refused naming the line, with nothing uploaded; a failing RUN exits 1 with its output.
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { builddir } from './lib/boxtopd.mjs';

const ctx = fileContext('cli-template');
const T = { timeout: 240000 };
const boxtop = path.join(builddir, 'src/boxtop');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'boxtop-clitpl-'));
const name = `cli-${uniq()}`;
let tid = '';
let bid = '';

function run(args, { timeoutMs = 180000 } = {}) {
  const d = ctx.need();
  const env = { ...process.env, E2B_API_URL: d.apiUrl, E2B_SANDBOX_URL: d.sandboxUrl, E2B_API_KEY: d.apiKey, LANG: 'C.UTF-8' };
  delete env.E2B_DOMAIN;
  return new Promise((resolve) => {
    const p = spawn(boxtop, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}
const ok = (r, what) => assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
const sh = async (s, cmd) => (await s.commands.run(cmd)).stdout;
const FINGERPRINT =
  'cd /srv/app && find . -printf "%p %m %u %l\\n" | sort; echo "$GREETING|$FULL"; pwd; whoami; cat /srv/app/out.txt; ./hello.sh; ' +
  'pgrep -f "sleep 3602" >/dev/null && echo start-running';

const DOCKERFILE = `# a template built by boxtop
FROM base
RUN mkdir -p /srv/app && \\
    echo from-run > /srv/app/out.txt
COPY folder /srv/app/folder
ENV GREETING=hello FULL="$GREETING world"
WORKDIR /srv/app
RUN printf '#!/bin/sh\\necho hello-script\\n' > hello.sh && chmod 755 hello.sh
USER root
RUN chown -R user /srv/app
USER user
CMD sleep 3602
`;

test('boxtopd starts; a build context with a Dockerfile and a folder with symlinks', T, async () => {
  await ctx.start();
  fs.mkdirSync(path.join(dir, 'folder', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'folder', 'a.txt'), 'copied\n');
  fs.writeFileSync(path.join(dir, 'folder', 'sub', 'x.sh'), '#!/bin/sh\n', { mode: 0o750 });
  fs.symlinkSync('a.txt', path.join(dir, 'folder', 'rel'));
  fs.symlinkSync('/etc/os-release', path.join(dir, 'folder', 'abs'));
  fs.writeFileSync(path.join(dir, 'e2b.Dockerfile'), DOCKERFILE);
});

test('boxtop template build --follow prints every step live and ends ready', T, async () => {
  const r = await run(['template', 'build', path.join(dir, 'e2b.Dockerfile'), '--name', name, '--follow']);
  ok(r, 'build');
  for (const s of ['[builder 1/', 'USER root', 'RUN mkdir', 'COPY folder', 'ENV GREETING', 'WORKDIR /srv/app', 'USER root', 'Running start command', 'Build finished'])
    assert.ok(r.stdout.includes(s), `output shows ${s}:\n${r.stdout}`);
  const last = r.stdout.trim().split('\n').pop().split(' ');
  [tid, bid] = last;
  assert.match(tid, /^[a-z0-9]{20}$/);
  assert.equal(last[2], 'ready');
  assert.match(r.stderr, /Uploaded 'folder'/);
});

test('a sandbox from it equals one from the same template built by Template.build()', T, async () => {
  const { Sandbox, Template } = ctx.E;
  const sdkName = `sdk-${uniq()}`;
  await Template.build(
    Template({ fileContextPath: dir })
      .fromTemplate('base')
      .setUser('root')
      .setWorkdir('/')
      .runCmd('mkdir -p /srv/app && echo from-run > /srv/app/out.txt')
      .copy('folder', '/srv/app/folder')
      .setEnvs({ GREETING: 'hello', FULL: '$GREETING world' })
      .setWorkdir('/srv/app')
      .runCmd("printf '#!/bin/sh\\necho hello-script\\n' > hello.sh && chmod 755 hello.sh")
      .setUser('root')
      .runCmd('chown -R user /srv/app')
      .setUser('user')
      .setStartCmd('sleep 3602', 'sleep 1'),
    sdkName,
  );
  const a = await Sandbox.create(name, { timeoutMs: 60_000 });
  const b = await Sandbox.create(sdkName, { timeoutMs: 60_000 });
  ctx.need().track(a);
  ctx.need().track(b);
  const fa = await sh(a, FINGERPRINT);
  const fb = await sh(b, FINGERPRINT);
  assert.ok(fa.includes('./folder/abs 777 user /etc/os-release') && fa.includes('./folder/rel 777 user a.txt'), fa);
  assert.ok(fa.includes('hello|hello world\n/srv/app\nuser\nfrom-run\nhello-script\nstart-running'), fa);
  assert.equal(fa, fb, 'identical sandboxes');
  await a.kill();
  await b.kill();
});

test('template ls / info / status / tag with --json', T, async () => {
  const ls = await run(['template', 'ls', '--json']);
  ok(ls, 'ls');
  const t = JSON.parse(ls.stdout).find((x) => x.templateID === tid);
  assert.ok(t, ls.stdout);
  assert.deepEqual(t.aliases, [name]);
  const plain = await run(['template', 'ls']);
  assert.ok(plain.stdout.includes(tid) && plain.stdout.includes(name), plain.stdout);
  const info = await run(['template', 'info', tid, '--json']);
  ok(info, 'info');
  assert.equal(JSON.parse(info.stdout).builds[0].status, 'ready');
  const st = await run(['template', 'status', tid, bid, '--json']);
  ok(st, 'status');
  assert.equal(JSON.parse(st.stdout).status, 'ready');
  const tag = await run(['template', 'tag', name, 'prod', 'v2', '--json']);
  ok(tag, 'tag');
  assert.deepEqual(JSON.parse(tag.stdout), { buildID: bid, tags: ['prod', 'v2'] });
  assert.equal(await ctx.E.Template.exists(`${name}:prod`), true);
});

test('hostile template files are refused naming the line; nothing is created', T, async () => {
  const d = ctx.need();
  const before = (await d.api('GET', '/templates')).json.length;
  const cases = [
    ['huge', 'FROM base\n' + 'RUN true\n'.repeat(9999), /line 502: too many instructions/],
    ['escape', 'FROM base\nRUN true\nCOPY ../secret /x\n', /line 3: COPY source '\.\.\/secret' is outside the build context/],
    ['unknown', 'FROM base\nRUN true\nHEALTHCHECK CMD true\n', /line 3: unknown instruction 'HEALTHCHECK'/],
    ['control', 'FROM base\nRUN echo \x1b[31mred\n', /line 2: control characters are not allowed/],
    ['no-from', 'RUN true\n', /line 1: the first instruction must be FROM/],
  ];
  for (const [what, text, re] of cases) {
    const f = path.join(dir, `${what}.Dockerfile`);
    fs.writeFileSync(f, text);
    const r = await run(['template', 'build', f, '--name', `h-${uniq()}`]);
    assert.notEqual(r.code, 0, what);
    assert.match(r.stderr, re, `${what}: ${r.stderr}`);
    assert.ok(!/\x1b/.test(r.stderr), `${what}: no escape reaches the terminal`);
  }
  // a device file in the context is refused before anything is uploaded
  const f = path.join(dir, 'dev.Dockerfile');
  fs.writeFileSync(f, 'FROM base\nCOPY devdir /x\n');
  fs.mkdirSync(path.join(dir, 'devdir'));
  spawn('mkfifo', [path.join(dir, 'devdir', 'fifo')]);
  await new Promise((r) => setTimeout(r, 300));
  const r = await run(['template', 'build', f, '--name', `h-${uniq()}`]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /device file, FIFO or socket/);
  assert.equal((await d.api('GET', '/templates')).json.length, before, 'no template registered');
});

test('a failing RUN: exit 1, its output shown, status error', T, async () => {
  const f = path.join(dir, 'fail.Dockerfile');
  fs.writeFileSync(f, 'FROM base\nRUN echo shown-before-failing; exit 1\n');
  const r = await run(['template', 'build', f, '--name', `f-${uniq()}`, '--follow']);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stdout.includes('shown-before-failing'), r.stdout);
  assert.match(r.stderr, /exit status 1/);
});

test('template rm deletes it', T, async () => {
  const r = await run(['template', 'rm', name]);
  ok(r, 'rm');
  assert.equal(await ctx.E.Template.exists(name), false);
  const again = await run(['template', 'rm', name]);
  assert.notEqual(again.code, 0);
});

test('teardown leaves nothing behind', T, async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await ctx.teardown();
});
