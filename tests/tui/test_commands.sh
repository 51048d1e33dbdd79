#!/bin/bash
# test_commands.sh - issue 16 acceptance against a real boxtopd, the official e2b SDK playing
# the agent (tests/tui/commands_agent.mjs: 20 calls): the commands view (`c`) lists all 20
# with the right results and durations, the hostile command line sanitized on one line; the
# 5 MB command's output ends with the truncation marker at the 2 MiB cap; attaching to the
# running command shows new output live with no line twice or missing at the seam, `i` input
# reaches it and `K` kills it (its row turns to the signal result); `boxtop commands ID PID`
# reproduces the stdout byte for byte up to the cap and exits with the command's status.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
N=15
echo "1..$N"
BOXTOPD_EXIT_HOOK='tui_stop; rm -rf "$TMPD"'
fail_all() { for i in $(seq 1 $N); do echo "not ok $i - $1"; done; exit 1; }
boxtopd_start tui-commands || fail_all "boxtopd did not start"
export BOXTOP_NODE_MODULES="$abs_top_builddir/tests/node_modules"
[ -d "$BOXTOP_NODE_MODULES/e2b" ] || BOXTOP_NODE_MODULES="$abs_top_srcdir/tests/node_modules"
node "$abs_top_srcdir/tests/tui/commands_agent.mjs" > "$TMPD/agent.json" 2> "$TMPD/agent.err" ||
    { sed 's/^/# /' "$TMPD/agent.err"; fail_all "the SDK agent failed"; }
ID=$(boxtopd_json j.id < "$TMPD/agent.json")
BG=$(boxtopd_json j.bgPid < "$TMPD/agent.json")

# durations as the SDK saw them vs. as the log has them (every finished call, within 1 s)
"$BOXTOP" commands "$ID" --json > "$TMPD/cmds.json"
node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1])), c = JSON.parse(require("fs").readFileSync(process.argv[2]));
const calls = a.calls;
if (c.length !== 20) { console.log("# " + c.length + " commands"); process.exit(1); }
for (let i = 0; i < 20; i++) {
  if (calls[i].ms === undefined) continue;
  const d = Math.abs(c[i].durationMs - calls[i].ms);
  if (d > 1000) { console.log("# " + calls[i].label + ": " + c[i].durationMs + " vs " + calls[i].ms); process.exit(1); }
  const want = calls[i].exit === -1 ? "signal: killed" : "exit " + calls[i].exit;
  if (c[i].result !== want) { console.log("# " + calls[i].label + ": " + c[i].result); process.exit(1); }
}' "$TMPD/agent.json" "$TMPD/cmds.json"
ok $? "the log holds all 20 calls, in order, with the SDK's results and durations within 1 s"

tui_start 200 50 --api-url "$E2B_API_URL"
tui_wait "$ID" 10
tui_keys c
tui_wait "Commands $ID +20 commands, 5 failed, 1 running" 10
ok $? "c opens the commands view: 20 commands, 5 failed, 1 running"
scr=$(tui_screen)
rows=$(printf '%s\n' "$scr" | grep -cE '^ +[0-9]{2}:[0-9]{2}:[0-9]{2} ')
printf '%s\n' "$scr" | grep -Eq ' exit 3 +[0-9]+ +echo before-exit; exit 3' &&
    printf '%s\n' "$scr" | grep -Eq 'signal: killed +[0-9]+ +kill -9' &&
    printf '%s\n' "$scr" | grep -Eq 'exit 42 +[0-9]+ +sh -c "exit 42"' &&
    printf '%s\n' "$scr" | grep -Eq '▶ running +'"$BG"' +i=0; while' &&
    printf '%s\n' "$scr" | grep -Eq 'exit 0 +[0-9]+ +bash \(terminal\)' &&
    printf '%s\n' "$scr" | grep -Eq ' 2\.[01]s +exit 0 +[0-9]+ +sleep 2 ' && [ "$rows" -eq 20 ]
ok $? "every row has its result (exit 3, signal, exit 42, running, the PTY) and duration ($rows rows)"
line=$(printf '%s\n' "$scr" | grep "printf 'hostile-ok")
next=$(printf '%s\n' "$scr" | grep -A1 "printf 'hostile-ok" | tail -1)
[ -n "$line" ] && ! tui_screen_e | grep "hostile-ok" | grep -q $'\033\\[2J' &&
    ! printf '%s' "$line" | grep -q pwned$'\a' && printf '%s\n' "$next" | grep -Eq ' true +'
ok $? "the hostile command line is shown sanitized, on one line"

