#!/bin/sh
# test_term_shell.sh - issue 7's acceptance against a real boxtopd: boxtop's TUI in tmux opens
# shells in sandboxes (s / :shell), and the screen tmux shows is checked: echo, stty size and
# resize, colours, alternate screen, wide characters, two tabs on two sandboxes, detach + exec
# + reattach, a dropped connection and the reconnect by pid (boxtop reaches envd through the
# loopback fault proxy, tests/fault/proxy.c, which resets its connections: as any user), a
# flood (seq) and binary noise, the exit code in the tab, and the asciicast v2 recording
# written with --record-sessions.
. "$(dirname "$0")/lib.sh"
BOXTOPD=$abs_top_builddir/src/boxtopd
BOXTOP=$abs_top_builddir/src/boxtop
STATE=$TMPD/bxd
REC=$TMPD/rec
echo "1..24"

cleanup() {
    tui_stop
    [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        for id in $A $B; do "$BOXTOP" kill "$id" >/dev/null 2>&1; done
        kill "$DPID"; wait "$DPID" 2>/dev/null
    fi
    rm -rf "$TMPD"
}
trap cleanup EXIT
mkdir -p "$STATE" "$REC"
"$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0 \
    >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
n=200; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
# A lives 60 s unless boxtop keeps it alive while its terminal is open
A=$("$BOXTOP" create --timeout 60)
B=$("$BOXTOP" create --timeout 600)
[ -n "$A" ] && [ -n "$B" ]; ok $? "boxtopd up, two sandboxes"

# boxtop's envd traffic goes through the fault proxy (mode "pass" until the drop below)
echo pass > "$TMPD/envd.mode"
"$abs_top_builddir/tests/fault/proxy" -t "127.0.0.1:${E2B_SANDBOX_URL##*:}" -c "$TMPD/envd.mode" \
    -p "$TMPD/envd.port" 2>> "$TMPD/proxy.log" &
PROXY_PID=$!
n=100; while [ $n -gt 0 ] && [ ! -s "$TMPD/envd.port" ]; do sleep 0.05; n=$((n-1)); done
export E2B_SANDBOX_URL="http://127.0.0.1:$(cat "$TMPD/envd.port")"

pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }
last_line_is() { tui_screen | grep -v '^ *$' | tail -1 | grep -q -- "$1"; }

tui_start 100 30 --record-sessions "$REC"
tui_wait "$A" 10
tui_keys : ; tui_type "shell $A"; tui_keys Enter
tui_wait '[$#] *$' 10
run 'echo h""i'; tui_wait '^hi *$' 5; ok $? "echo hi shows hi"
run 'stty size'; tui_wait '^25 100 *$' 5; ok $? "stty size matches the pane (25 100)"
tm resize-window -t t -x 120 -y 40; sleep 0.5
run 'stty size'; tui_wait '^35 120 *$' 5; ok $? "resizing the window changes stty size (35 120)"
run "printf '\\033[31mred\\033[0m\\n'"; tui_wait '^red *$' 5
tui_screen_e | grep -Eq "$(printf '\033')\\[([0-9;]*;)?(31|91|38;5;(1|9|160|196))m(\\s*)red"
ok $? "red is red in capture-pane -e"
run "printf '\\344\\270\\255\\346\\226\\207\\360\\237\\230\\200\\r\\033[6CZ\\n'"
tui_wait '中文😀Z' 5; ok $? "CJK and emoji take two cells each"
run 'echo MARK-$((6*7))'; tui_wait '^MARK-42' 5
run 'less /etc/passwd'; tui_wait 'root:' 5 && tui_wait_gone 'MARK-42' 5; ok $? "less uses the alternate screen"
tui_keys q; tui_wait 'MARK-42' 5; ok $? "the previous screen is back after quitting less"

# the split with the graphs narrows the pane: Process.Update, and stty follows
pfx g; sleep 0.5; run 'stty size'; tui_wait '^35 75 ' 5; ok $? "the graphs split resizes the shell (35 75)"
tui_screen | grep -q 'CPU' && tui_screen | grep -q 'Memory'; ok $? "the split shows CPU and memory graphs"
pfx g; sleep 0.3

# keep-alive: the 60 s sandbox was given a longer time to live
END=$("$BOXTOP" info "$A" --json 2>/dev/null | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log(Math.round((Date.parse(j.endAt)-Date.now())/1000))})")
[ -n "$END" ] && [ "$END" -gt 120 ]; ok $? "keep-alive extended the sandbox's time to live (${END}s left)"

