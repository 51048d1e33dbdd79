#!/bin/sh
# test_tui_base.sh - issue 14: boxtop's header shows the state of the local boxtopd's base
# image as /health reports it: the build's progress while boxtopd makes it (a private empty
# cache and a "mirror" on loopback that never answers, so it stays in progress), and the
# warning of `--base host`. boxtop finds the running boxtopd of the state dir each time.
. "$(dirname "$0")/lib.sh"
BOXTOPD=$abs_top_builddir/src/boxtopd
STATE=$TMPD/bxd
echo "1..4"

DPID= SPID=
start_daemon() { # start_daemon ARGS...
    rm -f "$STATE/boxtopd.json"
    "$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 \
        --envd-listen 127.0.0.1:0 "$@" >> "$TMPD/boxtopd.log" 2>&1 &
    DPID=$!
    n=200; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
}
stop_daemon() {
    [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
    DPID=
}
cleanup() {
    tui_stop
    stop_daemon
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$TMPD"
}
trap cleanup EXIT
unset E2B_API_KEY E2B_API_URL E2B_DOMAIN E2B_SANDBOX_URL
export BOXTOP_STATE_DIR="$STATE" HOME="$TMPD/home"
mkdir -p "$STATE" "$TMPD/home" "$TMPD/cache"

# a mirror that accepts connections and never answers: the build stays in progress
node -e 'const s=require("net").createServer(()=>{});s.listen(0,"127.0.0.1",()=>console.log(s.address().port))' \
    > "$TMPD/port" &
SPID=$!
n=100; while [ $n -gt 0 ] && [ ! -s "$TMPD/port" ]; do sleep 0.05; n=$((n-1)); done
XDG_CACHE_HOME="$TMPD/cache" start_daemon --base-mirror "http://127.0.0.1:$(cat "$TMPD/port")/debian"
tui_start 200 30
tui_wait 'local boxtopd http://127.0.0.1:[0-9]+ \(already running\)  \[base: [a-z ]+ [0-9]+ %\]' 20
ok $? "while the image is built the header shows its progress"
tui_keys q; tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 0 ]; ok $? "boxtop exited 0"
tui_stop
stop_daemon

start_daemon --base host
tui_start 200 30
tui_wait '\[base: host root \(--base host\), sandboxes see the host.s files\]' 15
ok $? "--base host is a warning in the header"
tui_keys q; tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 0 ]; ok $? "boxtop exited 0"
exit 0
