#!/bin/bash
# test_term_notice_level.sh - opening a shell records "starting a shell in ID…" in `:messages`
# as what it is, progress at the info level, not a warning (the warnings are for problems:
# a lost connection, a shell that did not start).
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
echo "1..3"
tui_boxtopd term-notice 1 3
ID=$(boxtopd_new_sandbox)
tui_start 140 30
tui_wait "$ID" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '\$ *$' 15; ok $? "the shell is up"
tui_keys C-]; tui_keys : ; tui_type messages; tui_keys Enter
tui_wait "starting a shell in $ID" 10
row=$(tui_screen | grep "starting a shell in $ID" | head -1)
echo "# $row"
printf '%s' "$row" | grep -Eq " info +$ID: starting a shell in $ID"
ok $? ":messages: starting a shell is recorded at the info level"
! tui_screen | grep -E "warning +$ID: (starting a shell|attaching)" >/dev/null
ok $? "no warning for starting or attaching"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
