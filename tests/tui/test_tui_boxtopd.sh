#!/bin/sh
# test_tui_boxtopd.sh - issue 6's acceptance against a real boxtopd: sandboxes created with the
# command-line mode (one paused, one with owner=alice, one running `yes`, one holding 200 MB,
# one with hostile metadata), then boxtop's TUI found the running boxtopd of the state dir and
# is driven in tmux: rows and states, CPU rising under `yes`, filter, memory sort, marks + K,
# n/p/r/t, hostile text, boxtopd going away and coming back, clean exit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
STATE=$TMPD/bxd
echo "1..26"

start_daemon() { # start_daemon API_LISTEN ENVD_LISTEN
    rm -f "$STATE/boxtopd.json"
    "$BOXTOPD" --foreground --state-dir "$STATE" --api-listen "$1" --envd-listen "$2" \
        >> "$TMPD/boxtopd.log" 2>&1 &
    DPID=$!
    n=200; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
}
trap bxd_cleanup_all EXIT
js() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log($1)})"; }

mkdir -p "$STATE"
start_daemon 127.0.0.1:0 127.0.0.1:0
API=$(js j.apiUrl < "$STATE/boxtopd.json"); SBX=$(js j.sandboxUrl < "$STATE/boxtopd.json")
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
A=$("$BOXTOP" create --timeout 900 --meta owner=alice)
B=$("$BOXTOP" create --timeout 900 --meta owner=bob)
C=$("$BOXTOP" create --timeout 900 --meta role=busy)
D=$("$BOXTOP" create --timeout 900 --meta role=idle)
H=$("$BOXTOP" create --timeout 900 --meta role=hog)
X=$("$BOXTOP" create --timeout 900 --meta "evil=a$(printf '\033[1;31;5m')RED$(printf '\342\200\256')x" \
    --meta "long=$(head -c 10000 /dev/zero | tr '\0' y)END")
"$BOXTOP" pause "$B" >/dev/null
timeout 10 "$BOXTOP" exec "$C" -- 'nohup sh -c "yes > /dev/null" >/dev/null 2>&1 &' >/dev/null
timeout 10 "$BOXTOP" exec "$H" -- \
    'nohup sh -c "(head -c 200000000 /dev/zero; sleep 900) | tail" >/dev/null 2>&1 &' >/dev/null
[ -n "$A" ] && [ -n "$B" ] && [ -n "$C" ] && [ -n "$D" ] && [ -n "$H" ] && [ -n "$X" ]
ok $? "boxtopd up, six sandboxes created"

# the TUI finds the running boxtopd of the state dir (no key anywhere)
START=$(date +%s)
(unset E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL E2B_DOMAIN
 BOXTOP_STATE_DIR="$STATE" HOME="$TMPD" tui_start 200 40)
tui_wait "$X" 10; ok $? "the table shows the sandboxes of the running boxtopd"
tui_screen | grep -q '(already running)'; ok $? "the header names the local boxtopd as already running"
S=$(tui_screen)
echo "$S" | grep -Eq "$A +base +running .*owner=alice" && echo "$S" | grep -Eq "$B +base +paused .*owner=bob"
ok $? "state and metadata per row (running alice, paused bob)"
tui_screen | grep -q 'Sandboxes (6 of 6)'; ok $? "all six rows"

# hostile metadata
E=$(tui_screen_e)
! printf '%s' "$E" | grep -Eq '\[(1;)?31m|\[5m|;5m' && ! tui_screen | grep -q "$(printf '\342\200\256')" &&
    tui_screen | grep -q "evil=aRED$(printf '\357\277\275')x" && tui_screen | grep "$X" | grep -q '…' && ! tui_screen | grep -q 'yEND'
ok $? "hostile metadata shown sanitized (the bidi override as U+FFFD) and truncated, no injected attributes"

# CPU under yes vs idle, after at least 12 s
while [ $(( $(date +%s) - START )) -lt 13 ]; do sleep 0.5; done
sleep 5 # one more poll after the 12 s
cpu() { tui_screen | grep "$1" | sed -n 's/.* \([0-9]*\)% .*/\1/p' | head -1; }
cb=$(cpu "$C"); ci=$(cpu "$D")
[ -n "$cb" ] && [ -n "$ci" ] && [ "$cb" -gt $((ci + 5)) ]; ok $? "after 12 s the yes sandbox's CPU ($cb%) is above the idle one's ($ci%)"
spark() { tui_screen | grep "$1" | awk '{print $4}'; }
[ -n "$(spark "$C")" ] && [ "$(spark "$C")" != "$(spark "$D")" ]; ok $? "and its sparkline differs from the idle one's"

tui_keys /; tui_type 'meta:owner=alice'; tui_keys Enter
tui_wait 'Sandboxes \(1 of 6\)' && tui_screen | grep -q "$A" && ! tui_screen | grep -q "$B"
ok $? "filter meta:owner=alice leaves exactly that row"
tui_keys Escape; tui_wait 'Sandboxes \(6 of 6\)'

