#!/bin/bash
# test_templates_restart.sh - issue 24 point 13: a template's spawn count survives a boxtopd
# restart (it was reset to 0 while lastSpawnedAt was kept): the API and the templates view.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
echo "1..3"
tui_boxtopd templates-restart 1 3
for i in 1 2 3; do boxtopd_api POST /sandboxes '{"templateID":"base","timeout":600}'; done
ID=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.sandboxID')
boxtopd_api DELETE "/sandboxes/$ID"
boxtopd_api GET /templates
before=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'String(j[0].spawnCount)')

# restart on the same state directory
boxtopd_restart
boxtopd_api GET /templates
after=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'String(j[0].spawnCount)')
[ "$before" = 3 ] && [ "$after" = 3 ]; ok $? "spawnCount is kept across a restart (before $before, after $after)"

tui_start 160 30
tui_wait 'running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'SPAWNS' 10
tui_wait '^ *base .* 3 +[0-9]{4}-|^ *base .* 3 +[0-9]' 10; ok $? "the templates view shows 3 spawns after the restart"
boxtopd_api POST /sandboxes '{"templateID":"base","timeout":600}'
boxtopd_api GET /templates
n=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'String(j[0].spawnCount)')
[ "$n" = 4 ]; ok $? "a new sandbox counts on from there ($n)"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
