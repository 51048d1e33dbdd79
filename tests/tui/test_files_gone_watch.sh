#!/bin/sh
# test_files_gone_watch.sh - a sandbox killed (from the CLI) while its file browser is open:
# the browser stops watching it. The hunt found WatchDir asked again every 3 s for as long as
# boxtop ran ("live updates stopped: ... not found (16 times)" a minute later), even after the
# post-mortem had replaced the view.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"

trap bxd_cleanup EXIT
bxd_start
ID=$("$BOXTOP" create --timeout 300)
mkdir -p "$TMPD/local"; cd "$TMPD/local" || exit 1

tui_start 140 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "files $ID"; tui_keys Enter
tui_wait 'sandbox: /home/user' 15; ok $? "the browser of $ID"
sleep 2 # its watch is up
"$BOXTOP" kill "$ID" >/dev/null
tui_wait "$ID ended" 20; ok $? "the post-mortem says it ended"
sleep 20
tui_keys : ; tui_type api; tui_keys Enter
tui_wait 'API calls' 5
n=$(tui_screen | grep -c 'WatchDir')
# after the kill: the watch that broke off, at most one more try (old code: one every 3 s)
[ "$n" -le 3 ]; ok $? "WatchDir asked $n times in the 20 s after the kill (<= 3)"
tui_done
