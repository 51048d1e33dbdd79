#!/bin/sh
# test_plurals.sh - counts of one read as one (ngettext_), in English and German: the fleet
# prompt for one marked sandbox ("exec in 1 sandbox", was "1 sandboxes") and the template
# delete question when one sandbox uses it; German says "Sandboxen" as everywhere else
# (some fleet and template strings said "Sandboxes"). Replays: three.json, session.json.
. "$(dirname "$0")/lib.sh"
echo "1..6"
THREE=$abs_top_srcdir/tests/tui/three.json
SESSION=$abs_top_srcdir/tests/tui/screens/session.json
fleet_one() { # mark one sandbox, X: the prompt
    tui_start 120 30 --replay "$THREE"
    tui_wait 'ibx3idle' 8
    tui_keys Space X
}
tpl_delete() { # the template one sandbox uses (py3tmpl: ibx3idle), D
    tui_start 120 30 --replay "$SESSION"
    tui_wait 'ibx3idle' 8
    tui_keys :; tui_type templates; tui_keys Enter
    tui_wait 'py3tmpl' 5
    tui_keys j D
}
fleet_one
tui_wait 'exec in 1 sandbox: *$' 3; ok $? "one marked sandbox: 'exec in 1 sandbox:' ($(tui_screen | tail -n 1))"
tui_keys Escape u g Space Space X
tui_wait 'exec in 2 sandboxes: *$' 3; ok $? "two: 'exec in 2 sandboxes:'"
tui_stop
tpl_delete
tui_wait 'Delete template py3tmpl0+\? 1 sandbox uses it' 3 && tui_wait 'refuses while it runs' 1
ok $? "one user of a template: '1 sandbox uses it' ($(tui_screen | grep -o 'Delete template.*'))"
tui_keys n
tui_stop

mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
fleet_one
tui_wait 'in 1 Sandbox ausführen: *$' 3; ok $? "German: 'in 1 Sandbox ausführen:' ($(tui_screen | tail -n 1))"
tui_keys Escape u g Space Space X
tui_wait 'in 2 Sandboxen ausführen: *$' 3; ok $? "German: 'in 2 Sandboxen ausführen:'"
tui_stop
tpl_delete
tui_wait 'Vorlage py3tmpl0+ löschen\? 1 Sandbox nutzt sie' 3
ok $? "German: '1 Sandbox nutzt sie' ($(tui_screen | grep -o 'Vorlage py3.*'))"
tui_keys n
tui_done
