#!/bin/sh
# test_cli_autostart.sh - issue 23: on a machine with no key and no boxtopd running, the
# command line starts the local backend as the TUI does: `boxtop ls --json` prints [] and
# exits 0, says so once on stderr, and a boxtopd is running afterwards (a second command uses
# it and says nothing); `boxtop --no-start ls` still exits 4.
. "$(dirname "$0")/lib.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..6"
STATE=$TMPD/state
cleanup() {
    if [ -s "$STATE/boxtopd.json" ]; then
        pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$STATE/boxtopd.json")
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        n=60; while [ $n -gt 0 ] && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
    fi
    rm -rf "$TMPD"
}
trap cleanup EXIT
# a fresh machine: no key anywhere, an empty home, a state dir of our own
unset E2B_API_KEY E2B_API_URL E2B_DOMAIN E2B_SANDBOX_URL E2B_ACCESS_TOKEN
export HOME=$TMPD/home XDG_CONFIG_HOME=$TMPD/home/.config XDG_DATA_HOME=$TMPD/home/.local/share
export BOXTOP_STATE_DIR=$STATE
mkdir -p "$HOME"

"$BOXTOP" --no-start ls >"$TMPD/out" 2>"$TMPD/err"; rc=$?
[ $rc = 4 ] && [ ! -e "$STATE/boxtopd.json" ]; ok $? "--no-start: exit 4 and nothing started ($rc)"
"$BOXTOP" ls --json >"$TMPD/out" 2>"$TMPD/err"; rc=$?
[ $rc = 0 ] && [ "$(tr -d ' \n' < "$TMPD/out")" = "[]" ]; ok $? "ls --json prints [] and exits 0 ($rc: $(cat "$TMPD/out"))"
[ "$(grep -c 'started the local backend' "$TMPD/err")" = 1 ]; ok $? "stderr says once that the local backend was started"
pid=$(sed -n 's/.*"pid":\([0-9]*\).*/\1/p' "$STATE/boxtopd.json" 2>/dev/null)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q boxtopd "/proc/$pid/cmdline"
ok $? "a boxtopd is running afterwards (pid $pid)"
"$BOXTOP" ls --json >"$TMPD/out" 2>"$TMPD/err"; rc=$?
[ $rc = 0 ] && [ ! -s "$TMPD/err" ]; ok $? "the next command uses it and says nothing"
"$BOXTOP" --no-start ls >"$TMPD/out" 2>"$TMPD/err"; rc=$?
[ $rc = 0 ]; ok $? "--no-start with a boxtopd running uses it ($rc)"
