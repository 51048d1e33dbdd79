#!/bin/sh
# test_screen_commands.sh - golden screens of the commands view, its output pane and the
# timeline (golden.sh, UPDATE_SCREENS=1 rewrites them) against a loopback fake of E2B cloud
# and envd with fixed answers (fake_cloud_golden_cmds.js): the table (ok, failed, killed, a
# very long and a hostile command line, one running, one only Process.List knows), the
# output of a failed command (stderr marked, a hostile and a very long line), the live
# output of the running one, the timeline, the same at 80x24, a sandbox where nothing ran
# yet and one whose logs fail.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..10"
golden_fake fake_cloud_golden_cmds.js

golden_start_fake 120 30 icmd
tui_keys :; tui_type 'commands icmd'; tui_keys Enter
tui_wait 'not in the log' 10
golden commands
tui_title_safe
ok $? "a hostile command line is drawn sanitized"
tui_keys /; tui_type pytest; tui_keys Enter; tui_wait 'filter: pytest' 5
tui_keys Enter
tui_wait 'exit 1 —' 10
golden commands_output
tui_title_safe
ok $? "a hostile output line is drawn sanitized"
tui_keys Escape; tui_keys /; tui_keys C-u; tui_type train; tui_keys Enter
tui_wait 'filter: train' 5; tui_keys Enter
tui_wait 'epoch 2/3' 10
golden commands_output_live
tui_keys Escape; tui_keys /; tui_keys C-u; tui_keys Enter
tui_keys T
tui_wait 'OOM|oom|events' 10
golden commands_timeline
tui_stop

golden_start_fake 80 24 icmd
tui_keys :; tui_type 'commands icmd'; tui_keys Enter
tui_wait 'not in the log' 10
golden commands_80
tui_keys k k k k Enter
tui_wait 'exit 1 —' 10
golden commands_output_80
tui_stop

golden_start_fake 120 30 icmd
tui_keys :; tui_type 'commands iquiet'; tui_keys Enter
tui_wait 'Commands iquiet' 10
golden commands_empty
tui_keys Escape
tui_keys :; tui_type 'commands ibroken'; tui_keys Enter
tui_wait 'Commands ibroken' 10
golden commands_error
tui_done
