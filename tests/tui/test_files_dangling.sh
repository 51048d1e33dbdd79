#!/bin/bash
# test_files_dangling.sh - a dangling symlink in the file browser is a link, never "?---------":
# its mode is the link's own (lrwxrwxrwx, as ls shows it) and it is marked broken, in the
# sandbox pane (envd gives no type, no mode and the link's own path for one) and the local pane.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..4"
tui_boxtopd files-dangling 1 4
ID=$(boxtopd_new_sandbox)
L=$TMPD/local
mkdir -p "$L"
ln -s nowhere "$L/gone_l"
"$BOXTOP" exec "$ID" -- ln -s /nowhere /home/user/gone_s
cd "$L"
tui_start 160 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10
tui_wait 'gone_s' 5
line() { tui_screen | grep -o "$1[^│]*" | head -1; }
s=$(line gone_s); l=$(line gone_l)
echo "# sandbox: $s"; echo "# local: $l"
printf '%s' "$s" | grep -q 'gone_s (broken link) .*lrwxrwxrwx'
ok $? "sandbox pane: the dangling link is a broken link, lrwxrwxrwx"
printf '%s' "$l" | grep -q 'gone_l -> nowhere (broken) .*lrwxrwxrwx'
ok $? "local pane: the dangling link names its missing target, broken, lrwxrwxrwx"
! tui_screen | grep -q '?---------'; ok $? "no ?--------- mode anywhere"
# the name is drawn in the critical colour (red) when not selected
tm capture-pane -p -e -t t | grep -Eq $'\e\\[[0-9;]*(31|38;5;(203|160|196|9))m[^\e]*gone_s'
ok $? "the broken link is red"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
