#!/bin/sh
# test_events_width.sh - the events view's EVENT column fits the names it shows, translated
# ("fortgesetzt" was cut to "fortgese…" in a column sized for the English names) or as the
# server sent them. A private boxtopd: a sandbox created, paused and resumed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"
bxd_one_sandbox
"$BOXTOP" pause "$ID" >/dev/null && "$BOXTOP" resume "$ID" >/dev/null
events() {
    tui_start 120 30
    tui_wait "$(echo "$ID" | cut -c1-12)" 15
    tui_keys :; tui_type events; tui_keys Enter
}
events
tui_wait "resumed +$ID" 10; ok $? "English: 'resumed' and its sandbox"
tui_stop
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
events
tui_wait "fortgesetzt +$ID" 10; ok $? "German: 'fortgesetzt' whole ($(tui_screen | grep -o '[^ ]* *'"$ID"'.*' | head -1 | cut -c1-40))"
tui_screen | grep -Eq "pausiert +$ID" && tui_screen | grep -Eq "ZEIT +EREIGNIS +SANDBOX"
ok $? "German: the other rows and the titles line up"
tui_done
