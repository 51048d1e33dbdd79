// files_tui.mjs - bench helper: one transfer with the official SDK (e2b), streamed both ways.
// Usage: node files_tui.mjs up|down LOCAL REMOTE SANDBOX_ID  → prints "bytes seconds peak_rss_kb"
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createRequire } from 'node:module';

const require = createRequire(process.env.BOXTOP_NODE_MODULES + '/');
const { Sandbox } = require('e2b');
const [dir, local, remote, id] = process.argv.slice(2);
const sbx = await Sandbox.connect(id);
const t0 = performance.now();
let bytes = 0;
if (dir === 'up') {
    bytes = fs.statSync(local).size;
    await sbx.files.write(remote, Readable.toWeb(fs.createReadStream(local)));
} else {
    const stream = await sbx.files.read(remote, { format: 'stream' });
    await pipeline(Readable.fromWeb(stream), fs.createWriteStream(local));
    bytes = fs.statSync(local).size;
}
const secs = (performance.now() - t0) / 1000;
console.log(`${bytes} ${secs.toFixed(3)} ${process.resourceUsage().maxRSS}`);
