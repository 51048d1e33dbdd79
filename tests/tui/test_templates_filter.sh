#!/bin/sh
# test_templates_filter.sh - the templates view's `/` filter, with the sandboxes view's keys
# and look: typing filters live by id, alias and name ("Templates (2 of 3)  filter: acme" in
# the title), state:building and !negation work, Esc in the prompt gives back the filter
# before it, actions act on the template selected among those shown, Esc clears the filter
# and a second Esc goes back. Against E2B cloud's shapes (fake_cloud_templates.js: names
# "acme/my-app", "e2b/base") and against boxtopd (its base template).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..11"
APP=k3j2v7q9x0a1b2c3d4e5
BASE=rki5dems9wqfm4r03t7g
fake_cloud_start fake_cloud_templates.js
cleanup() { tui_stop; kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT

tui_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait 'running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Templates \(3\)' 10
tui_keys /; tui_type acme # live, before Enter: the names acme/my-app and acme/evil
tui_wait 'Templates \(2 of 3\)  filter: acme' 3 && tui_screen | grep -q "$APP" &&
    ! tui_screen | grep -q "$BASE"
ok $? "typing filters live by name: 2 of 3, the title says the filter"
tui_keys C-u; tui_type 'MY-APP'
tui_wait 'Templates \(1 of 3\)  filter: MY-APP' 3 && tui_screen | grep -q "$APP"
ok $? "by alias, any case"
tui_keys C-u; tui_type "$BASE"; tui_wait "Templates \\(1 of 3\\)  filter: $BASE" 3
ok $? "by id"
tui_keys C-u; tui_type 'state:building'
tui_wait 'Templates \(1 of 3\)  filter: state:building' 3 && tui_screen | grep -Eq "$APP .* building"
ok $? "state:building: the one being built"
tui_keys C-u; tui_type '!base !evil'
tui_wait 'Templates \(1 of 3\)  filter: !base !evil' 3 && tui_screen | grep -q "$APP"
ok $? "!negation, all words must match"
tui_keys Enter
tui_keys /; tui_keys C-u; tui_type zzz
tui_wait 'No template matches the filter \(Esc clears it\)' 3; a=$?
tui_keys Escape # the prompt cancelled: the filter before it is back
tui_wait 'Templates \(1 of 3\)  filter: !base !evil' 3 && [ $a -eq 0 ]
ok $? "nothing matching says how to clear it; Esc in the prompt gives back the filter before"
tui_keys D; tui_wait "Delete template $APP\\?" 3; ok $? "D acts on the template selected among those shown"
tui_keys n
tui_keys Escape; tui_wait 'Templates \(3\)' 3 && ! tui_screen | grep -q 'filter:'
ok $? "Esc clears the filter"
tui_keys Escape; tui_wait 'Sandboxes \(' 3; ok $? "a second Esc goes back"
tui_stop
kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null
unset E2B_SANDBOX_URL

bxd_start
tui_start 120 30
tui_wait 'Sandboxes \(' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Templates \(1\)' 10
tui_keys /; tui_type base; tui_keys Enter
tui_wait 'Templates \(1 of 1\)  filter: base' 3 && tui_screen | grep -Eq '^ [a-z0-9]+ +base '
ok $? "boxtopd: its base template by alias"
tui_keys /; tui_keys C-u; tui_type '!base'; tui_keys Enter
tui_wait 'Templates \(0 of 1\)  filter: !base' 3 && tui_screen | grep -q 'No template matches'
ok $? "boxtopd: !base leaves none"
tui_done
