#!/bin/sh
# test_webhook_form_cursor.sh - the webhook form's cursor by display width, against boxtopd:
# after CJK and emoji (two columns each) it marks the character it is on, not one counted as
# if every character took one column; a long line of wide characters scrolls so that the
# cursor stays in the field and Ctrl-A (Home) shows the start again; the secret shows one '*' per
# character. In German every label and button is whole ("Ereignisse", "[ Speichern ]").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..7"
cleanup() { tui_stop; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
bxd_start

# line TEXT: the screen's line holding TEXT, the cell in reverse video (the form's cursor)
# in [brackets]
line() {
    tui_screen_e | perl -CSDA -ne 'BEGIN { $want = shift }
        my ($rev, $out) = (0, "");
        while (/\G(?:\e\[([0-9;]*)m|(\e\[[0-9;?]*[A-Za-z])|(.))/gs) {
            if (defined $1) {
                my @p = split /;/, ($1 eq "" ? "0" : $1);
                while (@p) {
                    my $q = shift @p;
                    if ($q eq "38" || $q eq "48") { splice(@p, 0, ($p[0] // "") eq "5" ? 2 : 4); next }
                    $rev = 0 if $q eq "0" || $q eq "27";
                    $rev = 1 if $q eq "7";
                }
            } elsif (defined $3) { $out .= $rev ? "[$3]" : $3 }
        }
        $out =~ s/\]\[//g; if (index($out =~ s/[][]//gr, $want) >= 0) { print $out; exit }' "$1"
}

tui_start 100 30
tui_wait 'Sandboxes \(' 15
tui_keys :; tui_type webhooks; tui_keys Enter; tui_wait 'Webhooks' 5
tui_keys n; tui_wait 'New webhook' 5
tui_type '漢字テスト😀ab'
tui_keys Left Left Left
tui_wait 'テスト😀ab' 3
line '│ Name' | grep -q 'テスト\[😀\]ab'; ok $? "on the emoji after five CJK characters ($(line '│ Name' | sed 's/  */ /g'))"
tui_keys C-e # End (tmux's End key is a sequence the pane's TERM does not name)
line '│ Name' | grep -q '😀ab\[ \]'; ok $? "at the end: after the text ($(line '│ Name' | sed 's/  */ /g'))"

tui_keys Tab
tui_type 'https://例え.jp/'
i=0; while [ $i -lt 40 ]; do tui_type '漢'; i=$((i + 1)); done
tui_wait 'URL +漢' 3
line '│ URL' | grep -Eq '漢\[ \] *│' && ! line '│ URL' | grep -q 'https'
ok $? "a long line of wide characters scrolls: the cursor at its end, in the field ($(line '│ URL' | sed 's/  */ /g'))"
tui_keys C-a # Home
line '│ URL' | grep -q '\[h\]ttps://例え.jp/漢'; ok $? "Home: the start and the cursor on it ($(line '│ URL' | sed 's/  */ /g'))"

tui_keys Tab; tui_type '秘密x'
line '│ Secret' | grep -Eq 'Secret +\*\*\*\[ \]' && ! tui_screen | grep -q '秘密'
ok $? "the secret: one '*' per character, the cursor after them"
tui_stop

mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
tui_start 100 30
tui_wait 'Sandboxen \(' 15
tui_keys :; tui_type webhooks; tui_keys Enter; tui_wait 'Webhooks' 5
tui_keys n; tui_wait 'Neuer Webhook' 5
tui_screen | grep -q 'Ereignisse \[x\]' && tui_screen | grep -Eq 'Geheimnis +[^ ]|Geheimnis  '
ok $? "German: the labels whole, a space after the longest"
tui_screen | grep -q '\[ Speichern \]  \[ Abbrechen \]' && tui_screen | grep -q 'Esc bricht ab'
ok $? "German: the buttons and the key hint whole"
tui_done
