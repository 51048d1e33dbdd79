#!/bin/sh
# test_template_builds_follow.sh - the templates view's builds pane keeps its selection on the
# build the user chose when the list is read again and a new build has arrived on top (newest
# first; fake_cloud_templates.js with FAKE_NEW_BUILD_AFTER): Enter then opens that build's log,
# not the one that moved into its row.
. "$(dirname "$0")/lib.sh"
echo "1..3"
APP=k3j2v7q9x0a1b2c3d4e5
fake_cloud_start fake_cloud_templates.js FAKE_RUN_POLLS=1000000 FAKE_NEW_BUILD_AFTER=5
tui_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait 'No sandboxes|no sandboxes|running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait "$APP" 10
tui_keys j Enter; tui_wait "Template $APP" 5
tui_keys Tab; tui_wait 'j/k build  Enter its log' 5
tui_wait '8e2f-000000000001 error' 10 # the oldest build, third in the pane
ok $? "the pane lists my-app's three builds"
tui_keys j j
tui_wait '8e2f-000000000004' 40 # the pane reads again every 2 s while a build runs; the 5th read has it
ok $? "a build started while the pane is open arrives on top"
tui_keys Enter
tui_wait 'Build failed: failed to run command' 10
ok $? "Enter opens the build selected before the new one arrived, not the one now in its row"
tui_done
