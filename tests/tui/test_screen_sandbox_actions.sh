#!/bin/sh
# test_screen_sandbox_actions.sh - golden screens of the sandboxes view's action dialogs
# (view_sandboxes.c, view_sandbox_actions.c; golden.sh, UPDATE_SCREENS=1 rewrites them): kill
# (one, several), the time-to-live prompt with a wrong answer and a right one, create
# (template with Tab completion, time to live, metadata, the new row), snapshot and fork with
# what a replay answers, and at 80x24 the dialogs on a hostile and a very long sandbox id
# (screens/session_hostile.json: drawn sanitized, cut inside the box, never wrapped), and the
# snapshot and fork prompts naming them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..20"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys K
tui_wait 'Kill sandbox'
golden actions_kill
tui_keys n
tui_keys t
tui_wait 'Time to live \(15m'
tui_type 'soon'
golden actions_timeout_prompt
tui_keys Enter
tui_wait 'not a time to live'
golden actions_timeout_bad
tui_keys t; tui_wait 'Time to live'; tui_type '1h 30m'; tui_keys Enter
tui_wait 'now ends in 1h 30m'
golden actions_timeout_done
tui_keys n
tui_wait 'Template'
tui_keys C-u; tui_type py; tui_keys Tab
golden actions_create_template
tui_type th; tui_keys Tab
tui_wait 'completes\): python'
tui_keys Enter
tui_wait 'Time to live \(15m, 1h 30m; Enter: 5m'
golden actions_create_timeout
tui_keys Enter
tui_wait 'Metadata'
tui_type 'owner=bob purpose=golden'
golden actions_create_metadata
tui_keys Enter
tui_wait 'created replay0001'
golden actions_created
tui_keys S
tui_wait 'Snapshot ibx.*name'
golden actions_snapshot
tui_keys Enter
tui_wait 'snapshot failed'
golden actions_snapshot_failed
tui_keys F; tui_wait 'Fork ibx.*how many'; tui_type 500; tui_keys Enter
tui_wait 'a count from 1 to'
golden actions_fork_bad
sleep 1.1 # a key clears a message shown for a second (STATUS_READ_MS): no race with it
tui_keys g; tui_wait_gone 'a count from'
tui_keys Space j Space K
tui_wait 'Kill 2 sandboxes'
golden actions_kill_many
tui_keys n
tui_stop

golden_start 80 24 --replay "$GOLDEN_DIR/session_hostile.json"
tui_wait ilong
tui_keys K
tui_wait 'Kill sandbox'
golden actions_kill_hostile_80
tui_title_safe
ok $? "a hostile sandbox id in the kill dialog is drawn sanitized"
tui_keys n; tui_wait cancelled; sleep 1.1
tui_keys j; tui_wait_gone cancelled
tui_keys K
tui_wait 'Kill sandbox'
golden actions_kill_long_80
tui_keys n; tui_wait cancelled; sleep 1.1
# snapshot and fork name the sandbox they act on: sanitized, and cut so the prompt fits
tui_keys S
tui_wait 'Snapshot ilong0+…, name:'
golden actions_snapshot_long_80
tui_keys Escape
tui_keys F
tui_wait 'Fork ilong0+…, how many:'
golden actions_fork_long_80
tui_keys Escape
tui_keys k S
tui_wait 'Snapshot ievil'
golden actions_snapshot_hostile_80
tui_title_safe
ok $? "a hostile sandbox id in the snapshot prompt is drawn sanitized"
tui_keys Escape
tui_keys t
tui_wait 'Time to live'
golden actions_timeout_prompt_80 # the whole label fits at 80 columns
tui_keys Escape
tui_done
