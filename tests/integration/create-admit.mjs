// create-admit.mjs - a create from a snapshot is let in or refused before its files are
// copied: with --max-sandboxes 2, the source running and one create from its snapshot
// copying, a second create is refused at once (429, Retry-After) without a copy of its own;
// the first is created; its slot is free again once it is killed, and a refused create never
// holds one.
import { test } from 'node:test';
import { assert, fileContext, uniq } from './lib/common.mjs';
import { waitFor } from './lib/boxtopd.mjs';
import { childrenNamed } from './lib/loop-free.mjs';
import { writeTree } from './lib/bigtree.mjs';

const ctx = fileContext('create-admit');
const T = { timeout: 600000 };
// x 1000 empty files in the snapshot: the first create's copy must outlast the second create's
// request, sent once the copy child is seen (logged: "first still copying")
const DIRS = 10;

const createFrom = (d, id) => d.api('POST', '/sandboxes', { body: { templateID: id, timeout: 300 }, timeoutMs: 300000 });

let src, snapId;
test(`boxtopd (at most 2 sandboxes) starts; a sandbox of ${DIRS} 000 files and its snapshot`, T, async () => {
  const d = await ctx.start({ extraArgs: ['--max-sandboxes', '2'] });
  src = await ctx.E.Sandbox.create('base', { timeoutMs: 1_800_000 });
  d.track(src);
  await writeTree(src, '/home/user/big', DIRS);
  snapId = (await src.createSnapshot({ name: `admit-${uniq()}` })).snapshotId;
});

test('the second create while the first copies: 429 at once, no copy of its own', T, async () => {
  const d = ctx.need();
  let most = 0;
  let polling = true;
  const poll = (async () => {
    while (polling) {
      most = Math.max(most, childrenNamed(d, 'boxtopd-copy').length);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  let second, copying, one;
  try {
    const first = createFrom(d, snapId);
    assert.ok(await waitFor(() => childrenNamed(d, 'boxtopd-copy').length > 0, 30000, 2), 'the first copies');
    second = await createFrom(d, snapId);
    copying = childrenNamed(d, 'boxtopd-copy').length > 0;
    one = await first;
  } finally {
    polling = false;
    await poll;
  }
  console.log(`# second create: ${second.status} (first still copying: ${copying}); copies at once at most: ${most}`);
  assert.equal(second.status, 429, second.text);
  assert.match(second.json.message, /maximum number of concurrent/);
  assert.ok(Number(second.headers.get('retry-after')) >= 1, 'Retry-After');
  assert.equal(most, 1, 'the refused create copied nothing');
  assert.equal(one.status, 201, one.text);
  d.track(one.json.sandboxID);
  const again = await createFrom(d, snapId);
  assert.equal(again.status, 429, 'both slots are taken: refused before a copy');
  assert.equal((await d.api('DELETE', `/sandboxes/${one.json.sandboxID}`)).status, 204);
  const third = await createFrom(d, snapId);
  assert.equal(third.status, 201, `a slot is free again: ${third.text}`);
  d.track(third.json.sandboxID);
  assert.equal((await d.api('DELETE', `/sandboxes/${third.json.sandboxID}`)).status, 204);
});

test('teardown: sandboxes killed, boxtopd exits 0, no process left', T, async () => {
  try {
    for (const s of await ctx.E.Sandbox.list().nextItems()) if (s.sandboxId !== src.sandboxId) await ctx.E.Sandbox.kill(s.sandboxId);
    assert.equal(await ctx.E.Sandbox.deleteSnapshot(snapId), true);
  } finally {
    await ctx.teardown();
  }
});
