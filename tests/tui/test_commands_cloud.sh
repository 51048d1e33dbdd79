#!/bin/bash
# test_commands_cloud.sh - the commands view against a loopback fake of E2B cloud
# (fake_cloud_cmds.js): cloud-format process lines (no process_output; exit codes from v1
# lines; out of order; a reused pid; an end without a start; a hostile command line), a
# process only Process.List knows, a backend that keeps no output (the pane says so and shows
# the byte counts) and output captured live from the moment boxtop attaches.
. "$(dirname "$0")/lib.sh"
echo "1..10"
fake_cloud_start fake_cloud_cmds.js

tui_start 180 40 --api-url "http://127.0.0.1:$PORT"
tui_wait 'icloud' 10
tui_keys c
tui_wait 'Commands icloud +5 commands, 3 failed, 1 running, 1 not in the log' 10
ok $? "c: 5 commands from cloud-format lines, 3 failed, 1 running, 1 only in Process.List"
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -Eq 'exit 0 +12 +pip install -r requirements.txt' &&
    printf '%s\n' "$scr" | grep -Eq 'exit 1 +40 +pytest -x tests/' &&
    printf '%s\n' "$scr" | grep -Eq 'exit 2 +7 +\(started before the log\)' &&
    printf '%s\n' "$scr" | grep -Eq 'signal: killed +12 +sleep 100' &&
    printf '%s\n' "$scr" | grep -Eq 'running +71 +python train.py --epochs 3' &&
    printf '%s\n' "$scr" | grep -Eq 'running, not in log +500 +/usr/bin/top -b'
ok $? "results from v1 lines, the reused pid 12 twice, the end without a start, the listed one"
! tui_screen_e | grep 'train.py' | grep -q $'\033\\[2J'
ok $? "the hostile command line is sanitized"
tui_keys /; tui_type pytest; tui_keys Enter; tui_wait 'filter: pytest' 3 && tui_keys Enter
tui_wait 'keeps no command output .*only the byte counts' 5 && tui_wait 'stdout 80(\.0)? ?K' 3 &&
    tui_wait '— exit 1 —' 3
ok $? "a finished command: no output kept (said so), its byte counts and result"
tui_keys Escape; tui_keys /; tui_keys C-u; tui_type train; tui_keys Enter
tui_wait 'filter: train' 3 && tui_keys Enter
tui_wait 'attached, live' 5 && tui_wait 'showing it from the moment boxtop attached' 3
ok $? "a running command: attached with Process.Connect, the caveat shown"
tui_wait 'epoch 3' 5 && [ "$(tui_screen | grep -c '^  epoch 1$')" -eq 1 ]
ok $? "output captured live from the attach, each line once"
tui_keys /; tui_keys C-u; tui_type 'epoch 2'; tui_keys Enter; tui_keys n
tui_wait 'search: epoch 2' 3 && sleep 0.3 &&
    tui_screen_e | grep 'epoch 2' | grep -v 'search:' | grep -q $'\033\[[0-9;]*7m'
ok $? "/ and n in the output find a line and show it highlighted"
tui_keys w; tui_wait 'save the output to' 3 && tui_keys C-u && tui_type "$TMPD/out.txt" && tui_keys Enter
tui_wait 'lines saved to' 5 && grep -qx 'epoch 1' "$TMPD/out.txt" && grep -qx 'epoch 3' "$TMPD/out.txt"
ok $? "w saves the output to a file"
# an envd that logs no process events: a note, and the commands seen while boxtop watched
tui_keys Escape Escape; tui_keys :; tui_type 'commands inolog'; tui_keys Enter
tui_wait 'Commands inolog' 5 && tui_wait 'no process events in this sandbox.s logs yet' 5 &&
    tui_wait 'running, not in log +300 +make build' 10
ok $? "no process events: a clear note, and what Process.List shows"
tui_wait 'ended, seen by boxtop +300 +make build' 15
ok $? "a process that ends while boxtop watches stays, as ended"
exit $FAILED
