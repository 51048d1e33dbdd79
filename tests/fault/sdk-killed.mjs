// sdk-killed.mjs - upstream js-sdk's sandboxKilledDuringRun against boxtopd: a command streams
// output, the sandbox is killed, and the SDK's wait() rejects with a TimeoutError saying the
// sandbox was killed (boxtopd cuts the stream as E2B's edge does; /health then answers 502).
// argv: the SDK module. Prints one line: "ok <error>" or "fail <what happened>".
const E = await import(process.argv[2]);
const s = await E.Sandbox.create();
const h = await s.commands.run('for i in $(seq 1 200); do echo $i; sleep 0.1; done', { background: true });
await new Promise((r) => setTimeout(r, 1000));
await s.kill();
const t0 = Date.now();
try {
  await h.wait();
  console.log('fail the command finished normally');
} catch (e) {
  const msg = `${e.constructor.name}: ${e.message} (${Date.now() - t0} ms)`;
  console.log(e instanceof E.TimeoutError && /sandbox was killed/.test(e.message) ? `ok ${msg}` : `fail ${msg}`);
}
