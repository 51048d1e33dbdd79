// template_probe.mjs - what a sandbox built from test_template_build.sh's e2b.Dockerfile has,
// seen through the official e2b SDK with the template's defaults (no user or cwd given):
// its files with modes, owners and link targets, the environment, working directory, user,
// the script's output and whether the start command runs. Prints the command's stdout.
//   node template_probe.mjs SANDBOX_ID   (E2B_API_URL / E2B_SANDBOX_URL / E2B_API_KEY set)
import path from 'node:path';

const E = await import(path.join(process.env.BOXTOP_NODE_MODULES, 'e2b/dist/index.mjs'));
const sbx = await E.Sandbox.connect(process.argv[2]);
const r = await sbx.commands.run(
  'find /srv/app -printf "%p %m %u %l\\n" | sort; echo "env=$GREETING"; echo "cwd=$(pwd)"; ' +
    'echo "user=$(whoami)"; cat /srv/app/out.txt /srv/app/folder/rel; ./hi.sh; ' +
    'pgrep -f "sleep 3603" >/dev/null && echo start-running');
process.stdout.write(r.stdout);
