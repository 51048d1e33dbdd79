#!/bin/sh
# test_exec_interrupt.sh - issue 24 point 9: Ctrl-C on `boxtop exec ID -- CMD` in a terminal
# (tmux) ends the remote command and its children (the whole process group), not only the
# shell that ran it; the same for a SIGTERM to boxtop exec.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..5"

bxd_one_sandbox
[ -n "$ID" ]; ok $? "boxtopd up, a sandbox"
# remote processes whose command line has WORD, as seen from inside the sandbox
remote_count() { "$BOXTOP" exec "$ID" -- "ps -eo args | grep -c '^sleep $1'" 2>/dev/null; }

tm new-session -d -s t -x 100 -y 20 "env PS1='PROMPT\$ ' TERM=xterm-256color LANG=C.UTF-8 bash --norc -i"
tui_wait PROMPT
tui_type "$BOXTOP exec $ID -- 'echo started; sleep 41; echo finished'; echo rc=\$?"; tui_keys Enter
tui_wait '^started' 15 && [ "$(remote_count 41)" = 1 ]; ok $? "the remote command runs (sleep 41 in the sandbox)"
tui_keys C-c
tui_wait 'rc=(130|137)$' 10; ok $? "Ctrl-C ends boxtop exec"
n=150; while [ $n -gt 0 ] && [ "$(remote_count 41)" != 0 ]; do sleep 0.1; n=$((n-1)); done
[ "$(remote_count 41)" = 0 ] && ! tui_screen | grep -q '^finished'
ok $? "Ctrl-C ended the remote command's children too (no sleep 41 left)"

"$BOXTOP" exec "$ID" -- 'sleep 42 & sleep 43; echo finished' > "$TMPD/out" 2>&1 &
XP=$!
n=100; while [ $n -gt 0 ] && [ "$(remote_count 43)" != 1 ]; do sleep 0.1; n=$((n-1)); done
kill -TERM "$XP"; wait "$XP"
n=150; while [ $n -gt 0 ] && [ "$(remote_count 4[23])" != 0 ]; do sleep 0.1; n=$((n-1)); done
[ "$(remote_count 4[23])" = 0 ]; ok $? "SIGTERM to boxtop exec ends the whole group (background job too)"
exit 0
