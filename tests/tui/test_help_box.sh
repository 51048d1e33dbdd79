#!/bin/bash
# test_help_box.sh - issue 24 point 11: the `?` help box is sized to the terminal and its
# lines are never cut (long ones wrap), in English and German, at 80x24 and 200x50; and it
# holds no stale text ("later versions" for keys that exist).
. "$(dirname "$0")/lib.sh"
echo "1..6"
REPLAY=$abs_top_srcdir/tests/tui/three.json
cut_lines() { tui_screen | grep '│.*│' | sed 's/^[^│]*│\([^│]*\)│.*/\1/' | grep -c '…'; }
box_width() { tui_screen | grep -m1 '┌' | sed 's/^[^┌]*\(┌[^┐]*┐\).*/\1/' | wc -m; }
tui_start 200 50 --replay "$REPLAY"
tui_wait 'Sandboxes \(3 of 3\)' 8
tui_keys '?'; tui_wait 'Keys: ' 3
n=$(cut_lines); [ "$n" -eq 0 ]; ok $? "200x50: no help line is cut ($n cut)"
w=$(box_width); [ "$w" -gt 77 ] && [ "$w" -lt 200 ]; ok $? "200x50: the box is as wide as its text needs ($w columns)"
! tui_screen | grep -q 'later versions' && tui_screen | grep -q 'shell'; ok $? "no stale 'later versions' text"
tui_stop
tui_start 80 24 --replay "$REPLAY"
tui_wait 'Sandboxes \(3 of 3\)' 8
tui_keys '?'; tui_wait 'Keys: ' 3
n=$(cut_lines); [ "$n" -eq 0 ]; ok $? "80x24: no help line is cut, long ones wrap ($n cut)"
tui_stop
unset BOXTOP_LOCALEDIR LANGUAGE
export TUI_LANG=de_DE.UTF-8
tui_start 80 24 --replay "$REPLAY"
tui_wait 'Sandboxen \(3 von 3\)' 8
tui_keys '?'; tui_wait 'Tasten: ' 3
n=$(cut_lines); [ "$n" -eq 0 ]; ok $? "80x24 German: no help line is cut ($n cut)"
for i in $(seq 1 30); do tui_keys j; done; sleep 0.3
n=$(cut_lines); [ "$n" -eq 0 ] && tui_screen | grep -q 'Überall'; ok $? "80x24 German, scrolled to the end: no line cut, the global keys shown ($n cut)"
tui_done
