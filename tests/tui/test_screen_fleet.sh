#!/bin/bash
# test_screen_fleet.sh - golden screens of issue 18's views (golden.sh), against a private
# boxtopd (a replay runs nothing): the :exec results table, one sandbox's output, the
# :compare groups, and :api filtered to the kill. What changes per run is masked: the
# sandbox ids (S1..S3 in id order), durations and latencies, the API port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..6"
tui_boxtopd screen-fleet 1 6
for i in 1 2 3; do "$BOXTOP" create --timeout 600 --meta n=$i >> "$TMPD/ids"; done
"$BOXTOP" create --timeout 600 --meta n=kill > "$TMPD/victim"
VICTIM=$(cat "$TMPD/victim")
set -- $(sort "$TMPD/ids")
for i in 1 2 3; do
    note="same note"; [ $i = 3 ] && note="changed note"
    "$BOXTOP" exec "$(eval echo \$$i)" -- "printf 'first\n$note\nlast\n' > /tmp/note" >/dev/null
done
GOLDEN_MASK="s|$1|S1|g; s|$2|S2|g; s|$3|S3|g; s|$VICTIM|SV|g; s|http://127.0.0.1:[0-9]*|API|g;
 s|^[a-z]* finished in [0-9]* sandboxes.*$||; s|starts/min [0-9.?]*|starts/min N|; s|API calls (\([0-9]*\) of [0-9]*|API calls (\1 of N|; s| [0-9]*\.[0-9]s | T.Ts |g; s|  *[0-9]*ms  *[0-9.]*m*s~* | LAT TOTAL |g"
golden_start 150 30
tui_wait "$3" 15
tui_keys /; tui_type 'meta:n'; tui_keys Enter; tui_wait 'Sandboxes \(4 of 4\)'
tui_keys /; tui_keys C-u; tui_type "$VICTIM"; tui_keys Enter; tui_wait 'Sandboxes \(1 of 4\)'
tui_keys K; tui_wait 'Kill'; tui_keys y; tui_wait 'Sandboxes \(0 of 3\)' 10
tui_keys Escape; tui_wait 'Sandboxes \(3 of 3\)'
tui_keys a; tui_wait 'marked: 3'
tui_keys :; tui_type "exec echo hi from \$(hostname); cat /tmp/note; grep -q same /tmp/note"; tui_keys Enter
tui_wait '3 done' 20
golden fleet_exec
tui_keys j Enter; tui_wait 'bytes of output'
golden fleet_output
tui_keys Escape; tui_keys Escape; tui_wait 'marked: 3'
tui_keys :; tui_type 'compare /tmp/note'; tui_keys Enter; tui_wait 'groups' 20
golden fleet_compare
tui_keys Space j Space d; tui_wait 'diff of'
golden fleet_diff
tui_keys Escape
tui_keys Escape; tui_wait 'marked: 3'
tui_keys :; tui_type api; tui_keys Enter; tui_wait 'API calls'
tui_keys /; tui_type DELETE; tui_keys Enter; tui_wait 'filter: DELETE'
golden apilog
tui_keys Enter; tui_wait 'Request headers'
GOLDEN_MASK="$GOLDEN_MASK; /^ *date: /d; /^ *content-length: /d; s|first byte [0-9.]*m*s  total [0-9.]*m*s|first byte LAT  total TOTAL|"
golden apilog_detail
tui_done
