#!/bin/sh
# test_logs_hostile.sh - the logs view against a loopback fake API (fake_logs.js) whose lines
# are hostile (ESC/OSC sequences, a 1 MB line, invalid UTF-8) and of every level: shown
# sanitized, the view stays responsive, the error filter shows only errors, follow mode
# appends new lines, wrap, UTC and save work.
. "$(dirname "$0")/lib.sh"
echo "1..11"
fake_cloud_start fake_logs.js

tui_start 160 40 --api-url "http://127.0.0.1:$PORT"
tui_wait 'hostile1' 10
tui_keys l
tui_wait 'Logs hostile1' 5 && tui_wait 'second failure here' 5; ok $? "l opens the logs of the selected sandbox"
tui_screen | grep -q 'title .* clear .*red.* done' && [ "$(tui_fmt '#{pane_title}')" != PWNED ]
ok $? "ESC and OSC sequences are shown inert (the pane title is unchanged)"
tui_screen | grep -q 'INVALIDUTF8 .* tail'; ok $? "invalid UTF-8 is replaced, the line still shows"
tui_screen | grep -q 'BIGxxxx'; ok $? "the 1 MB line is shown (cut to the width)"
tui_keys '?'; tui_wait 'move; above the first line' 2; ok $? "the view stays responsive (help opens)"
tui_keys Escape
tui_wait "tick [0-9]" 5
t1=$(tui_screen | grep -o 'tick [0-9]*' | tail -1)
sleep 1.5
t2=$(tui_screen | grep -o 'tick [0-9]*' | tail -1)
[ -n "$t1" ] && [ "$t1" != "$t2" ]; ok $? "following appends new lines ($t1 → $t2)"
tui_keys 4
tui_wait 'level ≥ error' 3 && [ "$(tui_screen | grep -c 'ERROR ')" = 2 ] &&
    ! tui_screen | grep -Eq ' (INFO|DEBUG|WARN) '
ok $? "the error filter shows exactly the two errors"
tui_keys 1 g W
# wait for the wrapped rows themselves ('wrap' is in the footer before the keys land)
n=100; while [ $n -gt 0 ] && [ "$(tui_screen | grep -c '^ *xxxxxxxx')" -lt 10 ]; do sleep 0.05; n=$((n-1)); done
[ "$(tui_screen | grep -c '^ *xxxxxxxx')" -ge 10 ]
ok $? "W wraps the long line over many rows"
tui_keys W T; tui_wait 'UTC' 10 && tui_wait '[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z' 10
ok $? "T shows UTC timestamps"
tui_keys w; tui_wait 'save visible' 2; tui_keys C-u; tui_type "$TMPD/saved.txt"; tui_keys Enter
tui_wait 'lines saved to' 3 && grep -q 'ERROR first failure here code=17' "$TMPD/saved.txt" &&
    ! grep -q "$(printf '\033')" "$TMPD/saved.txt" && grep -q 'BIGxxx.*bytes more' "$TMPD/saved.txt"
ok $? "w saves the lines, sanitized (no ESC byte, the 1 MB line cut with a note)"
! tui_screen | grep -q deadbeef; ok $? "the API key is not on screen"
exit $FAILED
