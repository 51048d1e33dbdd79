#!/bin/sh
# test_age_column.sh - the sandboxes' AGE column as kubectl and k9s show ages: a sandbox 377
# days old reads "377d" (it was cut to "377d0…"), one 3 years old "3y"; a start two minutes in the future (the server's clock ahead) reads "?", never a
# negative or cut age — at 120 columns and at 88, where AGE has its narrowest 6 columns.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..5"
# three.json's sandboxes started 377d3h and 3y before its recordedAt, and 2 minutes after it
sed -e 's/"startedAt":1764071700000/"startedAt":1731488400000/' \
    -e 's/"startedAt":1764068400000/"startedAt":1669464000000/' \
    -e 's/"startedAt":1764071000000/"startedAt":1764072120000/' \
    "$abs_top_srcdir/tests/tui/three.json" > "$TMPD/old.json"
grep -q 1731488400000 "$TMPD/old.json" && grep -q 1669464000000 "$TMPD/old.json" &&
    grep -q 1764072120000 "$TMPD/old.json"; ok $? "the recording's start times were rewritten"
for cols in 120 88; do
    golden_start "$cols" 24 --replay "$TMPD/old.json"
    tui_wait 'ibx3idle' 8
    # AGE is the column before TTL (5m00s, - and 1h00m in the recording)
    tui_screen | grep -q ' AGE ' && tui_screen | grep -Eq 'ibx1running0+1 .* 377d +5m00s' &&
        tui_screen | grep -Eq 'ibx2paused0+2 .* 3y +-( |$)'
    ok $? "$cols columns: 377 days read 377d, 3 years 3y"
    tui_screen | grep -Eq 'ibx3idle0+3 .* \? +1h00m' && ! tui_screen | grep -q 'd0…'
    ok $? "$cols columns: a start in the future reads ?, nothing cut"
    tui_stop
done
tui_done
