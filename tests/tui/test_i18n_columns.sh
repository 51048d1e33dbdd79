#!/bin/sh
# test_i18n_columns.sh - tables drawn as lines of text line up in German, where titles and
# states are longer or hold umlauts (widths by display columns, not bytes), against a real
# boxtopd: `:api` (METHODE, 7 columns in a 6-column field, pushed every title after it off its
# column), `:exec`'s results while a command runs ("läuft": 5 columns in 6 bytes) and
# `:compare`'s groups (GRÖSSE); in a recording, the templates pane's builds (SPEICHER in a
# 7-column field was cut to "SPEICH…") and the webhook deliveries (VERS. in 4).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..12"
cleanup() { tui_stop; [ -n "$S1" ] && "$BOXTOP" kill "$S1" >/dev/null 2>&1; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
bxd_start
S1=$("$BOXTOP" create --timeout 600)
[ -n "$S1" ]; ok $? "boxtopd up, a sandbox"

# pos REGEX [end]: the column (characters, from 0) where REGEX first matches on the screen,
# or where that match ends
pos() {
    tui_screen | perl -CSDA -ne 'BEGIN { ($r, $e) = (shift, shift) }
        if (/$r/) { print $e ? $+[0] : $-[0]; exit }' "$1" "${2:-0}"
}
same() { # same NAME A B: ok when both columns are known and equal
    [ -n "$2" ] && [ "$2" = "$3" ]; ok $? "$1 (title $2, cells $3)"
}

tui_start 120 30
tui_wait "$S1" 15
tui_keys :; tui_type api; tui_keys Enter; tui_wait 'API-Aufrufe'
tui_wait 'GET +200 ' 5
same ":api: STATUS over the status codes" "$(pos ' \KSTATUS ')" "$(pos 'GET +\K200 ')"
same ":api: EIN ends where the bytes in end" "$(pos ' EIN ' 1)" "$(pos 'GET +200 .* \K[0-9.,]+[BKMG] ' 1)"
same ":api: PFAD over the paths" "$(pos ' \KPFAD')" "$(pos 'GET +200 .*  \K/')"
tui_keys Escape

# a command that runs a while: its row says "läuft" under EXIT, then its duration and output
tui_keys :; tui_type "exec sleep 30"; tui_keys Enter
tui_wait "$S1 +läuft" 10
same ":exec: DAUER ends where a running command's duration ends" "$(pos ' DAUER' 1)" \
    "$(pos "$S1 +läuft +\\K[0-9.,]+s" 1)"
same ":exec: AUSGABE ends where its output's size ends" "$(pos ' AUSGABE' 1)" \
    "$(pos "$S1 +läuft +[0-9.,]+s +\\K[0-9.,]+[BKMG]" 1)"
tui_keys Escape; tui_wait 'abbrechen|beenden|\(j/n\)|j ' 3 && tui_keys j
tui_wait 'Sandboxen \(' 5 || tui_keys Escape

tui_keys :; tui_type "compare /etc/hostname"; tui_keys Enter
tui_wait '1 (Gruppe|Gruppen)' 20 || tui_wait 'GRUPPE' 5
same ":compare: GRÖSSE ends where the size ends" "$(pos ' GRÖSSE' 1)" "$(pos '#1 +[0-9a-f]+ +\K[0-9.,]+[BKMG]' 1)"
same ":compare: KOPIEN ends where the count ends" "$(pos ' KOPIEN' 1)" "$(pos '#1 +[0-9a-f]+ +[0-9.,]+[BKMG] +\K[0-9]+' 1)"
tui_stop

tui_start 120 30 --replay "$abs_top_srcdir/tests/tui/screens/session.json"
tui_wait 'Sandboxen \(' 10
tui_keys :; tui_type templates; tui_keys Enter; tui_wait 'py3tmpl' 5
tui_keys j Enter; tui_wait 'Vorlage py3tmpl' 5 && tui_wait ' SPEICHER ' 5
ok $? "templates pane: SPEICHER whole ($(tui_screen | grep -o 'BUILD .*' | cut -c1-100))"
same "templates pane: SPEICHER over the builds' memory" "$(pos 'GESTARTET .* \KSPEICHER ')" \
    "$(pos 'building +[0-9a-z]+ +[0-9-]+ [0-9:]+ +- +1 +\K256M')"
tui_keys Escape Escape; tui_keys :; tui_type webhooks; tui_keys Enter; tui_wait 'deploy-notify' 5
tui_keys Enter; tui_wait 'Zustellungen' 5 && tui_wait ' VERS\. ' 5
ok $? "webhook deliveries: VERS. whole"
same "webhook deliveries: ERGEBNIS over the results" "$(pos ' \KERGEBNIS ')" "$(pos 'killed +1 +\K200 ')"
tui_done
