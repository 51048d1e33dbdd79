#!/bin/sh
# test_term_bidi.sh - bidi/format controls a shell prints in a terminal tab (U+202E RIGHT-TO-LEFT
# OVERRIDE and the rest of sanitize.c's list) never reach the outer terminal: the pane tmux
# shows has none of them, the letters around them are all there, and a cell of its own shows
# U+FFFD as everywhere else in boxtop. Against a real boxtopd (bxd.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"

bxd_one_sandbox
run() { tui_type "$1"; tui_keys Enter; }
# every bidi control sanitize.c replaces, UTF-8 encoded (grep -c counts lines with any)
BIDI="$(printf '\342\200\252\|\342\200\253\|\342\200\254\|\342\200\255\|\342\200\256\|\342\201\246\|\342\201\247\|\342\201\250\|\342\201\251\|\342\200\216\|\342\200\217\|\330\234')"

tui_start 100 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15; ok $? "a shell in the sandbox"

# the shell prints: a RLO b LRE c LRM d FSI e PDI f ALM g RLM h, then a marker to wait for
run "printf 'BIDI:a\\342\\200\\256b\\342\\200\\252c\\342\\200\\216d\\342\\201\\250e\\342\\201\\251f\\330\\234g\\342\\200\\217h:END\\n'; echo DONE-\$((40+2))"
tui_wait '^DONE-42' 10
# the outer pane's text, as tmux keeps it (capture-pane -e: with the escape sequences)
tui_screen_e > "$TMPD/pane"
grep -q 'BIDI:a.*h:END' "$TMPD/pane" && [ "$(grep -c "$BIDI" "$TMPD/pane")" -eq 0 ]
ok $? "no bidi control reaches the outer terminal (capture-pane -e)"
grep 'BIDI:' "$TMPD/pane" | grep -v printf | sed 's/[^a-h]//g' | grep -q 'abcdefgh'
ok $? "every letter around them is drawn, in order"
exit 0
