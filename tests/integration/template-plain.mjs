// template-plain.mjs - in plain mode (BOXTOPD_ISOLATION=plain: no overlay, a template's layer
// is a whole copy of the build's home) the build's layer and a sandbox made from it are
// copied off boxtopd's loop by a boxtopd-copy child: API calls are answered while they are
// copied, and the sandbox has every file.
import { test } from 'node:test';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { apiCall, duringChild } from './lib/loop-free.mjs';

const ctx = fileContext('template-plain');
const T = { timeout: 600000 };
const DIRS = 60; // x 1000 files

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
  const s = await duringChild(d, 'boxtopd-copy', () => Sandbox.create(name, { timeoutMs: 120_000 }), [() => apiCall(d)], 'create from it');
  d.track(s);
  const r = await s.commands.run('find "$HOME/big" -type f | wc -l', { timeoutMs: 120_000 });
  assert.equal(r.stdout.trim(), String(DIRS * 1000));
  await s.kill();
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
