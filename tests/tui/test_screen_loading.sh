#!/bin/sh
# test_screen_loading.sh - golden screens of the loading states (golden.sh, UPDATE_SCREENS=1
# rewrites them) of the views that fetch before they can draw rows: snapshots, volumes,
# webhooks and commands, against a loopback fake that never answers those requests
# (fake_cloud_golden_cmds.js: /snapshots, /volumes, /events/webhooks, ihang's logs). The
# title has no count until an answer came; leaving a view while it loads cancels its request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..5"
golden_fake fake_cloud_golden_cmds.js

golden_start_fake 120 30 ihang
for v in snapshots volumes webhooks; do
    tui_keys :; tui_type "$v"; tui_keys Enter
    tui_wait 'loading' 5
    golden "${v}_loading"
    tui_keys Escape
done
# Esc dropped requests still in flight: boxtop goes on (the webhooks view's cancel crashed)
tui_wait 'Sandboxes' 5 && [ ! -f "$TMPD/exit" ]
ok $? "Esc while the list views load cancels their requests; boxtop runs on"
tui_keys :; tui_type 'commands ihang'; tui_keys Enter
tui_wait 'loading' 5
golden commands_loading
tui_done