x=$(tui_screen | sed -n 4p | awk '{print index($0, "MEMORY")}')
tui_type "$(printf '\033[<0;%d;4M' "$x")"; tui_type "$(printf '\033[<0;%d;4m' "$x")"
tui_wait 'sort: mem' && tui_screen | sed -n 5p | grep -q "$H"; ok $? "sort by memory puts the 200 MB hog first"

# mark D and X (marks survive the filter), K, confirm
tui_keys /; tui_type "$D"; tui_keys Enter; tui_wait 'Sandboxes \(1 of 6\)'; tui_keys Space
tui_keys /; tui_keys C-u; tui_type "$X"; tui_keys Enter; tui_wait "filter: $X"; tui_keys Space
tui_keys Escape; tui_wait 'marked: 2'
tui_keys K; tui_wait 'Kill 2 sandboxes\?'; ok $? "K asks, naming how many"
tui_keys y
tui_wait 'Sandboxes \(4 of 4\)' 10
left=$("$BOXTOP" ls --json | js 'j.map(x=>x.sandboxID).sort().join(" ")')
want=$(printf '%s\n' "$A" "$B" "$C" "$H" | sort | tr '\n' ' ' | sed 's/ $//')
[ "$left" = "$want" ]; ok $? "exactly the two marked sandboxes were killed (boxtop ls --json)"

tui_keys n; tui_wait 'Template'; tui_keys Enter; tui_wait 'Timeout'; tui_keys Enter
tui_wait 'Metadata'; tui_type 'owner=carol'; tui_keys Enter
tui_wait 'Sandboxes \(5 of 5\)' 10 && tui_screen | grep -Eq 'base +running .*owner=carol'
ok $? "n creates a sandbox that appears in the table"

tui_keys /; tui_keys C-u; tui_type 'meta:owner=alice'; tui_keys Enter; tui_wait 'Sandboxes \(1 of 5\)'
state() { "$BOXTOP" info "$1" --json | js j.state; }
tui_keys p; tui_wait "Pause: m with memory" 3 && tui_keys m; tui_wait "$A +base +paused" 10 && [ "$(state "$A")" = paused ]; ok $? "p asks, m pauses with memory (boxtop info agrees)"
tui_keys r; tui_wait "$A +base +running" 10 && [ "$(state "$A")" = running ]; ok $? "r resumes"
tui_keys t; tui_wait 'time to live'; tui_type '2h'; tui_keys Enter
tui_wait "$A .* 1h59m" 10
t=$("$BOXTOP" info "$A" --json | js 'Math.round((Date.parse(j.endAt)-Date.now())/1000)')
[ "$t" -gt 7000 ] && [ "$t" -le 7200 ]; ok $? "t sets the time to live (boxtop info: ${t}s)"

# boxtopd goes away mid-session and comes back on the same ports
kill "$DPID"; wait "$DPID" 2>/dev/null
tui_wait 'backend unreachable' 15 && tui_wait OFFLINE 1; ok $? "boxtopd gone: a clear status message, OFFLINE"
tui_keys '?'; tui_wait 'Keys: sandboxes' 2; ok $? "the UI stays responsive"
tui_keys Escape
start_daemon "${API#http://}" "${SBX#http://}"
tui_wait 'reachable again' 15 && tui_wait_gone OFFLINE 3; ok $? "boxtopd back: the status says so and OFFLINE goes"
tui_wait 'updated' 2 && tui_keys Escape && tui_wait 'Sandboxes \(' 2; ok $? "data is shown again"

tui_keys q; tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 0 ] && [ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}')" = 010 ]
ok $? "q exits 0 and the terminal is as it was"
kill -0 "$DPID"; ok $? "boxtopd (not started by boxtop) keeps running after boxtop exits"
tui_stop

# a fresh state dir and no boxtopd: boxtop starts one (found through $BOXTOP_BINDIR) and
# stops it on exit
STATE2=$TMPD/bxd2
mkdir -p "$STATE2"
(unset E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL E2B_DOMAIN
 BOXTOP_STATE_DIR="$STATE2" BOXTOP_BINDIR="$abs_top_builddir/src" HOME="$TMPD" tui_start 160 30)
tui_wait 'started by boxtop' 15 && tui_wait 'No sandboxes' 5
ok $? "no key and no boxtopd: boxtop starts one, says so, shows the empty table"
tui_keys n; tui_wait 'Template'; tui_keys Enter; tui_wait 'Timeout'; tui_keys Enter
tui_wait 'Metadata'; tui_keys Enter
tui_wait 'Sandboxes \(1 of 1\)' 10; ok $? "a sandbox created in it appears"
pid2=$(js j.pid < "$STATE2/boxtopd.json")
tui_keys q; tui_wait EXITED 10
n=100; while [ $n -gt 0 ] && kill -0 "$pid2" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
! kill -0 "$pid2" 2>/dev/null && [ ! -e "$STATE2/boxtopd.json" ]
ok $? "on exit boxtop stops the boxtopd it started"
[ "$(cat "$TMPD/exit")" = 0 ]; ok $? "and exits 0"
exit 0
