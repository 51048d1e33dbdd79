#!/bin/bash
# test_i18n_buildtree.sh - issue 24 point 10: `LANG=de_DE.UTF-8 src/boxtop` run from the build
# tree shows German with no environment variable (the build's own catalogue); the same binary
# copied out of the build tree does not pick the build's catalogue up (it would use the
# installed one). The CLI's messages are German too.
. "$(dirname "$0")/lib.sh"
echo "1..3"
unset BOXTOP_LOCALEDIR LANGUAGE
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' ||
    echo "# the de_DE.UTF-8 locale is missing (bootstrap.sh generates it as root)"
export TUI_LANG=de_DE.UTF-8
BOXTOP_TUI=$abs_top_builddir/src/boxtop
tui_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxen \(3 von 3\)' 8; ok $? "src/boxtop in the build tree speaks German with LANG=de_DE.UTF-8"
tui_stop
LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 "$abs_top_builddir/src/boxtop" logs 2>"$TMPD/err" >/dev/null
want=$(grep -A1 '^msgid "missing SANDBOX_ID"$' "$abs_top_srcdir/po/de.po" | sed -n 's/^msgstr "\(.*\)"$/\1/p')
[ -n "$want" ] && grep -qF "$want" "$TMPD/err"
ok $? "the CLI's messages are German too ($(head -1 "$TMPD/err"))"
cp "$abs_top_builddir/src/boxtop" "$TMPD/boxtop-copy"
BOXTOP_TUI=$TMPD/boxtop-copy
tui_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes \(3 of 3\)|Sandboxen \(3 von 3\)' 8
# an installed catalogue (prefix from configure) would rightly make the copy German
prefix=$(sed -n 's/^prefix = //p' "$abs_top_builddir/Makefile")
if [ -e "$prefix/share/locale/de/LC_MESSAGES/boxtop.mo" ]; then
    tui_screen | grep -q 'Sandboxen (3 von 3)'; st=$?
else
    tui_screen | grep -q 'Sandboxes (3 of 3)'; st=$?
fi
ok $st "a copy outside the build tree does not use the build's catalogue"
tui_done
