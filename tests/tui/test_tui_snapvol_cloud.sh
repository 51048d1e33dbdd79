#!/bin/sh
# test_tui_snapvol_cloud.sh - issue 21's views against E2B cloud's shapes (fake_api.js serves
# SnapshotInfo {snapshotID, names} without boxtopd's extra fields, Volume {volumeID, name}
# without sizes or mounts, and fork results with one failed entry): S, F, p f, :snapshots,
# :volumes show what the cloud gives and "-" for what it does not, and nothing breaks.
. "$(dirname "$0")/lib.sh"
echo "1..9"

cat > "$TMPD/state.json" <<'EOS'
[{"sandboxID":"cloud1","state":"running","metadata":{"team":"x"}}]
EOS
: > "$TMPD/fake.out"
node "$abs_top_srcdir/tests/tui/fake_api.js" 0 "$TMPD/state.json" > "$TMPD/fake.out" 2>&1 &
FAKE=$!
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
cleanup() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
export E2B_SANDBOX_URL="http://127.0.0.1:$PORT"
tui_start 160 40 --api-url "http://127.0.0.1:$PORT"
tui_wait 'cloud1' 10; ok $? "the live table appears"

tui_keys S; tui_wait 'Snapshot .*name' 3 && tui_type 'my-snap'; tui_keys Enter
tui_wait 'snapshot acme/my-snap:default taken' 8; ok $? "S: the cloud's SnapshotInfo is understood"

tui_keys F; tui_wait 'how many' 3 && tui_type 2; tui_keys Enter
tui_wait 'forked 1 of 2: you have reached the maximum' 8 && tui_wait 'fork0001' 8
ok $? "F x2 with one failed entry: says so, and the started fork's row appears"

tui_keys p; tui_wait 'Pause: m with memory' 3 && tui_keys f
tui_wait 'cloud1 +base +paused' 8 && grep -q '"memory":false' "$TMPD/fake.out"
ok $? "p f sends {\"memory\": false} and the row shows paused"

tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(1\)' 5 && tui_screen | grep -Eq 'acme/my-snap:default +- +- +-'
ok $? ":snapshots shows the cloud's snapshot, '-' for what it does not say"
tui_keys D; tui_wait 'Delete snapshot acme/my-snap:default\?' 3 && tui_keys y
tui_wait 'Snapshots \(0\)' 8 && grep -q 'DELETE /templates/acme%2Fmy-snap%3Adefault' "$TMPD/fake.out"
ok $? "D deletes through DELETE /templates/{escaped id}, as the SDK does"
tui_keys Escape

tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(1\)' 5 && tui_screen | grep -Eq 'shared +- +- +00000000-0000-4000-8000-000000000001'
ok $? ":volumes shows the cloud's volume with unknown size and mounts"
tui_keys Enter; tui_wait 'no running sandbox mounts this volume' 3
ok $? "Enter says plainly why it cannot browse"
! tui_screen | grep -q 'deadbeef'; ok $? "the API key is not on screen"
exit "$FAILED"
