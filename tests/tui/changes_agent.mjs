// changes_agent.mjs - issue 17's scripted agent for test_changes.sh: with the official e2b SDK
// against the boxtopd that E2B_API_URL / E2B_SANDBOX_URL / E2B_API_KEY point at, it writes 3
// files (text, 300 KB of binary, one in a new directory), appends to ~/.bashrc and deletes
// ~/gone.txt in sandbox argv[2]; the same bytes go to argv[3]/ for the test to compare.
import fs from 'node:fs';
import path from 'node:path';

const E = await import(path.join(process.env.BOXTOP_NODE_MODULES, 'e2b/dist/index.mjs'));
const [id, local] = process.argv.slice(2);
const sbx = await E.Sandbox.connect(id);
const bin = Buffer.alloc(300 * 1024);
for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
const files = {
  'home/user/notes.txt': Buffer.from('the agent was here\n'),
  'home/user/model.bin': bin,
  'home/user/out/result.csv': Buffer.from('a,b\n1,2\n'),
};
for (const [p, data] of Object.entries(files)) {
  await sbx.files.write('/' + p, new Blob([data]));
  fs.mkdirSync(path.join(local, path.dirname(p)), { recursive: true });
  fs.writeFileSync(path.join(local, p), data);
}
const rc = await sbx.files.read('/home/user/.bashrc');
const bashrc = rc + 'export AGENT=1\n';
await sbx.files.write('/home/user/.bashrc', bashrc);
fs.writeFileSync(path.join(local, 'home/user/.bashrc'), bashrc);
await sbx.files.remove('/home/user/gone.txt');
console.log(JSON.stringify({ ok: true }));
