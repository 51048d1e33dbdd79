#!/bin/sh
# test_detail_paused_ends.sh - the detail of a paused sandbox: no time to live, like the list's
# "-" (the hunt found "ends 23:35:11 (in 0s)", the end time it had when it was paused), and a
# running one still says when it ends, in the future.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"

trap bxd_cleanup EXIT
bxd_start
ID=$("$BOXTOP" create --timeout 600)

tui_start 120 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys Enter
tui_wait ' ends +[0-9-]+ [0-9:]+ \(in (9m|10m)' 10; ok $? "running: it ends in about 10 minutes"
"$BOXTOP" pause "$ID" >/dev/null
tui_wait 'state +paused' 20
tui_wait '^  ends +- ' 10 && ! tui_screen | grep -q 'in 0s'
ok $? "paused: ends -, not an end time 'in 0s'"
tui_keys Escape
tui_wait 'paused .* -$' 10; ok $? "the list agrees (TTL -)"
tui_done
