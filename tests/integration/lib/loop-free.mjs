// loop-free.mjs - is boxtopd's loop free while big file work runs in one of its children?
// Calls other API and envd requests while an operation runs and counts those answered while
// the same child (by name) ran before and after them; the slowest is judged against a
// baseline median of the same calls measured just before, on the same machine.
import { assert } from './common.mjs';
import { sleep, waitFor } from './boxtopd.mjs';
import { PROBE_GAP_MS, apiCall, helperChildren as childrenNamed } from './bigtree.mjs';

export { apiCall, childrenNamed }; // GET /sandboxes timed; boxtopd's children by prctl name

/** An envd call into sandbox s (Stat of its home through the SDK); returns its time in ms. */
export async function envdCall(s) {
  const t0 = performance.now();
  assert.equal(await s.files.exists('/home/user', { requestTimeoutMs: 60000 }), true);
  return performance.now() - t0;
}

/** Median of 7 runs of each probe, one after the other. */
async function baseline(probes) {
  const t = [];
  for (let i = 0; i < 7; i++) for (const p of probes) t.push(await p());
  t.sort((a, b) => a - b);
  return t[t.length >> 1];
}

/** Runs op() (a promise) and the probes in turn (PROBE_GAP_MS apart) until it settles.
 * Returns op's result; asserts a child named comm did the work, >= 3 calls were answered
 * while it ran, the slowest took < 1 s + 40 x the baseline median, and the child was reaped.
 * check(), when given, runs after a call that overlapped the child (state seen mid-way), up
 * to 3 times; a check that returns false saw nothing to judge and does not count. */
export async function duringChild(d, comm, op, probes, what, check) {
  const median = await baseline(probes);
  let settled = false;
  const t0 = performance.now();
  const p = op().finally(() => {
    settled = true;
  });
  p.catch(() => {});
  let overlapped = 0;
  let slowest = 0;
  let sawChild = false;
  let checked = 0;
  for (let i = 0; !settled; i++) {
    const kids = childrenNamed(d, comm).map((c) => c.pid);
    const ms = await probes[i % probes.length]();
    const after = childrenNamed(d, comm).map((c) => c.pid);
    if (kids.length) sawChild = true;
    slowest = Math.max(slowest, ms);
    if (!settled && kids.some((k) => after.includes(k))) {
      overlapped++;
      if (check && checked < 3 && (await check()) !== false) checked++;
    }
    if (!settled) await sleep(PROBE_GAP_MS);
  }
  const out = await p;
  const took = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`# ${what} (${took} s): ${overlapped} calls answered during the work, slowest ${slowest.toFixed(1)} ms, baseline median ${median.toFixed(1)} ms`);
  assert.ok(sawChild, `the work ran in a ${comm} child`);
  assert.ok(overlapped >= 3, `calls answered while the work ran (before its answer): ${overlapped}`);
  assert.ok(slowest < 1000 + 40 * median, `slowest call ${slowest.toFixed(1)} ms vs median ${median.toFixed(1)} ms`);
  assert.ok(await waitFor(() => childrenNamed(d, comm).length === 0, 10000), `the ${comm} child was reaped`);
  return out;
}
