#!/bin/sh
# test_i18n_layout.sh - German words longer than the English ones still fit where they are
# shown: the sandboxes table's STATE column is as wide as its widest translated state
# ("pausiert" was cut to "pausie…" in a column sized for "running"), at 120 and 80 columns
# (where the template column gives way first); the templates table's titles are whole
# ("ÖFFENTL" was cut to "ÖFFEN…" in a column sized for "PUBLIC").
# The catalogue is built from po/de.po as test_i18n.sh does.
. "$(dirname "$0")/lib.sh"
echo "1..4"
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
REPLAY=$abs_top_srcdir/tests/tui/three.json
tui_start 120 30 --replay "$REPLAY"
tui_wait 'Sandboxen \(3 von 3\)' 8
tui_screen | grep -Eq 'ibx2paused0+2 +base +pausiert '
ok $? "120 columns: 'pausiert' is whole ($(tui_screen | grep -o 'ibx2paused.*' | cut -c1-50))"
tui_screen | grep -Eq 'ibx1running0+1 +base +läuft '
ok $? "120 columns: 'läuft' lines up"
tui_stop
tui_start 80 24 --replay "$REPLAY"
tui_wait 'Sandboxen \(3 von 3\)' 8
tui_screen | grep -Eq 'ibx2paused0+2 +(base +)?pausiert '
ok $? "80 columns: 'pausiert' is whole ($(tui_screen | grep -o 'ibx2paused.*' | cut -c1-50))"
tui_stop
tui_start 120 30 --replay "$abs_top_srcdir/tests/tui/screens/session.json"
tui_wait 'Sandboxen \(' 8
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Vorlagen \(2\)' 5
tui_screen | grep -Eq ' ÖFFENTL +BUILDS +STARTS +ZULETZT' && tui_screen | grep -Eq ' ja +1 +7 '
ok $? "templates: 'ÖFFENTL' whole, the rows under their titles ($(tui_screen | grep -o 'STATUS.*'))"
tui_done
