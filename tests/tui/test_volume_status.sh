#!/bin/sh
# test_volume_status.sh - the volumes view says what it did: "created volume NAME" and
# "deleted volume NAME" (both said only "done"). Against a private boxtopd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"
cleanup() { tui_stop; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
bxd_start
tui_start 120 30
tui_wait 'Sandboxes \(' 15
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(0\)' 10
tui_keys c; tui_wait 'New volume name' 3; tui_type hx-test-vol; tui_keys Enter
tui_wait 'created volume hx-test-vol' 10; ok $? "create says which volume it made ($(tui_screen | tail -n 1))"
tui_wait 'Volumes \(1\)' 5; ok $? "the list shows it"
tui_keys D; tui_wait 'Delete volume hx-test-vol' 3; tui_keys y
tui_wait 'deleted volume hx-test-vol' 10; ok $? "delete says which volume it removed ($(tui_screen | tail -n 1))"
tui_done
