# bxd.sh - a real boxtopd for the tmux tests (sourced after lib.sh). Every test gets its own
# state dir and loopback ports; bxd_stop (or the EXIT trap the caller sets) stops it.
#
# Usage: bxd_start        (exports E2B_API_URL/E2B_SANDBOX_URL/E2B_API_KEY for boxtop and the CLI)
#        bxd_stop         sandboxes killed, boxtopd stopped
#        bxd_stop_all     every sandbox `boxtop ls` shows killed, then boxtopd ($DPID) stopped
#        trap bxd_cleanup EXIT   for a test whose one sandbox is $ID: tmux stopped, that
#                         sandbox killed, boxtopd stopped, TMPD removed
#        bxd_one_sandbox  that trap set, bxd_start, and the test's one sandbox created in $ID
#        trap bxd_cleanup_all EXIT   tmux stopped, bxd_stop_all, TMPD removed
#        bxd_local_env D  no key anywhere: boxtop starts the real boxtopd itself with state dir D
BOXTOPD=$abs_top_builddir/src/boxtopd
BOXTOP=$abs_top_builddir/src/boxtop
DPID=

bxd_start() {
    mkdir -p "$TMPD/bxd"
    "$BOXTOPD" --foreground --state-dir "$TMPD/bxd" --api-listen 127.0.0.1:0 \
        --envd-listen 127.0.0.1:0 >> "$TMPD/boxtopd.log" 2>&1 &
    DPID=$!
    n=300; while [ $n -gt 0 ] && [ ! -s "$TMPD/bxd/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
    eval "$("$BOXTOPD" --print-env --state-dir "$TMPD/bxd")"
}

bxd_stop() {
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        kill "$DPID"; wait "$DPID" 2>/dev/null
    fi
    DPID=
}

bxd_stop_all() {
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        for id in $("$BOXTOP" ls --json 2>/dev/null | sed -n 's/.*"sandboxID":[^"]*"\([a-z0-9]*\)".*/\1/p'); do
            "$BOXTOP" kill "$id" >/dev/null 2>&1
        done
        kill "$DPID"; wait "$DPID" 2>/dev/null
    fi
}

bxd_cleanup() {
    tui_stop
    [ -n "$ID" ] && "$BOXTOP" kill "$ID" >/dev/null 2>&1
    bxd_stop
    rm -rf "$TMPD"
}

bxd_cleanup_all() {
    tui_stop
    bxd_stop_all
    rm -rf "$TMPD"
}

bxd_one_sandbox() {
    trap bxd_cleanup EXIT
    bxd_start
    ID=$("$BOXTOP" create --timeout 300)
}

bxd_local_env() {
    mkdir -p "$1" "$TMPD/home"
    unset E2B_API_KEY E2B_API_URL E2B_DOMAIN E2B_SANDBOX_URL E2B_ACCESS_TOKEN XDG_CONFIG_HOME
    export HOME="$TMPD/home" BOXTOP_STATE_DIR="$1" BOXTOP_BINDIR="$abs_top_builddir/src"
}

# the pid of the boxtopd whose state dir is $1 (from its boxtopd.json), empty when none
bxd_pid_of() { sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' "$1/boxtopd.json" 2>/dev/null; }
