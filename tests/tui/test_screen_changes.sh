#!/bin/sh
# test_screen_changes.sh - golden screens of issue 17's changed-files view (golden.sh) against
# a loopback fake of E2B cloud and envd (fake_cloud_changes.js: fixed find records, one of
# them with a hostile name, and malformed output): the list, the filter, the pager.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..6"
golden_fake fake_cloud_changes.js

golden_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait ichg 10
tui_keys d
tui_wait 'Changed files .* done' 10
golden changes
tui_title_safe
ok $? "a hostile file name is drawn sanitized"
tui_keys /; tui_type home/user/n; tui_keys Enter
golden changes_filter
tui_keys Enter
tui_wait 'the agent was here' 10
golden changes_pager

# a huge tree: rows show while the walk goes on, Esc stops it in the sandbox too
tui_keys Escape; tui_keys Escape
tui_keys :; tui_type 'changes islow'; tui_keys Enter
tui_wait 'scanning… \(Esc stops\)' 10 && tui_wait '/data/f00003' 10
ok $? "results stream in while the scan runs"
tui_keys Escape
tui_wait 'islow .* stopped' 5 && n1=$(tui_screen | grep -c '/data/f') && sleep 1 &&
    [ "$(tui_screen | grep -c '/data/f')" = "$n1" ] && grep -q '^SIGNAL 77 ' "$TMPD/fake.out"
ok $? "Esc stops the scan: no more rows, the process is killed (SendSignal to pid 77)"
tui_done
