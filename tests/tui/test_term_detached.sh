#!/bin/sh
# test_term_detached.sh - issue 24 point 2: a detached session keeps its stream and its screen
# up to date (like a tmux session with no client): output printed while detached is all there
# on reattach, the prompt after it too, and the shell still works; a detached flood stays
# within the scrollback bound.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..7"

bxd_one_sandbox
pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }

tui_start 120 40
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15; ok $? "a shell"
run 'for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done; echo loop-$((40+2))'
tui_wait '^tick 2' 5; pfx d
tui_wait 'Sandboxes' 5; ok $? "detached while the loop runs: back to the sandboxes"
sleep 7 # the loop ends while nobody looks
tui_keys : ; tui_type sessions; tui_keys Enter; tui_wait 'Sessions \(1\)' 5
tui_keys Enter
tui_wait '^loop-42' 10; ok $? "reattach shows what was printed while detached (the loop's end)"
S=$(tui_screen)
for i in 1 2 3 4 5 6; do printf '%s\n' "$S" | grep -q "^tick $i *\$" || false; done &&
    printf '%s\n' "$S" | grep -A1 '^loop-42' | tail -1 | grep -q '[$#] *$'
ok $? "every tick and the prompt after the loop are on the screen"
run 'echo still-$((6*7))'; tui_wait '^still-42' 5; ok $? "the reattached shell still works"

# a flood while detached: the session keeps up (bounded) and reattach shows the end of it
run 'clear'; sleep 0.3
run 'sleep 1; seq 1 300000; echo flood-done'; sleep 0.3; pfx d; tui_wait 'Sandboxes' 5
sleep 8
tui_keys : ; tui_type sessions; tui_keys Enter; tui_wait 'Sessions \(1\)' 5
H=$(tui_screen | awk '$3 == "detached" { print $4 }')
[ -n "$H" ] && [ "$H" -ge 5000 ] && [ "$H" -le 10000 ]
ok $? "a detached flood is followed within the scrollback bound (history $H lines, at most 10000)"
tui_keys Enter
tui_wait '^flood-done' 20 && tui_screen | grep -q '^300000 *$'; ok $? "reattach after a detached flood shows its end"
exit 0
