#!/bin/bash
# test_logs_live.sh - the logs, events and team views against a real boxtopd (free loopback
# ports, temporary state dir, torn down at the end): commands run in a sandbox show up in the
# logs view while it follows; the error filter hides them; pausing and resuming with boxtop
# adds both events to the events view without a key press; the team view's concurrent
# sandboxes rise with 5 sandboxes and fall when they are killed.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..14"
tui_boxtopd tui-views 1 14
export E2B_TEAM_ID=local
ID=$(boxtopd_new_sandbox)

tui_start 160 40 --api-url "$E2B_API_URL"
tui_wait "$ID" 10
tui_keys :; tui_type "logs $ID"; tui_keys Enter
tui_wait "Logs $ID .*following" 5 && tui_wait 'INFO +sandbox created' 5
ok $? "the logs view opens with the sandbox's first lines"

for i in 1 2 3; do "$BOXTOP" exec "$ID" -- sh -c "exit $i" >/dev/null 2>&1; done
# envd's process_start / process_end lines (envd-process-logs.md)
ended_lines() { tui_screen | grep -c 'INFO  *Process with pid [0-9]* ended'; }
tui_wait 'INFO +Process with pid [0-9]+ ended' 8 &&
    for i in $(seq 1 40); do [ "$(ended_lines)" -ge 3 ] && break; sleep 0.2; done &&
    [ "$(ended_lines)" -ge 3 ]
ok $? "three commands run with boxtop exec appear while following (no key pressed)"
[ "$(tui_screen | grep -c 'INFO  *Process with pid [0-9]* started')" -ge 3 ] &&
    first_end=$(tui_screen | grep -n 'Process with pid [0-9]* ended' | head -1 | cut -d: -f1) &&
    first_start=$(tui_screen | grep -n 'Process with pid [0-9]* started' | head -1 | cut -d: -f1) &&
    [ "$first_start" -lt "$first_end" ]
ok $? "every command's line is there, in order of time"

tui_keys 4
tui_wait 'level ≥ error' 3 && tui_wait 'no line matches the filter' 3 &&
    ! tui_screen | grep -Eq 'INFO|DEBUG'
ok $? "the error filter hides info and debug lines"
tui_keys 1; tui_wait 'INFO +Process with pid [0-9]+ ended' 3; ok $? "level debug shows everything again"

tui_keys /; tui_type 'ended'; tui_keys Enter
tui_wait 'search: ended' 3 &&
    tui_screen_e | grep 'ended' | grep -q $'\033\[[0-9;]*7m'
ok $? "a search match is highlighted (reverse video)"
tui_keys Escape

# events: the view polls, so pause/resume by the command-line boxtop show up by themselves
tui_keys :; tui_type events; tui_keys Enter
tui_wait 'Events \(team\)' 5 && tui_wait "created +$ID" 5; ok $? "the events view lists the creation"
"$BOXTOP" pause "$ID" >/dev/null 2>&1
"$BOXTOP" resume "$ID" >/dev/null 2>&1
tui_wait "resumed +$ID" 8 && tui_screen | grep -Eq "paused +$ID"
ok $? "pause and resume by boxtop appear in the events view without a key press"
tui_keys Escape
# one sandbox's events, from its detail view
tui_wait "$ID" 3; tui_keys Enter; tui_wait "Sandbox $ID" 5; tui_keys E
tui_wait "Events of $ID" 5 && tui_wait "resumed +$ID" 5 && tui_screen | grep -Eq "paused +$ID" &&
    tui_screen | grep -Eq "created +$ID"
ok $? "E in the detail view shows that sandbox's events"
tui_keys Escape Escape

# team: 5 more sandboxes, then none
tui_keys :; tui_type team; tui_keys Enter
tui_wait 'Concurrent sandboxes +now 1' 15
IDS=""
for i in 1 2 3 4 5; do IDS="$IDS $(boxtopd_new_sandbox)"; done
tui_wait 'Concurrent sandboxes +now 6 +max over 1h 6' 20
# the graph's rows (between its title and the next one) that have a braille dot: the bar of
# 6 on a scale of 6.6 fills at least 8 of the 12 rows
dots=$(printf '\342\240[\201-\277]|\342[\241-\243]') # U+2801..U+28FF, not the blank U+2800
bars=$(tui_screen | sed -n '/Concurrent sandboxes/,/Sandbox start rate/p' | LC_ALL=C grep -Ec "$dots")
[ "$bars" -ge 8 ]
ok $? "the team graph rises to 6 concurrent sandboxes (5 created; bar over $bars rows)"
for id in $ID $IDS; do boxtopd_api DELETE "/sandboxes/$id"; done
tui_wait 'Concurrent sandboxes +now 0 +max over 1h 6' 30
ok $? "and falls to 0 when they are killed (the maximum stays 6)"
tui_keys Escape

# templates: boxtopd's base template; Enter shows its fields; n creates a sandbox from it
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'Templates \(1\)' 5 && tui_wait 'base +base +[0-9]+ .* ready +(yes|no) ' 3
ok $? "the templates view lists boxtopd's base template with its build status"
tui_keys Enter; tui_wait 'Template base' 3 && tui_screen | grep -q 'sandboxes started'
ok $? "Enter shows the template's details"
tui_keys n; tui_wait 'Time to live' 3; tui_type 10m; tui_keys Enter
tui_wait 'Sandboxes \(1 of 1\)' 10 && tui_wait ' base +running' 5
boxtopd_api GET /v2/sandboxes; n=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.length')
[ "$n" = 1 ]; ok $? "n creates a sandbox from it (the sandboxes view shows it; the server has $n)"

tui_screen > "${VIEWS_SHOT:-/dev/null}"; tui_stop
boxtopd_teardown || { echo "# $BOXTOPD_PROBLEMS"; FAILED=1; }
rm -rf "$TMPD"
exit $FAILED
