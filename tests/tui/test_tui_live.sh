#!/bin/sh
# test_tui_live.sh - the live backend (curl multi polling, actions) against a loopback fake of
# the E2B platform API (fake_api.js): rows, memory sort, filter, marks + K (checked on the
# server), n/p/r/t, and the server going away and coming back while the UI stays responsive.
. "$(dirname "$0")/lib.sh"
echo "1..24"

cat > "$TMPD/state.json" <<'EOS'
[{"sandboxID":"hog1","state":"running","cpu":95,"memMB":200,"metadata":{"owner":"alice"}},
 {"sandboxID":"idle2","state":"running","cpu":1,"memMB":20},
 {"sandboxID":"paused3","state":"paused","memMB":30}]
EOS
start_fake() {
    : > "$TMPD/fake.out"
    node "$abs_top_srcdir/tests/tui/fake_api.js" "$1" "$TMPD/state.json" > "$TMPD/fake.out" 2>&1 &
    FAKE=$!
    n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
    PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
}
stop_fake() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; }
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
# ids on the server as the command-line mode sees them (boxtop ls --json)
ids() {
    "$BOXTOP" --api-url "http://127.0.0.1:$PORT" ls --json |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(x=>x.sandboxID).sort().join(",")))'
}
# seconds left for a sandbox, from boxtop info --json
ttl() {
    "$BOXTOP" --api-url "http://127.0.0.1:$PORT" info "$1" --json |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(Math.round((Date.parse(JSON.parse(s).endAt)-Date.now())/1000)))'
}
cleanup() { stop_fake; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT

start_fake 0
# the key is fake; it must never show up on screen
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
export E2B_SANDBOX_URL="http://127.0.0.1:$PORT"
tui_start 160 40 --api-url "http://127.0.0.1:$PORT" --record "$TMPD/rec.json"
tui_wait 'paused3'; ok $? "the live table appears"
tui_wait 'hog1 +base +running .* 95% .*owner=alice' && tui_screen | grep -Eq 'paused3 +base +paused'
ok $? "states, CPU and metadata from the API"
! tui_screen | grep -q deadbeef; ok $? "the API key is not on screen"

x=$(tui_screen | sed -n 4p | awk '{print index($0, "MEMORY")}')
tui_type "$(printf '\033[<0;%d;4M' "$x")"; tui_type "$(printf '\033[<0;%d;4m' "$x")"
tui_wait 'sort: mem' && tui_screen | sed -n 5p | grep -q hog1; ok $? "sort by memory puts the 200 MB user first"

tui_keys /; tui_type 'meta:owner=alice'; tui_keys Enter
tui_wait 'Sandboxes \(1 of 3\)' && ! tui_screen | grep -Eq 'idle2 +base'; ok $? "filter meta:owner=alice leaves one row"
tui_keys Escape

# mark idle2 and paused3 (rows 2 and 3 under the memory sort), kill them
tui_keys g j Space Space K
tui_wait 'Kill 2 sandboxes'; tui_keys y
tui_wait 'Sandboxes \(1 of 1\)'; [ "$(ids)" = 'hog1' ]; ok $? "marked two + K + y kills exactly those two (boxtop ls --json)"

tui_keys n; tui_wait 'Template'; tui_keys Enter; tui_wait 'Timeout'; tui_keys Enter
tui_wait 'Metadata'; tui_type 'owner=dave'; tui_keys Enter
tui_wait 'fake0001 +base +running .*owner=dave'; ok $? "n creates a sandbox on the server and it appears"
tui_keys / ; tui_type 'dave'; tui_keys Enter; tui_wait 'Sandboxes \(1 of 2\)'
tui_keys Enter
tui_wait 'Processes \(2\)' 8 && tui_screen | grep -Eq '42 yes +hog' && tui_screen | grep -q 'disk filling up'
ok $? "detail: envd Process.List and the latest logs"
tui_wait 'CPU  now .*\((3[0-9]|[4-9][0-9]) samples\)' 5; ok $? "detail: the metric history is fetched at once for the graphs"
tui_keys j K; tui_wait 'Kill process 42'; tui_keys y
tui_wait 'Processes \(1\)' 8 && ! tui_screen | grep -Eq '42 yes'; ok $? "detail: K kills the process through envd"
! tui_screen | grep -q 'tok-'; ok $? "the envd access token is not on screen"
tui_keys Escape; tui_wait 'Sandboxes \(1 of 2\)'
tui_keys p; tui_wait 'Pause: m with memory' 3 && tui_keys m; tui_wait 'fake0001 +base +paused' 8; ok $? "p asks, m pauses with memory (state from the server)"
tui_keys r; tui_wait 'fake0001 +base +running' 8; ok $? "r resumes"
tui_keys t; tui_wait 'time to live'; tui_type '2h'; tui_keys Enter
tui_wait 'fake0001 .* 1h59m' 8; t=$(ttl fake0001); [ "$t" -gt 7000 ] && [ "$t" -le 7200 ]
ok $? "t sets the time to live (boxtop info: ${t}s left)"
tui_keys Escape

stop_fake
tui_wait 'backend unreachable' 12 && tui_wait 'OFFLINE' 1; ok $? "server gone: a clear status message and OFFLINE in the header"
tui_keys '?'; tui_wait 'Keys: sandboxes' 2; ok $? "the UI stays responsive while offline"
tui_keys Escape
start_fake "$PORT"
tui_wait 'reachable again' 12 && tui_wait_gone 'OFFLINE' 2 && tui_screen | grep -Eq 'hog1 +base'
ok $? "the server is back: data returns"

tui_keys q; tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 0 ] && [ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}')" = 010 ]
ok $? "q exits 0 and restores the terminal"
tui_stop

