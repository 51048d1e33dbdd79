#!/bin/sh
# test_postmortem_cap.sh - issue 15 (make soak): ended rows are bounded by count as well as by
# time. Under churn, 15 minutes of ended rows held hundreds of boxes with their metric
# histories and boxtop's memory grew past the soak's warm-up; now the newest PM_KEEP_MAX (256)
# stay. 270 sandboxes end while boxtop shows them: 256 ended rows are left, and a dropped
# one's post-mortem is still on disk (`boxtop postmortem ID`).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..4"
N=270
FIRST=30

# bxd_start's boxtopd with room for N at once and no creation rate limit; 1 when it is not up
start_boxtopd() {
    mkdir -p "$TMPD/bxd"
    "$BOXTOPD" --foreground --state-dir "$TMPD/bxd" --api-listen 127.0.0.1:0 \
        --envd-listen 127.0.0.1:0 --max-sandboxes $((N + 10)) --create-rate 100000 \
        >> "$TMPD/boxtopd.log" 2>&1 &
    DPID=$!
    n=300; while [ $n -gt 0 ] && [ ! -s "$TMPD/bxd/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
    eval "$("$BOXTOPD" --print-env --state-dir "$TMPD/bxd")" && [ -n "${E2B_API_URL:-}" ]
}
# Runs on every way out: the end, an exit midway, and a signal (a timeout, Ctrl-C), which
# would kill sh without its EXIT trap and leave boxtopd and its N sandboxes running.
cleanup() {
    trap : HUP INT TERM # a second signal must not cut the cleanup short
    tui_stop
    # a boxtopd that died midway left its sandboxes running: started again on its state dir it
    # takes them back, and stopping it stops them
    [ -d "$TMPD/bxd/runtime" ] && ! kill -0 "$DPID" 2>/dev/null && start_boxtopd
    [ -s "$TMPD/ids" ] && xargs -P 4 -n 1 "$BOXTOP" kill < "$TMPD/ids" >/dev/null 2>&1
    bxd_stop # SIGTERM: boxtopd stops any sandbox still running before it exits
    rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
if ! start_boxtopd; then # no `boxtop create` without it: boxtop would start one of its own
    sed 's/^/# /' "$TMPD/boxtopd.log"
    for t in 1 2 3 4; do ok 1 "boxtopd started"; done
    exit 1
fi
export XDG_STATE_HOME="$TMPD/state"

seq 1 $N | xargs -P 4 -I{} "$BOXTOP" create --timeout 600 > "$TMPD/ids" 2>/dev/null
[ "$(wc -l < "$TMPD/ids")" -eq $N ]; ok $? "$N sandboxes created"

tui_start 160 45
tui_wait "running $N " 90; ok $? "boxtop shows all $N"
# the first few end first (the oldest ended rows), then the rest
head -n $FIRST "$TMPD/ids" > "$TMPD/first"
tail -n +$((FIRST + 1)) "$TMPD/ids" > "$TMPD/rest"
xargs -P 4 -n 1 "$BOXTOP" kill < "$TMPD/first" >/dev/null 2>&1
tui_wait "ended: $FIRST " 60 || echo "# the first $FIRST ends were not seen"
xargs -P 4 -n 1 "$BOXTOP" kill < "$TMPD/rest" >/dev/null 2>&1
: > "$TMPD/ids"
# the ended rows settle at the cap (the in-flight post-mortems finish first: 30 s tick)
tui_wait "ended: 256 " 120; ok $? "the ended rows stop at 256"
ID1=$(head -n 1 "$TMPD/first")
XDG_STATE_HOME="$TMPD/state" "$BOXTOP" postmortem "$ID1" 2>&1 | grep -q "$ID1"
ok $? "a dropped row's post-mortem is still on disk"
exit 0 # cleanup (the EXIT trap) stops the rest
