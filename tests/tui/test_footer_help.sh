#!/bin/sh
# test_footer_help.sh - a footer too long for the line keeps "? help" in sight at its right
# end (cut from the end, it was the first hint to go: at 80 columns nothing said where the
# keys are); German too ("? Hilfe"); a footer that fits is drawn as it is.
. "$(dirname "$0")/lib.sh"
echo "1..4"
THREE=$abs_top_srcdir/tests/tui/three.json
foot() { tui_screen | tail -n 2 | head -n 1; }
tui_start 80 24 --replay "$THREE"
tui_wait 'Sandboxes \(3 of 3\)' 8
foot | grep -q '^ Enter detail .*…  ? help *$'; ok $? "80 columns: the sandboxes footer ends with '? help' ($(foot))"
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Templates' 5
foot | grep -q '… *? help *$'; ok $? "80 columns: the templates footer too ($(foot))"
tui_stop
tui_start 200 24 --replay "$THREE"
tui_wait 'Sandboxes \(3 of 3\)' 8
foot | grep -q 'sort  ? help$'; ok $? "200 columns: the footer as it is ($(foot))"
tui_stop
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
tui_start 80 24 --replay "$THREE"
tui_wait 'Sandboxen \(3 von 3\)' 8
foot | grep -q '…  ? Hilfe *$'; ok $? "German: '? Hilfe' ($(foot))"
tui_done
