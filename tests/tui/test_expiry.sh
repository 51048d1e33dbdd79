#!/bin/sh
# test_expiry.sh - issue 17's expiry warnings against a real boxtopd: the header counts the
# sandboxes ending within a minute; a 40 s sandbox open in the file browser raises the
# one-line alert 30 s before its end, and its key (+) extends the time to live by 5 minutes,
# checked through the API; the TTL cell turns to the alert colour under 15 s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..7"

cleanup() {
    tui_stop
    for i in $ID $ID2 $ID3; do "$BOXTOP" kill "$i" >/dev/null 2>&1; done
    bxd_stop
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
export XDG_STATE_HOME="$TMPD/state"
ends_in() { # seconds until the sandbox's end, through the API
    "$BOXTOP" info "$1" --json | node -e '
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
  const j = JSON.parse(s); console.log(Math.round((Date.parse(j.endAt) - Date.now()) / 1000)); });'
}

ID=$("$BOXTOP" create --timeout 40)
ID2=$("$BOXTOP" create --timeout 20)
tui_start 140 40
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_wait 'ending <1m 2' 15; ok $? "the header counts the sandboxes ending within a minute"
tui_wait "$(echo "$ID2" | cut -c1-12)"'.* 1[0-4]s' 15 &&
    tui_screen_e | grep "$(echo "$ID2" | cut -c1-12)" | grep -q "$(printf '\033')\[1m"
ok $? "a TTL under 15 s is drawn in the alert colour"

tui_keys :; tui_type "files $ID"; tui_keys Enter
tui_wait 'Files|/home/user' 15
tui_wait "$ID ends in [0-9]+s — press \+ to extend it by 5 minutes" 30
ok $? "the alert appears in the file browser 30 s before the end"
left=$(ends_in "$ID")
tui_keys +
n=0; while [ $n -lt 20 ]; do
    left2=$(ends_in "$ID"); [ "$left2" -gt 280 ] 2>/dev/null && break; sleep 0.5; n=$((n+1))
done
[ "$left2" -gt 280 ] && [ "$left2" -le $((left + 301)) ]
ok $? "+ extends the time to live by 5 minutes ($left s -> $left2 s, through the API)"
tui_wait_gone 'press \+ to extend' 15; ok $? "the alert goes once it is extended"

# a marked row is a sandbox the user works with too
tui_keys Escape
ID3=$("$BOXTOP" create --timeout 40)
S3=$(echo "$ID3" | cut -c1-12)
tui_wait "$S3" 15
tui_keys /; tui_type "$S3"; tui_keys Enter; tui_wait 'filter: ' 5; tui_keys Space
tui_wait 'marked: 1' 5 && tui_wait "$ID3 ends in [0-9]+s — press \+ to extend" 30
ok $? "the alert appears for a marked row"
tui_keys +
n=0; while [ $n -lt 20 ]; do
    left3=$(ends_in "$ID3"); [ "$left3" -gt 280 ] 2>/dev/null && break; sleep 0.5; n=$((n+1))
done
[ "$left3" -gt 280 ]; ok $? "+ extends the marked sandbox ($left3 s left, through the API)"
tui_done
