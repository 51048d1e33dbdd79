// common.mjs - small helpers shared by the node:test integration files: one boxtopd per file,
// started by the first test, torn down (and checked) by the last.
import assert from 'node:assert/strict';
import { startBoxtopd, loadSdk } from './boxtopd.mjs';

export { assert };

/** State of one test file: `ctx.d` (Boxtopd), `ctx.E` (the e2b module). */
export function fileContext(name) {
  const ctx = { d: null, E: null, startError: null, name };
  ctx.start = async (opts = {}) => {
    ctx.E = await loadSdk();
    try {
      ctx.d = await startBoxtopd({ name, ...opts });
    } catch (e) {
      ctx.startError = e;
      throw e;
    }
    return ctx.d;
  };
  /** Fails the calling test clearly when boxtopd never came up. */
  ctx.need = () => {
    if (!ctx.d) throw new Error(`boxtopd is not running (${ctx.startError ? ctx.startError.message.split('\n')[0] : 'start test failed'})`);
    return ctx.d;
  };
  ctx.teardown = async () => {
    if (!ctx.d) throw new Error('nothing to tear down: boxtopd never started');
    const problems = await ctx.d.teardown();
    assert.deepEqual(problems, [], problems.join('; '));
  };
  return ctx;
}

/** Assert that `p` rejects with an instance of `cls`; returns the error. */
export async function rejectsWith(p, cls, what = '') {
  let err;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `${what} should have failed with ${cls.name} but succeeded`);
  assert.ok(err instanceof cls, `${what} failed with ${err && err.constructor && err.constructor.name}: ${err && err.message} (expected ${cls.name})`);
  return err;
}

export function near(actual, expected, tol, what) {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what}: ${actual} is not within ${tol} of ${expected}`,
  );
}

export const uniq = () => Math.random().toString(36).slice(2, 10);
