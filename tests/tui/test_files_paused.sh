#!/bin/bash
# test_files_paused.sh - issue 24 point 7: the file browser of a paused sandbox says it is
# paused (not "The sandbox was not found") and `r` resumes it, after which the listing shows.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..3"
tui_boxtopd files-paused 1 3
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- sh -c 'echo hi > /home/user/marker-file.txt'
"$BOXTOP" pause "$ID" >/dev/null
mkdir -p "$TMPD/local"; cd "$TMPD/local"
tui_start 160 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10
tui_wait 'paused.*r resumes' 10; st=$?
tui_screen | grep -qi 'not found' && st=1
ok $st "a paused sandbox's browser says it is paused and offers r"
tui_keys Tab; tui_keys r
tui_wait 'marker-file.txt' 20; ok $? "r resumes the sandbox and the listing appears"
boxtopd_api GET "/sandboxes/$ID"
[ "$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.state')" = running ]; ok $? "the sandbox runs again"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
