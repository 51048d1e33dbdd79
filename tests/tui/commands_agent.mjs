// commands_agent.mjs - issue 16's scripted agent: 20 calls of the official e2b SDK against the
// boxtopd that E2B_API_URL / E2B_SANDBOX_URL / E2B_API_KEY point at (tests/tui/
// test_commands.sh). Successes, an exit 3, 5 MB of output, a kill by a signal, a background
// command left running (it echoes its stdin), a PTY session, a hostile command line (escape
// sequences, a newline, 10 000 characters). Prints one JSON line: the sandbox id, the
// background pid and each call's label, exit code and duration as the SDK saw it.
import path from 'node:path';

const E = await import(path.join(process.env.BOXTOP_NODE_MODULES, 'e2b/dist/index.mjs'));
const sbx = await E.Sandbox.create('base', { timeoutMs: 900_000 });
const out = { id: sbx.sandboxId, calls: [] };

async function run(label, cmd, opts = {}) {
  const t0 = Date.now();
  let exit;
  try {
    const r = await sbx.commands.run(cmd, opts);
    exit = r.exitCode;
  } catch (e) {
    if (!(e instanceof E.CommandExitError)) throw e;
    exit = e.exitCode;
  }
  out.calls.push({ label, exit, ms: Date.now() - t0 });
}

const big = "head -c 5000000 /dev/zero | tr '\\0' x | fold -w 999";
const hostile = "printf 'hostile-ok\\n' # \x1b[2J\x1b[31mRED\x1b]0;pwned\x07\n: " + 'A'.repeat(10000);
await run('echo', 'echo hello');
await run('ls', 'ls /');
await run('exit3', 'echo before-exit; exit 3');
await run('sleep2', 'sleep 2');
await run('big', big);
await run('killed', 'kill -9 $$');
const bg = await sbx.commands.run(
  'i=0; while :; do i=$((i+1)); echo "tick $i"; if read -t 0.3 l; then echo "got $l"; fi; done',
  { background: true, stdin: true });
out.bgPid = bg.pid;
out.calls.push({ label: 'background', exit: null });
// a PTY session: a shell that runs one command and exits
let ptyText = '';
const dec = new TextDecoder();
const pty = await sbx.pty.create({ cols: 80, rows: 24, onData: (d) => { ptyText += dec.decode(d); } });
await sbx.pty.sendInput(pty.pid, new TextEncoder().encode('echo pty-ok; exit\n'));
const pr = await pty.wait().catch((e) => e);
out.calls.push({ label: 'pty', exit: pr.exitCode, sawOutput: ptyText.includes('pty-ok') });
await run('hostile', hostile);
await run('true', 'true');
await run('false', 'false');
await run('stderr', 'echo to-stderr >&2');
await run('cwd', 'pwd', { cwd: '/tmp' });
await run('root', 'whoami', { user: 'root' });
await run('sleep03', 'sleep 0.3');
await run('seq', 'seq 1 3');
await run('test', 'test -d /nonexistent');
await run('exit42', 'sh -c "exit 42"');
await run('date', 'date');
await run('uname', 'uname -a');
console.log(JSON.stringify(out));
process.exit(0);
