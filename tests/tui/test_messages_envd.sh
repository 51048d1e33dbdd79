#!/bin/bash
# test_messages_envd.sh - an envd error in the file browser (mkdir of a directory that exists)
# is said in words ("making the directory failed: ..."), not as the RPC and its Connect code
# ("MakeDir: already_exists: ..."), which stay in `:messages` as the detail. Against boxtopd.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..4"
tui_boxtopd messages-envd 1 4
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- mkdir -p /home/user/there
tui_start 120 30
tui_wait "$ID" 15
tui_keys f; tui_wait 'there' 10
tui_keys Tab; tui_keys M; tui_type there; tui_keys Enter
tui_wait 'making the directory failed: .*exists' 10
ok $? "mkdir over a directory: said in words ($(tui_screen | tail -1))"
! tui_screen | tail -1 | grep -Eq 'MakeDir|already_exists'; ok $? "no RPC name or Connect code in the status line"
tui_keys '~'
tui_wait 'making the directory failed' 5 && tui_wait '↳ MakeDir: already_exists: ' 3
ok $? ":messages keeps the raw detail under it"
tui_keys Escape; tui_wait 'there' 5; ok $? "Esc goes back to the file browser"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
