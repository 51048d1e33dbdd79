#!/bin/sh
# test_tui_hostile.sh - nothing a sandbox sends can break the screen: metadata with escape
# sequences (SGR, OSC title, cursor moves, alt-screen off), a bidi override and a 10 000-
# character value is shown sanitized and truncated, and the terminal state is untouched.
. "$(dirname "$0")/lib.sh"
echo "1..8"

long=$(awk 'BEGIN { s = ""; for (i = 0; i < 10000; i++) s = s "x"; print s "END" }')
# JSON escapes keep this file ASCII; the parser turns them into raw ESC/BEL/U+202E bytes
cat > "$TMPD/hostile.json" <<EOS
{"version":1,"recordedAt":1764072000000,"backend":"hostile \u001b]0;pwned-title\u0007fixture","concurrencyLimit":5,
 "sandboxes":[
  {"sandboxID":"ibxevil\u001b[5m\u001b[31mRED","templateID":"t\u001b[2J\u001b[Hclear","state":"running","cpuCount":1,"memoryMB":256,
   "startedAt":1764071000000,"endAt":1764075600000,
   "metadata":{"sgr":"a\u001b[1;31;5mBLINKRED\u001b[0m","osc":"\u001b]0;pwned-title\u0007b","alt":"\u001b[?1049l\u001b[?25lc",
               "bidi":"\u202eevil-reversed\u202c","zz":"$long"}},
  {"sandboxID":"ibxplain","templateID":"base","state":"running","metadata":{"owner":"alice"}}
 ]}
EOS

tui_start 200 30 --replay "$TMPD/hostile.json"
tui_wait 'ibxplain'; ok $? "the table appears with the hostile rows"
S=$(tui_screen)
E=$(tui_screen_e)
# tmux keeps injected SGR as attributes; ours are 256-colour (38;5;N) so these never appear
! printf '%s' "$E" | grep -Eq '\[(1;)?31m|\[5m|\[31;5m|;5m.*BLINKRED'
ok $? "capture-pane -e shows no injected SGR attributes (red, blink)"
! printf '%s' "$S" | grep -q "$(printf '\342\200\256')"; ok $? "the bidi override is removed"
[ "$(tui_fmt '#{pane_title}')" != "pwned-title" ]; ok $? "the OSC title sequence did not reach the terminal"
[ "$(tui_fmt '#{alternate_on}#{cursor_flag}')" = 10 ]; ok $? "alt screen still on, cursor state ours (no injected ?1049l/?25l)"
# the long value is cut with an ellipsis and never wraps into the next row
printf '%s' "$S" | grep 'ibxevil' | grep -q '…' && ! printf '%s' "$S" | grep -q 'xEND'
ok $? "the 10 000-character value is truncated with an ellipsis"
printf '%s' "$S" | grep -Eq '^ +ibxevilRED +tclear +running' && printf '%s' "$S" | grep -Eq '^ +ibxplain +base +running .*owner=alice'
ok $? "the sanitized id stays readable and the next row is intact"
tui_keys Enter; tui_wait 'Metadata'
tui_screen | grep -Eq 'sgr +aBLINKRED' && tui_screen | grep -Eq 'zz +xxxxxxxxxx+…' && [ "$(tui_fmt '#{pane_title}')" != "pwned-title" ]
ok $? "the detail view shows the same metadata sanitized"
tui_keys q q
tui_done
