// template-plain.mjs - in plain mode (BOXTOPD_ISOLATION=plain: no overlay, a template's layer
// is a whole copy of the build's home) the build's layer and a sandbox made from it are
// copied off boxtopd's loop by a boxtopd-copy child: API calls are answered while they are
// copied, and the sandbox has every file; a template built on a plain one has both layers.
import { test } from 'node:test';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { apiCall, duringChild } from './lib/loop-free.mjs';

const ctx = fileContext('template-plain');
const T = { timeout: 600000 };
// x 1000 empty files in the template: saving its layer and seeding a sandbox from it (each a
// whole copy in plain mode) must each outlast >= 3 API calls ~10 ms apart; the seeding of
// 15 000 took 0.4 s with 16 calls answered on the shared machine (the copy runs niced: under
// load it takes a minute). 60 000 with calls back to back: 3.5 min
const DIRS = 15;

let name;
test('boxtopd starts in plain mode', T, async () => {
  process.env.BOXTOPD_ISOLATION = 'plain';
  try {
    await ctx.start();
  } finally {
    delete process.env.BOXTOPD_ISOLATION;
  }
});

test(`a template of ${DIRS} 000 files: its layer is saved off the loop`, T, async () => {
  const d = ctx.need();
  const { Template } = ctx.E;
  name = `plain-${uniq()}`;
  const tpl = Template()
    .fromBaseImage()
    .runCmd(`mkdir -p "$HOME/big" && cd "$HOME/big" && for d in $(seq 1 ${DIRS}); do mkdir $d && (cd $d && seq 1 1000 | xargs touch) || exit 1; done`);
  await duringChild(d, 'boxtopd-copy', () => Template.build(tpl, name, { requestTimeoutMs: 600_000 }), [() => apiCall(d)], 'template layer');
});

test('a sandbox from it is seeded off the loop and has every file', T, async () => {
  const d = ctx.need();
  const { Sandbox } = ctx.E;
  const s = await duringChild(d, 'boxtopd-copy', () => Sandbox.create(name, { timeoutMs: 120_000, requestTimeoutMs: 300_000 }), [() => apiCall(d)], 'create from it');
  d.track(s);
  const r = await s.commands.run('find "$HOME/big" -type f | wc -l', { timeoutMs: 120_000 });
  assert.equal(r.stdout.trim(), String(DIRS * 1000));
  await s.kill();
});

test('a template built on a plain one (a whole copy as its parent) has both layers of files', T, async () => {
  const d = ctx.need();
  const { Sandbox, Template } = ctx.E;
  const parent = `${name}-small`;
  const child = `${name}-child`;
  await Template.build(Template().fromBaseImage().runCmd('mkdir -p "$HOME/p" && touch "$HOME/p/a" "$HOME/p/b"'), parent, { requestTimeoutMs: 600_000 });
  await Template.build(Template().fromTemplate(parent).runCmd('echo child > "$HOME/child.txt"'), child, { requestTimeoutMs: 600_000 });
  const s = await Sandbox.create(child, { timeoutMs: 120_000, requestTimeoutMs: 300_000 });
  d.track(s);
  assert.equal((await s.commands.run('ls "$HOME/p"; cat "$HOME/child.txt"')).stdout, 'a\nb\nchild\n');
  await s.kill();
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
