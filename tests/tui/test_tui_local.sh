#!/bin/sh
# test_tui_local.sh - with no API key anywhere, boxtop starts the local backend (a stand-in
# boxtopd here: fake_api.js following the state-dir contract), says so in the header, keeps its
# output off the screen, and stops it on exit; one that was already running is left running.
. "$(dirname "$0")/lib.sh"
echo "1..7"

mkdir -p "$TMPD/bin" "$TMPD/home" "$TMPD/state"
cat > "$TMPD/bin/boxtopd" <<EOS
#!/bin/sh
exec node "$abs_top_srcdir/tests/tui/fake_api.js" "\$@"
EOS
chmod +x "$TMPD/bin/boxtopd"
echo '[{"sandboxID":"local1","state":"running","metadata":{"where":"local"}}]' > "$TMPD/fake.json"
unset E2B_API_KEY E2B_API_URL E2B_DOMAIN E2B_SANDBOX_URL XDG_CONFIG_HOME XDG_DATA_HOME
export HOME="$TMPD/home" BOXTOP_STATE_DIR="$TMPD/state" BOXTOP_BINDIR="$TMPD/bin" \
    BOXTOP_FAKE_STATE="$TMPD/fake.json"

tui_start 160 30
tui_wait 'local1 +base' 10; ok $? "no key: the local backend is started and its sandboxes shown"
tui_screen | grep -q 'local boxtopd http://127.0.0.1:[0-9]* (started by boxtop, stopped on exit)'
ok $? "the header says the local boxtopd was started by boxtop"
! tui_screen | grep -q 'noise on stderr'; ok $? "boxtopd's output does not reach the screen"
pid=$(sed 's/.*"pid":\([0-9]*\).*/\1/' "$TMPD/state/boxtopd.json")
tui_keys q; tui_wait EXITED
n=60; while [ $n -gt 0 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
! kill -0 "$pid" 2>/dev/null && [ ! -e "$TMPD/state/boxtopd.json" ]
ok $? "on exit the boxtopd it started is stopped (pid gone, boxtopd.json removed)"
tui_stop

# already running: found and left alone
"$TMPD/bin/boxtopd" --foreground --state-dir "$TMPD/state" > "$TMPD/d.out" 2>&1 &
DPID=$!
n=100; while [ $n -gt 0 ] && [ ! -e "$TMPD/state/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
tui_start 160 30
tui_wait 'local1 +base' 10 && tui_screen | grep -q '(already running)'
ok $? "a running boxtopd is used and the header says so"
tui_keys q; tui_wait EXITED
kill -0 "$DPID" 2>/dev/null; ok $? "on exit a boxtopd boxtop did not start keeps running"
[ "$(cat "$TMPD/exit")" = 0 ]; ok $? "boxtop exited 0"
kill "$DPID" 2>/dev/null; wait "$DPID" 2>/dev/null
tui_done