# copy mode: search backwards, select the line, copy it with OSC 52 (tmux keeps it as a buffer)
tm set -g set-clipboard on
run 'echo COPY""ME-please'; tui_wait '^COPYME-please' 5
pfx '['; tui_wait 'COPY [0-9]+/' 5
tui_keys / ; tui_type 'COPYME'; tui_keys Enter; sleep 0.3
tui_keys v; tui_keys '$'; tui_keys y; sleep 0.5
tm show-buffer 2>/dev/null | grep -q '^COPYME-please'; ok $? "copy mode: / search, v select, y copies with OSC 52"

# the mouse wheel scrolls back (the screen shows older lines), a key returns to the bottom
run 'seq 1 300'; tui_wait '^300 *$' 10
tui_type "$(printf '\033[<64;10;10M')"; tui_type "$(printf '\033[<64;10;10M')"
tui_wait 'scrolled [0-9]+' 5 && ! tui_screen | grep -q '^300 *$'; ok $? "the mouse wheel scrolls back"
tui_keys C-u; tui_wait '^300 *$' 5; ok $? "a key goes back to the bottom"

# a second tab on the other sandbox
pfx : ; tui_type "shell $B"; tui_keys Enter
tui_wait "2:$B" 10; tui_wait_gone '^300 *$' 5 && sleep 0.5
run 'echo in-$E2B_SANDBOX_ID'; tui_wait "^in-$B" 5; ok $? "a second tab runs in the other sandbox"
pfx 1; tui_wait '^300 *$' 5 && ! tui_screen | grep -q "^in-$B"; ok $? "tab 1 still shows its own shell"

# detach, exec on the same sandbox, reattach
run 'echo before-detach'; tui_wait '^before-detach' 5
pfx d; tui_wait "in-$B" 5; ok $? "detach switches to the remaining tab"
timeout 20 "$BOXTOP" exec "$A" -- 'echo written-by-exec > /tmp/bx-note' >/dev/null
pfx s; tui_wait 'detached' 5
tui_keys Enter; tui_wait 'before-detach' 5
run 'cat /tmp/bx-note'; tui_wait '^written-by-exec' 5
ok $? "reattach keeps earlier output and shows new output"

# a dropped connection: the proxy resets boxtop's connections to envd at their next byte (the
# shell's answer to Enter), and every new one until it passes again
echo 'reset 0' > "$TMPD/envd.mode"; sleep 0.3
tui_keys Enter
tui_wait 'connection lost' 5; ok $? "a dropped connection shows a notice"
echo pass > "$TMPD/envd.mode"
tui_wait 'attached \(pid' 15 && run 'echo after-drop' && tui_wait '^after-drop' 5 &&
    tui_screen | grep -q '^written-by-exec'
ok $? "it reconnects by pid, keeping the screen, and the shell still works"

run 'seq 1 200000'; tui_wait '^200000 *$' 60; ok $? "seq 1 200000 ends with 200000 on screen"
run 'head -c 1M /dev/urandom; echo; echo ALIVE-$((1+1))'; tui_wait 'ALIVE-2' 60
sleep 0.3; tui_screen | head -1 | grep -q 'boxtop'; ok $? "binary noise: boxtop alive, its frame intact"

pfx 2; tui_wait "in-$B" 5
run 'exit 3'; tui_wait 'exit 3\]' 10; ok $? "the tab shows the exit code"

tui_keys q; pfx q; tui_wait "$A" 5; tui_keys q; tui_wait 'EXITED' 10
F=$(ls "$REC"/"$A"-*.cast 2>/dev/null | head -1)
[ -n "$F" ] && node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
const h = JSON.parse(lines[0]);
if (h.version !== 2 || !(h.width > 0) || !(h.height > 0)) throw new Error("bad header");
let t = 0, out = "";
for (const l of lines.slice(1)) {
  const e = JSON.parse(l);
  if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== "number" || e[0] < t ||
      !["o", "r", "i", "m"].includes(e[1]) || typeof e[2] !== "string") throw new Error("bad event " + l);
  if (e[1] === "r" && !/^\d+x\d+$/.test(e[2])) throw new Error("bad resize " + l);
  t = e[0]; if (e[1] === "o") out += e[2];
}
if (!out.includes("hi")) throw new Error("output missing");
' "$F"
ok $? "the recorded session is valid asciicast v2"
