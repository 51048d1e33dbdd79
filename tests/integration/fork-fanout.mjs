// fork-fanout.mjs - a fork with count N freezes its source for one copy, not N: the first
// seed is copied while the source is frozen, the other N-1 from that seed while the source
// runs again (commands answered before the fork's answer); every fork has the files with
// its own owners. Forks over the sandbox limit are refused before anything is copied.
import { test } from 'node:test';
import { assert, fileContext } from './lib/common.mjs';
import { sleep, waitFor } from './lib/boxtopd.mjs';
import { childrenNamed } from './lib/loop-free.mjs';
import { writeTree } from './lib/bigtree.mjs';

const ctx = fileContext('fork-fanout');
const T = { timeout: 600000 };
// x 1000 empty files in the source: copying them from the seed (twice) must outlast >= 2 commands
// run by the source; 10 000 took 0.8 s with 20 answered on the shared machine (the copy runs
// niced: under load it takes minutes). 40 000 with commands back to back: 3.5 min
const DIRS = 10;
const GAP_MS = 25; // between two commands: back to back they took the CPU from the copies

const forkRaw = (d, s, count) =>
  d.api('POST', `/sandboxes/${s.sandboxId}/fork`, { body: { count, timeout: 300 }, timeoutMs: 300000 });

let src;
test(`boxtopd (at most 5 sandboxes) starts; a sandbox of ${DIRS} 000 files`, T, async () => {
  const d = await ctx.start({ extraArgs: ['--max-sandboxes', '5'] });
  src = await ctx.E.Sandbox.create('base', { timeoutMs: 1_800_000 });
  d.track(src);
  await writeTree(src, '/home/user/big', DIRS);
});

test('fork count 3: the source runs commands while the other copies are made', T, async () => {
  const d = ctx.need();
  let settled = false;
  const t0 = performance.now();
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
    if (!settled) await sleep(GAP_MS);
  }
  const r = await p;
  console.log(`# fork count 3 (${((performance.now() - t0) / 1000).toFixed(1)} s): ${answered} of ${tries} commands answered by the source during the fork`);
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
