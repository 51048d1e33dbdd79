#!/bin/bash
# test_errors_detail.sh - the templates and webhooks views say their errors as every view does:
# the words on the status line, the raw detail behind them (the server's body, curl's text) in
# `:messages` (!), hostile text sanitized and the API key on no screen. Against a fake of E2B
# cloud whose templates and webhooks calls fail (fake_cloud_failing.js): a 500 with a JSON
# message, a 200 with garbage, a dropped connection, and nothing listening at all.
. "$(dirname "$0")/lib.sh"
echo "1..16"
status() { tui_screen | tail -1; }
# the key (its middle: a masked key keeps e2b_ and the last 4) and no escape sequence drawn
no_key() { ! tui_screen | grep -Eq "0000000000|000deadbeef" && ! tui_screen_e | grep -q "$(printf '\007')" && tui_title_safe; }
mode() { curl -s "http://127.0.0.1:$PORT/mode/$1" > /dev/null; }

fake_cloud_start fake_cloud_failing.js MODE=json
tui_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait 'Sandboxes' 10
tui_keys : ; tui_type templates; tui_keys Enter
tui_wait 'cannot load the templates: server error \(HTTP 500\): store unavailable: shard 3 .0;pwnedis down' 10
ok $? "templates, 500: the server's message in words on the status line ($(status))"
no_key; ok $? "templates, 500: no key, no escape sequence on the screen"
tui_keys '!'
tui_wait '"echo":"e2b_' 5 && tui_wait 'HTTP 500: \{"code":500' 2
ok $? "templates, 500: ! shows the server's body as the detail"
no_key; ok $? "templates, 500: the echoed key is masked in :messages"

tui_keys Escape; mode garbage; tui_keys R
tui_wait 'cannot load the templates: unexpected response from' 10
ok $? "templates, garbage: said on the status line ($(status | cut -c1-100))"
tui_keys '!'
tui_wait 'HTTP 200: <<garbage' 5; ok $? "templates, garbage: ! shows the start of the body"
no_key; ok $? "templates, garbage: no key, no escape sequence in :messages"

tui_keys Escape; tui_keys Escape; mode drop
tui_keys : ; tui_type webhooks; tui_keys Enter
tui_wait 'cannot load the webhooks: the connection to http://127.0.0.1:[0-9]+/events/webhooks broke off' 10
ok $? "webhooks, dropped: said in words ($(status | cut -c1-100))"
tui_keys '!'
tui_wait 'curl [0-9]+: ' 5; ok $? "webhooks, dropped: ! shows curl's text"

tui_keys Escape; mode json; tui_keys R
tui_wait 'cannot load the webhooks: server error \(HTTP 500\): store unavailable' 10
ok $? "webhooks, 500: the server's message on the status line"
tui_keys '!'
tui_wait 'HTTP 500: \{"code":500' 5; ok $? "webhooks, 500: ! shows the body"
no_key; ok $? "webhooks, 500: no key, no escape sequence"

tui_keys Escape; mode garbage; tui_keys R
tui_wait 'cannot load the webhooks: ' 10 && ! status | grep -q 'HTTP 500'
ok $? "webhooks, garbage: said on the status line ($(status | cut -c1-100))"
tui_keys '!'
tui_wait 'HTTP 200: <<garbage' 5; ok $? "webhooks, garbage: ! shows the start of the body"
no_key; ok $? "webhooks, garbage: no key"

# nothing listens any more: the fake is gone, R asks again
tui_keys Escape; kill "$FAKE"; wait "$FAKE" 2>/dev/null; tui_keys R
tui_wait 'cannot load the webhooks: nothing answers at http://127.0.0.1:[0-9]+/events/webhooks \(connection refused\)' 10
ok $? "webhooks, refused: said in words ($(status | cut -c1-100))"
tui_stop
exit $FAILED
