#!/bin/sh
# test_term_tabs.sh - the terminal's tab bar keeps every tab in sight as tmux's status line
# does: labels shrink to share the width (the number and the start of the sandbox id stay),
# and when even that is too wide the bar shows the tabs around the current one with '<' and
# '>' for the others. At 80 columns the third tab (the current one) was not drawn at all.
# Against a private boxtopd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..6"
bxd_one_sandbox
S=$(echo "$ID" | cut -c1-4)
pfx() { tui_keys C-]; tui_keys "$@"; }
bar() { tui_screen | sed -n 3p; }
tui_start 80 24
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
pfx c; tui_wait ' 2:' 10; sleep 0.5
pfx c; tui_wait ' 3:' 10
bar | grep -q " 1:$S" && bar | grep -q " 2:$S" && bar | grep -q " 3:$S"
ok $? "three tabs at 80 columns: all three in the bar ($(bar))"
for n in 4 5 6 7 8 9; do pfx c; tui_wait " $n:" 10; sleep 0.3; done
bar | grep -q ' 9:' && bar | grep -q '<'
ok $? "nine tabs: the current (9) is in the bar, '<' says there are more before ($(bar))"
[ "$(bar | wc -m)" -le 81 ]; ok $? "the bar fits the line"
pfx 1
tui_wait '^ *1:' 5 && bar | grep -q '>'
ok $? "tab 1: the bar starts at it, '>' says there are more after ($(bar))"
tui_stop
tui_start 200 40
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
pfx c; tui_wait ' 2:' 10
bar | grep -q " 1:$ID" && bar | grep -q " 2:$ID" && bar | grep -q '? help'
ok $? "a wide window: whole ids and the help hint ($(bar))"
! bar | grep -q '[<>]'; ok $? "a wide window: no markers"
tui_done
