// sdk-faults.mjs - the official E2B SDK against boxtopd through tests/fault/proxy.c: each
// fault makes the SDK throw an error it understands (a message, a TimeoutError for a stall
// with a request timeout), within a bounded time, and the same calls succeed once the proxy
// heals. Run by test_faults.sh: argv = sdk module, sandbox id, API mode file, envd mode file,
// file path in the sandbox. Prints TAP lines (no plan: the caller counts them).
import fs from 'node:fs';

const [sdkPath, id, apiMode, envdMode, bigPath] = process.argv.slice(2);
const E = await import(sdkPath);
const setMode = async (file, m) => {
  fs.writeFileSync(file, m + '\n');
  await new Promise((r) => setTimeout(r, 300));
};
let n = 0;
const ok = (cond, what) => console.log(`${cond ? 'ok' : 'not ok'} - ${what}`);
async function fails(fn, what, check = () => true) {
  const t0 = Date.now();
  try {
    await fn();
    ok(false, `${what}: it succeeded`);
  } catch (e) {
    const ms = Date.now() - t0;
    console.log(`# ${what}: ${e.constructor.name}: ${String(e.message).split('\n')[0].slice(0, 160)} (${ms} ms)`);
    ok(e.message && ms < 20000 && check(e), `${what}: the SDK throws ${e.constructor.name} with a message`);
  }
  n++;
}

const opts = { requestTimeoutMs: 3000 };
await setMode(apiMode, 'drop 200');
await fails(() => E.Sandbox.getInfo(id, opts), 'API response dropped mid-way');
await setMode(apiMode, 'reset 200');
await fails(() => E.Sandbox.getInfo(id, opts), 'API connection reset');
await setMode(apiMode, 'stall');
await fails(() => E.Sandbox.getInfo(id, opts), 'API stalled (3 s request timeout)', (e) => e instanceof E.TimeoutError || e.name === 'TimeoutError');
await setMode(apiMode, 'pass');
const info = await E.Sandbox.getInfo(id, opts);
ok(info.sandboxId === id, 'API healed: getInfo answers');

const sbx = await E.Sandbox.connect(id);
await setMode(envdMode, 'reset 5000000');
await fails(() => sbx.files.read(bigPath, { format: 'bytes', requestTimeoutMs: 15000 }), 'envd download reset at 5 MB');
await setMode(envdMode, 'truncate 5000000');
await fails(() => sbx.files.read(bigPath, { format: 'bytes', requestTimeoutMs: 15000 }), 'envd download truncated at 5 MB');
await setMode(envdMode, 'stall');
await fails(() => sbx.commands.run('echo hi', { requestTimeoutMs: 3000 }), 'envd stalled (3 s request timeout)', (e) => e instanceof E.TimeoutError);
await setMode(envdMode, 'pass');
const r = await sbx.commands.run('echo healed-$((6*7))');
ok(r.stdout.trim() === 'healed-42', 'envd healed: a command runs');
