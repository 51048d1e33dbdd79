#!/bin/sh
# test_screen_changes.sh - golden screens of issue 17's changed-files view (golden.sh) against
# a loopback fake of E2B cloud and envd (fake_cloud_changes.js: fixed find records, one of
# them with a hostile name, and malformed output): the list, the filter, the pager.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..6"
: > "$TMPD/fake.out"
node "$abs_top_srcdir/tests/tui/fake_cloud_changes.js" > "$TMPD/fake.out" 2>&1 &
FAKE=$!
cleanup() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
export E2B_SANDBOX_URL="http://127.0.0.1:$PORT"
GOLDEN_MASK="s|127.0.0.1:$PORT|FAKE|g"

golden_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait ichg 10
tui_keys d
tui_wait 'Changed files .* done' 10
golden changes
! tui_screen_e | grep -q "$(printf '\033')]0;" && [ "$(tui_fmt '#{pane_title}')" != pwned ]
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
