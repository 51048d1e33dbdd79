#!/bin/sh
# test_header_note.sh - the local boxtopd's base-image note ("[base: …]", issue 14) is read in
# the header at 120 and 80 columns: the backend's label gives way to it (it was drawn after
# the label and cut to "[b…" at 120 columns, gone at 80). --base host gives a lasting note.
. "$(dirname "$0")/lib.sh"
BOXTOPD=$abs_top_builddir/src/boxtopd
STATE=$TMPD/bxd
echo "1..3"
DPID=
cleanup() {
    tui_stop
    [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
    rm -rf "$TMPD"
}
trap cleanup EXIT
unset E2B_API_KEY E2B_API_URL E2B_DOMAIN E2B_SANDBOX_URL
export BOXTOP_STATE_DIR="$STATE" HOME="$TMPD/home"
mkdir -p "$STATE" "$TMPD/home"
"$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 \
    --envd-listen 127.0.0.1:0 --base host >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
n=200; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done

NOTE='\[base: host root \(--base host\), sandboxes see the host.s files\]'
tui_start 120 30
tui_wait "$NOTE" 15
ok $? "120 columns: the whole note is in the header ($(tui_screen | head -n 1))"
tui_screen | head -n 1 | grep -q '^ boxtop [^ ]*  context: default  backend: local boxtop'
ok $? "120 columns: the label keeps its start"
tui_stop
tui_start 80 24
tui_wait "$NOTE" 15
ok $? "80 columns: the whole note is in the header ($(tui_screen | head -n 1))"
tui_keys q
exit 0
