#!/bin/bash
# test_builds_plural.sh - the templates view's builds pane counts with ngettext_: one build
# left below reads "… 1 more build" (it read "1 more builds"), in German "… 1 weiterer Build",
# and the title "Vorlage …, 1 Build", against the cloud fake (fake_cloud_templates.js,
# FAKE_MANY_BUILDS). At 160x40 the pane shows 24 builds, or 23 and the count row: with 25,
# the selection moved one below the first page leaves exactly one below.
. "$(dirname "$0")/lib.sh"
echo "1..6"
MANY=m4nybu1ld5000000000
open_many() { # the templates view, "many" selected, its pane open
    tui_start 160 40 --api-url "$E2B_SANDBOX_URL"
    tui_wait 'running|laufend' 15
    tui_keys :; tui_type templates; tui_keys Enter
    tui_wait "$MANY +many " 10
    tui_keys j j j Enter # base, my-app, evil, many: the fake's order
}
one_below() { tui_keys Tab; for _ in $(seq 1 23); do tui_keys j; done; }

fake_cloud_start fake_cloud_templates.js FAKE_MANY_BUILDS=25
open_many
tui_wait "Template $MANY, 25 builds" 10 && tui_wait '… 2 more builds *│' 5
ok $? "two builds below: '… 2 more builds'"
one_below
tui_wait '… 1 more build *│' 5
ok $? "one build left below: '… 1 more build' ($(tui_screen | grep -o '… [0-9]* more [a-z]*'))"
tui_stop

# German, with the catalogue built from po/de.po (as test_i18n.sh does)
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
open_many
tui_wait "Vorlage $MANY, 25 Builds" 10 && tui_wait '… 2 weitere Builds *│' 5
ok $? "German: '… 2 weitere Builds'"
one_below
tui_wait '… 1 weiterer Build *│' 5
ok $? "German: '… 1 weiterer Build' ($(tui_screen | grep -o '… [0-9]* weiter[a-z]* [A-Za-z]*'))"
tui_stop
kill "$FAKE"; wait "$FAKE" 2>/dev/null

fake_cloud_start fake_cloud_templates.js FAKE_MANY_BUILDS=1
open_many
tui_wait "Vorlage $MANY, 1 Build" 10
ok $? "German: one build in the title"
! tui_screen | grep -Eq 'weitere|darüber'
ok $? "one build: nothing counted above or below"
tui_done
