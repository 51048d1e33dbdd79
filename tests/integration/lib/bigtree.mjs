// bigtree.mjs - what the off-the-loop tests share (cleanup.mjs, snapshot-copy.mjs, ...): a
// sandbox whose agent wrote a tree of empty files (each suite says how big and why), boxtopd's
// helper children by name, its graveyard, and API calls timed against a baseline measured in
// the same run.
import fs from 'node:fs';
import path from 'node:path';
import { assert } from './common.mjs';
import { http, procTable } from './boxtopd.mjs';

/** Pause between two probe calls: calls made back to back took the 2 shared CPUs from the
 * very work they wait for (a copy of 60 000 files ran 2 minutes under ~35 000 calls); a call
 * every ~10 ms still lands dozens of calls inside a copy of a second. */
export const PROBE_GAP_MS = 10;

/** dirs x 1000 empty files under dir of sandbox s, as an agent's build would leave them. */
export async function writeTree(s, dir, dirs) {
  const r = await s.commands.run(
    `mkdir -p ${dir} && cd ${dir} && for d in $(seq 1 ${dirs}); do ` +
      'mkdir $d && (cd $d && seq 1 1000 | xargs touch) || exit 1; done; find . -type f | wc -l',
    { timeoutMs: 300_000 },
  );
  assert.equal(r.stdout.trim(), String(dirs * 1000), 'the tree was written');
}

/** A sandbox of ctx's boxtopd (tracked) whose dir holds dirs x 1000 empty files. */
export async function bigSandbox(ctx, dirs, dir = '/home/user/big', opts = {}) {
  const { Sandbox } = ctx.E;
  const s = await Sandbox.create('base', { timeoutMs: 1_800_000, ...opts }); // outlives the whole file under load
  ctx.need().track(s);
  await writeTree(s, dir, dirs);
  return s;
}

/** What waits in d's graveyard to be deleted. */
export const trash = (d) => fs.readdirSync(path.join(d.stateDir, 'runtime')).filter((n) => n.startsWith('.trash-'));

/** boxtopd's children named comm (boxtopd-rm, boxtopd-copy). */
export const helperChildren = (d, comm) => [...procTable().values()].filter((p) => p.ppid === d.pid && p.comm === comm);

/** One GET /sandboxes: its time in ms. */
export async function apiCall(d) {
  const t0 = performance.now();
  const res = await http(`${d.apiUrl}/sandboxes`, { headers: { 'X-API-Key': d.apiKey }, timeoutMs: 60000 });
  assert.equal(res.status, 200, res.text);
  return performance.now() - t0;
}

/** The median time of 7 API calls made now: what "answered at once" is measured against. */
export async function baselineMedian(d) {
  const base = [];
  for (let i = 0; i < 7; i++) base.push(await apiCall(d));
  base.sort((a, b) => a - b);
  return base[3];
}