# --record wrote what the live session showed; --replay shows it again offline
grep -q '"sandboxID":"hog1"' "$TMPD/rec.json" && grep -q '"memUsed":209715200' "$TMPD/rec.json"
ok $? "--record saved the live model with its samples"
tui_start 160 40 --replay "$TMPD/rec.json"
tui_wait 'hog1 +base +running .* 95%' && tui_screen | grep -q 'replay of E2B http://127.0.0.1'
ok $? "--replay of that recording shows the same rows offline"
tui_stop

# contexts from the config file; :ctx switches between two servers
FAKE1=$FAKE PORT1=$PORT
echo '[{"sandboxID":"other9","state":"running","metadata":{"team":"two"}}]' > "$TMPD/state2.json"
node "$abs_top_srcdir/tests/tui/fake_api.js" 0 "$TMPD/state2.json" > "$TMPD/fake2.out" 2>&1 &
FAKE2=$!
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake2.out"; do sleep 0.05; n=$((n-1)); done
PORT2=$(awk '/PORT/ {print $2}' "$TMPD/fake2.out")
mkdir -p "$TMPD/cfg/boxtop"
cat > "$TMPD/cfg/boxtop/config" <<EOS
[context one]
api_url = http://127.0.0.1:$PORT1
api_key = e2b_1111111111111111111111111111111111111111
[context two]
api_url = http://127.0.0.1:$PORT2
api_key = e2b_2222222222222222222222222222222222222222
EOS
unset E2B_API_KEY E2B_SANDBOX_URL
E2B_TEAM_ID=team1 XDG_CONFIG_HOME="$TMPD/cfg" tui_start 120 30 --context one
tui_wait 'hog1 +base' && tui_screen | grep -q 'context: one'; ok $? "--context one uses that context's server"
# two 5 s buckets at 0.2/s and 0.4/s: 1 + 2 starts in the last minute (not 0.4 x 60 = 24)
tui_wait 'starts/min 3 '; ok $? "with a team id the header's start count comes from the team metrics"
tui_keys :; tui_type 'ctx t'; tui_keys Tab; tui_wait ':ctx two'; tui_keys Enter
tui_wait 'other9 +base' && ! tui_screen | grep -Eq 'hog1 +base' && tui_screen | grep -q 'context: two'
ok $? ":ctx two (Tab-completed) switches to the other server"
tui_keys :; tui_type 'ctx nope'; tui_keys Enter
tui_wait 'nope' && tui_screen | tail -1 | grep -q nope && tui_screen | grep -Eq 'other9 +base'; ok $? ":ctx with an unknown name is refused and nothing changes"
kill "$FAKE2" 2>/dev/null; wait "$FAKE2" 2>/dev/null
exit 0