# the 5 MB command: output ends with the marker at the 2 MiB cap
tui_keys /; tui_type 'fold'; tui_keys Enter
tui_wait 'filter: fold' 3 && tui_keys Enter
tui_wait 'output truncated: command exceeded log capture limit' 10 &&
    tui_wait 'x{150}' 3 && tui_wait '— exit 0 —' 3
ok $? "the 5 MB command's output ends with the truncation marker and its result"
BIG=$(boxtopd_json 'j.find(c=>c.display.includes("fold -w 999")).pid' < "$TMPD/cmds.json")
"$BOXTOP" commands "$ID" "$BIG" > "$TMPD/big.out" 2> "$TMPD/big.err"
rc=$?
head -c 5000000 /dev/zero | tr '\0' x | fold -w 999 | head -n 2100 > "$TMPD/big.want"
cmp -s "$TMPD/big.out" "$TMPD/big.want" && [ $rc -eq 0 ] &&
    grep -q 'output truncated' "$TMPD/big.err"
ok $? "boxtop commands ID PID: stdout byte for byte up to the cap (2100 lines of 999), exit 0 (rc $rc)"
X3=$(boxtopd_json 'j.find(c=>c.display.includes("before-exit")).pid' < "$TMPD/cmds.json")
"$BOXTOP" commands "$ID" "$X3" > "$TMPD/x3.out" 2>/dev/null
rc=$?
[ $rc -eq 3 ] && [ "$(cat "$TMPD/x3.out")" = before-exit ]
ok $? "boxtop commands ID PID exits with the command's exit code (3: $rc)"

# the running one: attach, live output, seam, input, kill
tui_keys Escape; tui_keys /; tui_keys C-u; tui_type 'tick'; tui_keys Enter
tui_wait 'filter: tick' 3 && tui_keys Enter
tui_wait 'attached, live' 10; ok $? "Enter on the running command attaches (Process.Connect)"
t0=$(tui_screen | grep -oE 'tick [0-9]+' | tail -1 | cut -d' ' -f2)
# the command prints a line every ~0.3 s: the next one must be on screen within 1 s
tui_wait "tick $((t0 + 1))\$" 1 && tui_wait "tick $((t0 + 2))\$" 3
ok $? "new output shows within 1 s (tick $t0 → $((t0 + 1)) → $((t0 + 2)))"
sleep 1
ticks=$(tui_screen | grep -oE '^  tick [0-9]+' | awk '{print $2}')
printf '%s\n' "$ticks" | awk 'NR>1 && $1 != prev+1 {bad=1} {prev=$1} END {exit bad}' &&
    [ "$(printf '%s\n' "$ticks" | wc -l)" -ge 8 ]
ok $? "the ticks on screen count up by one across the seam: no line twice, none missing"
tui_keys i; tui_type 'hello-agent'; tui_keys Enter
tui_wait 'got hello-agent' 5; ok $? "i sends a line to its stdin and the answer shows"
tui_keys K; tui_wait 'Kill pid' 3 && tui_keys y
tui_wait 'signal: killed' 8 && tui_wait 'Commands .* 6 failed, 0 running' 8
ok $? "K (after asking) kills it; its row turns to signal: killed"
"$BOXTOP" commands "$ID" --state running --json | grep -q '^\[\]$'
ok $? "boxtop commands --state running lists nothing any more"

# a: attach a terminal to a running PTY (one more SDK call: a PTY left open)
ID="$ID" node --input-type=module -e '
const E = await import(process.env.BOXTOP_NODE_MODULES + "/e2b/dist/index.mjs");
const s = await E.Sandbox.connect(process.env.ID);
const p = await s.pty.create({ cols: 80, rows: 24, onData: () => {} });
console.log(p.pid);
process.exit(0);' > "$TMPD/pty.pid" 2>"$TMPD/pty.err"
PTY=$(cat "$TMPD/pty.pid")
tui_keys Escape; tui_keys /; tui_keys C-u; tui_type 'state:running'; tui_keys Enter
tui_wait "running +$PTY +bash \(terminal\)" 8
ok $? "a PTY left open shows as a running terminal (pid $PTY)"
tui_keys a
sleep 1; tui_type 'echo attached-$((6*7))'; tui_keys Enter
tui_wait 'attached-42' 8; ok $? "a attaches a terminal to it: typed input runs in that shell"

tui_screen > "${COMMANDS_SHOT:-/dev/null}"; tui_stop
boxtopd_teardown || { echo "# $BOXTOPD_PROBLEMS"; FAILED=1; }
rm -rf "$TMPD"
exit $FAILED
