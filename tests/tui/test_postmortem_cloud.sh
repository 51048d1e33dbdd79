#!/bin/sh
# test_postmortem_cloud.sh - issue 17's causes from E2B cloud's shapes (fake_cloud_ends.js):
# kill_reason timeout, request (its event arriving late: asked again), admin (said as the
# reason), no event at all (unknown, never guessed); hostile aliases and log lines sanitized
# on the ended rows and the card.
. "$(dirname "$0")/lib.sh"
echo "1..6"
fake_cloud_start fake_cloud_ends.js

tui_start 160 40 --api-url "http://127.0.0.1:$PORT"
tui_wait 'ittl' 10
tui_keys R
tui_wait 'ittl .* ended .*time to live reached' 20; ok $? "kill_reason timeout: time to live reached"
tui_wait 'ireq .* ended .*killed by a request' 20
ok $? "kill_reason request, its event late: asked again until it came"
tui_wait 'iadmin .* ended .*killed \(reason: admin\)' 20; ok $? "another kill_reason is named"
tui_wait 'inone .* ended .*cause unknown \(no lifecycle e' 20
ok $? "no event: the cause is unknown, not guessed"
tui_title_safe &&
    tui_screen | grep -q 'ittl .*evil'
ok $? "a hostile alias on an ended row is sanitized"
tui_keys /; tui_type ittl; tui_keys Enter; tui_wait 'filter: ittl' 5; tui_keys Enter
tui_wait 'Post-mortem +ittl' 5 && tui_wait 'last words of ittl' 10 && tui_screen | grep -q 'hostile' &&
    tui_title_safe
ok $? "the card shows the cloud's log lines sanitized"
tui_done
