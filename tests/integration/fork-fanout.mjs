// fork-fanout.mjs - a fork with count N freezes its source for one copy, not N: the first
// seed is copied while the source is frozen, the other N-1 from that seed while the source
// runs again (commands answered before the fork's answer); every fork has the files with
// its own owners. Forks over the sandbox limit are refused before anything is copied.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';
import { childrenNamed } from './lib/loop-free.mjs';

const ctx = fileContext('fork-fanout');
const T = { timeout: 600000 };
const DIRS = 40; // x 1000 files

const forkRaw = (d, s, count) =>
  d.api('POST', `/sandboxes/${s.sandboxId}/fork`, { body: { count, timeout: 300 }, timeoutMs: 300000 });

let src;
test(`boxtopd (at most 5 sandboxes) starts; a sandbox of ${DIRS} 000 files`, T, async () => {
  const d = await ctx.start({ extraArgs: ['--max-sandboxes', '5'] });
  src = await ctx.E.Sandbox.create('base', { timeoutMs: 1_800_000 });
  d.track(src);
  const r = await src.commands.run(
    `mkdir -p /home/user/big && cd /home/user/big && for d in $(seq 1 ${DIRS}); do mkdir $d && (cd $d && seq 1 1000 | xargs touch) || exit 1; done`,
    { timeoutMs: 300_000 },
  );
  assert.equal(r.exitCode, 0);
});

test('fork count 3: the source runs commands while the other copies are made', T, async () => {
  const d = ctx.need();
  let settled = false;
  const p = forkRaw(d, src, 3).finally(() => {
    settled = true;
  });
  assert.ok(await waitFor(() => childrenNamed(d, 'boxtopd-copy').length > 0, 30000, 2), 'a copy runs');
  let answered = 0;
  let tries = 0;
  while (!settled) {
    tries++;
    try {
      const r = await src.commands.run('echo ok', { timeoutMs: 3000, requestTimeoutMs: 3000 });
      if (!settled && r.stdout === 'ok\n') answered++;
    } catch {
      // frozen: the start times out
    }
  }
  const r = await p;
  console.log(`# fork count 3: ${answered} of ${tries} commands answered by the source during the fork`);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.length, 3);
  for (const e of r.json) {
    assert.ok(e.sandbox, JSON.stringify(e));
    d.track(e.sandbox.sandboxID);
  }
  assert.ok(answered >= 2, `the source ran again before the fork's answer: ${answered}`);
  for (const e of r.json) {
    const f = await ctx.E.Sandbox.connect(e.sandbox.sandboxID);
    const out = await f.commands.run('find /home/user/big -type f | wc -l; stat -c %U /home/user/big/1/1', { timeoutMs: 120_000 });
    assert.equal(out.stdout, `${DIRS * 1000}\nuser\n`, `fork ${e.sandbox.sandboxID} has the files, its own owners`);
  }
  assert.deepEqual(await forkRaw(d, src, 2).then((x) => x.status), 429, 'over the limit (4 + 2 > 5): refused');
  assert.equal(childrenNamed(d, 'boxtopd-copy').length, 0, 'nothing copied for it');
  for (const e of r.json) assert.equal((await d.api('DELETE', `/sandboxes/${e.sandbox.sandboxID}`)).status, 204);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  await ctx.teardown();
});
