#!/bin/sh
# test_tui_scale.sh - the sandboxes view polls metrics for what is on screen (issue 6 at scale):
# against bench/list-fixture.mjs with 500 sandboxes (its /_stats counts the calls and ids),
#   - the batch metrics calls ask only for the rows on screen, and those rows show a CPU %;
#   - rows scrolled onto the screen get their samples from the per-sandbox history within
#     seconds, before the next poll round;
#   - sorting by CPU asks for every running sandbox at once, and puts the busiest first.
. "$(dirname "$0")/lib.sh"
echo "1..6"
KEY=e2b_0123456789abcdef0123456789abcdef01234567
N=500
ROWS=30 # the table body is ROWS - 6 = 24 rows

FIXTURE_API_KEY=$KEY node "$abs_top_srcdir/bench/list-fixture.mjs" $N 7 > "$TMPD/fx.out" 2>&1 &
FX=$!
cleanup() { tui_stop; kill "$FX" 2>/dev/null; wait "$FX" 2>/dev/null; rm -rf "$TMPD"; }
trap cleanup EXIT
n=100; while [ $n -gt 0 ] && ! grep -q '^PORT' "$TMPD/fx.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(sed -n 's/^PORT //p' "$TMPD/fx.out")
URL=http://127.0.0.1:$PORT
stat() { curl -s "$URL/_stats" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
wait_stat() { # wait_stat NAME MIN SECONDS
    n=$(($3 * 10))
    while [ $n -gt 0 ]; do [ "$(stat "$1")" -ge "$2" ] && return 0; sleep 0.1; n=$((n-1)); done
    return 1
}
# the sandbox rows on screen, and how many running ones lack a CPU percentage (paused ones have
# no metrics and show -)
rows() { tui_screen | grep -E '^ *\S? *i[0-9a-f]{19} '; }
running_rows() { rows | grep -c ' running '; }
missing() { rows | grep ' running ' | grep -cvE ' [0-9]+% '; }
wait_filled() { n=$(($1 * 10)); while [ $n -gt 0 ] && [ "$(missing)" -ne 0 ]; do sleep 0.1; n=$((n-1)); done; }

tui_start 200 $ROWS --api-url "$URL" --api-key "$KEY"
tui_wait "Sandboxes \\($N of $N\\)" 15; ok $? "500 sandboxes listed"

# two full rounds: every batch call asked for at most a screenful of ids
wait_stat listFirst 3 15
calls=$(stat metrics) ids=$(stat metricsIds)
[ "$calls" -ge 1 ] && [ "$ids" -le $((calls * 24)) ]
ok $? "batch metrics ask only for the rows on screen ($ids ids in $calls calls)"
wait_filled 6
[ "$(missing)" -eq 0 ] && [ "$(running_rows)" -ge 10 ]
ok $? "every running row on screen shows its CPU % ($(running_rows) running of $(rows | wc -l))"

# scroll two screens down: those rows come with their history, before the next round
r0=$(stat listFirst) h0=$(stat history) top=$(rows | head -1 | grep -oE 'i[0-9a-f]{19}')
tui_keys NPage NPage
tui_wait_gone " $top " 3
wait_filled 4
[ "$(missing)" -eq 0 ] && [ "$(running_rows)" -ge 10 ] && [ "$(stat history)" -gt "$h0" ] &&
    [ "$(stat listFirst)" -le $((r0 + 1)) ]
ok $? "scrolled rows get their samples from the history at once ($(($(stat history) - h0)) history calls)"

# sort by CPU (ID -> TEMPLATE -> STATE -> CPU): every running sandbox is asked for
i0=$(stat metricsIds)
tui_keys '>' '>' '>'
tui_wait 'sort: cpu' 3
running=$(curl -s -H "X-API-Key: $KEY" "$URL/v2/sandboxes?state=running&limit=1" -D - -o /dev/null |
    tr -d '\r' | sed -n 's/^[Xx]-[Tt]otal-[Rr]unning: //p')
wait_stat metricsIds $((i0 + running)) 8
ok $? "sorted by CPU, the batch asks for all $running running sandboxes"
tui_keys Home
sleep 1
pcts=$(rows | grep -oE ' [0-9]+% ' | tr -dc '0-9\n')
[ "$(rows | grep -c ' running ')" -eq "$(rows | wc -l)" ] && [ "$(echo "$pcts" | wc -l)" -ge 20 ] &&
    [ "$pcts" = "$(echo "$pcts" | sort -rn)" ]
ok $? "sorted by CPU: running rows only, busiest first ($(echo $pcts | cut -c1-40)...)"
tui_keys q
tui_done
