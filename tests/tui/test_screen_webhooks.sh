#!/bin/sh
# test_screen_webhooks.sh - golden screens of the webhooks view and its form (`:webhooks`;
# golden.sh, UPDATE_SCREENS=1 rewrites them): the recording's api.webhooks with the last
# delivery of each (api.webhookDeliveries: a success, a time-out, none, a hostile one), the
# deliveries pane, the new and edit forms (a check that fails, a save a replay cannot do),
# the same at 80x24 (long names and URLs cut at the right edge, never wrapped), an empty team
# (screens/session_empty.json), a backend that keeps no delivery history as E2B cloud
# (screens/session_hostile.json) and a recording without the section (three.json: the error
# state).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..13"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type webhooks; tui_keys Enter
tui_wait 'Webhooks \(4\)'
tui_wait 'timed out 11:57:00'
golden webhooks
tui_title_safe
ok $? "hostile webhook names, URLs and delivery errors are drawn sanitized"
tui_keys Enter
tui_wait 'Deliveries of'
golden webhooks_deliveries
tui_keys Enter
tui_keys j j j Enter
tui_wait 'Deliveries of'
golden webhooks_deliveries_hostile
tui_keys Enter k k k
tui_keys n
tui_wait 'New webhook'
tui_type 'build-alerts'; tui_keys Tab; tui_type 'https://alerts.example.com/e2b'
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab Enter # to Save, without a secret
tui_wait 'needs a signature secret'
golden webhooks_form_new
tui_keys Escape
tui_keys e
tui_wait 'Edit webhook'
tui_keys BTab BTab Enter # Save: the replay cannot write
tui_wait 'not available in a replay'
golden webhooks_form_edit
tui_keys Escape
tui_stop

golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type webhooks; tui_keys Enter
tui_wait 'timed out 11:57:00'
golden webhooks_80
tui_keys j Enter
tui_wait "Deliveries of"
golden webhooks_deliveries_80
tui_keys Enter
tui_keys e
tui_wait 'Edit webhook'
golden webhooks_form_80
tui_stop

golden_start 120 30 --replay "$GOLDEN_DIR/session_empty.json"
tui_wait ibx9only
tui_keys :; tui_type webhooks; tui_keys Enter
tui_wait 'Webhooks \(0\)'
golden webhooks_empty
tui_stop

# a backend without delivery history, as E2B cloud (no api.webhookDeliveries: its 404)
golden_start 120 30 --replay "$GOLDEN_DIR/session_hostile.json"
tui_wait ilong
tui_keys :; tui_type webhooks; tui_keys Enter
tui_wait 'keeps no delivery history'
golden webhooks_no_history
tui_keys Enter
tui_wait 'Deliveries of'
golden webhooks_no_history_pane
tui_stop

golden_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes'
tui_keys :; tui_type webhooks; tui_keys Enter
tui_wait 'cannot load'
golden webhooks_error
tui_done
