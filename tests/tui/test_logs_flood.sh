#!/bin/sh
# test_logs_flood.sh - issue 23: `boxtop logs --follow` against a stream that sends 20 000
# lines in one millisecond (fake_logs.js FLOOD): the follower's set of printed lines is
# bounded, it says so once on stderr, and it gets past that millisecond (the line after the
# flood prints) instead of reading the same full page forever.
. "$(dirname "$0")/lib.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..4"
: > "$TMPD/fake.out"
FLOOD=20000 node "$abs_top_srcdir/tests/tui/fake_logs.js" > "$TMPD/fake.out" 2>&1 &
FAKE=$!
cleanup() {
    [ -n "${FOLLOW:-}" ] && kill "$FOLLOW" 2>/dev/null && wait "$FOLLOW" 2>/dev/null
    kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; rm -rf "$TMPD"
}
trap cleanup EXIT
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef

"$BOXTOP" --api-url "http://127.0.0.1:$PORT" logs --follow hostile1 >"$TMPD/out" 2>"$TMPD/err" &
FOLLOW=$!
n=600; while [ $n -gt 0 ] && ! grep -q 'after the flood' "$TMPD/out"; do sleep 0.05; n=$((n-1)); done
grep -q 'after the flood' "$TMPD/out"; ok $? "the line after the flood prints (the follower got past that millisecond)"
[ "$(grep -c 'a flood of log lines in one millisecond' "$TMPD/err")" = 1 ]
ok $? "stderr says once that the rest of the millisecond is skipped"
printed=$(grep -c ' flood [0-9]' "$TMPD/out")
[ "$printed" -ge 1000 ] && [ "$printed" -le 20000 ]; ok $? "flood lines were printed, none twice as far as counted ($printed)"
dups=$(grep -o ' flood [0-9]*$' "$TMPD/out" | sort | uniq -d | wc -l)
[ "$dups" = 0 ]; ok $? "no flood line printed twice ($dups)"
