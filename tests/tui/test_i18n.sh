#!/bin/sh
# test_i18n.sh - the message catalogue is complete and German shows in every view.
# 1. po/POTFILES.in names exactly the source files that use _(), N_() or ngettext_();
# 2. every string they mark (xgettext with po/Makevars' options, run afresh here) has a German
#    translation in po/de.po that is neither missing nor fuzzy (msgcmp), and the formats match
#    (msgfmt -c); the same holds for the build's po/boxtop.pot when there is one;
# 3. boxtop in tmux with the German catalogue shows German labels in the sandboxes, help,
#    logs, events, templates and team views, and a German plural (ngettext_).
# The run uses LANG=de_DE.UTF-8 exactly as a user would (bootstrap.sh and .ci/run generate
# that locale with localedef) and BOXTOP_LOCALEDIR for the uninstalled catalogue.
. "$(dirname "$0")/lib.sh"
echo "1..11"
cd "$abs_top_srcdir" || exit 1

want=$(grep -rlE '(^|[^A-Za-z0-9_])(N|ngettext)?_\("' --include='*.c' src | sort)
have=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
[ "$want" = "$have" ]; ok $? "po/POTFILES.in lists every source file with _(), N_() or ngettext_()"
[ "$want" = "$have" ] || diff -u /dev/fd/3 /dev/fd/4 3<<E1 4<<E2 | sed 's/^/# /'
$have
E1
$want
E2

# the keywords the build uses (po/Makevars), so a marker the build does not know is caught here
xgopts=$(sed -n 's/^XGETTEXT_OPTIONS *= *//p' po/Makevars)
# shellcheck disable=SC2086
xgettext $xgopts -o "$TMPD/fresh.pot" -f po/POTFILES.in 2>"$TMPD/xg.err"
ok $? "xgettext extracts the strings"
n=$(grep -c '^msgid ' "$TMPD/fresh.pot")
msgcmp po/de.po "$TMPD/fresh.pot" 2>"$TMPD/cmp.err"
ok $? "every one of the $((n - 1)) marked strings has a German translation (msgcmp)"
sed 's/^/# /' "$TMPD/cmp.err" | head -20
stats=$(msgfmt -c --statistics -o "$TMPD/de.mo" po/de.po 2>&1)
rc=$?
[ $rc -eq 0 ] && ! printf '%s' "$stats" | grep -Eq 'fuzzy|untranslated'
ok $? "msgfmt -c: formats match, nothing fuzzy or untranslated ($stats)"
if [ -f "$abs_top_builddir/po/boxtop.pot" ]; then
    msgcmp po/de.po "$abs_top_builddir/po/boxtop.pot" 2>"$TMPD/cmp2.err"
    ok $? "the build's po/boxtop.pot is covered too"
else
    msgcmp po/de.po "$TMPD/fresh.pot" 2>/dev/null; ok $? "the build's po/boxtop.pot is covered too (none built: fresh one)"
fi

mkdir -p "$TMPD/locale/de/LC_MESSAGES"
cp "$TMPD/de.mo" "$TMPD/locale/de/LC_MESSAGES/boxtop.mo"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' ||
    echo "# the de_DE.UTF-8 locale is missing (bootstrap.sh generates it as root)"
tui_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxen \(3 von 3\)' 5 && tui_wait 'laufend [0-9]+ .*pausiert [0-9]+' 2 && tui_screen | grep -Eq 'base +läuft ' &&
    tui_screen | grep -q 'Enter Details  / Filter  Leertaste markieren'
ok $? "the sandboxes view and header are German"
tui_keys '?'; tui_wait 'Tasten: ' 3 && tui_screen | grep -q 'die Auswahl bewegen'
ok $? "the help is German"
tui_keys Escape
tui_keys :; tui_type 'logs sbx-x'; tui_keys Enter
tui_wait 'Logs sbx-x +\[folgt\] +Stufe ≥ debug' 3 && tui_screen | grep -q 'in einer Wiedergabe nicht verfügbar' &&
    tui_screen | grep -q 'f folgen'
ok $? "the logs view is German"
tui_keys Escape; tui_keys :; tui_type events; tui_keys Enter
tui_wait 'Ereignisse \(Team\)' 3 && tui_screen | grep -q 'Typ: alle'; ok $? "the events view is German"
tui_keys Escape; tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Vorlagen \(0\)' 3; a=$?
tui_keys Escape; tui_keys :; tui_type team; tui_keys Enter
tui_wait 'Team .* Zeitraum 1h' 3 && tui_screen | grep -q 'nächster Zeitraum' && [ $a -eq 0 ]
ok $? "the templates and team views are German"
tui_keys Escape; tui_wait 'Sandboxen \(3 von 3\)' 3
tui_keys Space Down Space K
tui_wait '2 Sandboxen beenden\?' 3; ok $? "a plural (ngettext_) is German: 2 Sandboxen beenden?"
tui_keys n
tui_done
