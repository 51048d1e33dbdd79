#!/bin/sh
# test_webhook_form_error.sh - the webhook form shows the server's refusal whole: a long
# validation message wraps onto a second line inside the box ("… url contains spaces or
# control characters" was cut to "… or contr…" at 120 and 80 columns). Against boxtopd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..4"
cleanup() { tui_stop; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
bxd_start
submit_bad() { # the form, a URL with a space, Save
    tui_keys :; tui_type webhooks; tui_keys Enter
    tui_wait 'Webhooks \(0\)' 10
    tui_keys n; tui_wait 'New webhook' 3
    tui_type 'bad'; tui_keys Tab; tui_type 'http://127.0.0.1:9/a b'; tui_keys Tab
    tui_type 'a-long-enough-secret'
    for _ in 1 2 3 4 5 6 7 8; do tui_keys Tab; done
    tui_keys Enter
}
for size in "120 30" "80 24"; do
    tui_start $size
    tui_wait 'Sandboxes \(' 15
    submit_bad
    tui_wait 'control characters' 10
    ok $? "${size%% *} columns: the whole refusal is shown ($(tui_screen | grep -A1 'HTTP 400' | tr -s ' ' | tr '\n' ' '))"
    tui_screen | grep -q 'HTTP 400' && tui_screen | grep -A2 'control characters' | grep -q '└'
    ok $? "${size%% *} columns: inside the box"
    tui_stop
done
tui_done
