#!/bin/bash
# test_templates_paging.sh - the templates view's builds pane reads every page of a template's
# builds as E2B cloud serves them (GET /templates/{id}?limit=100&nextToken=..., the next in
# X-Next-Token; fake_cloud_templates.js with FAKE_MANY_BUILDS), shows how many there are and
# scrolls to the oldest; past TPL_BUILDS_MAX (1000) it stops and says the server has more.
# (boxtopd's side of the same paging: tests/integration/sdk-templates.mjs.)
. "$(dirname "$0")/lib.sh"
echo "1..7"
MANY=m4nybu1ld5000000000
B() { printf '6f1c2d3e-5a4b-4c3d-8e2f-%012d' "$1"; }
FAKE=
start_fake() { # start_fake N: a fake cloud whose template "many" has N builds
    : > "$TMPD/fake.out"
    FAKE_MANY_BUILDS=$1 node "$abs_top_srcdir/tests/tui/fake_cloud_templates.js" > "$TMPD/fake.out" 2>&1 &
    FAKE=$!
    n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
    URL="http://127.0.0.1:$(awk '/PORT/ {print $2}' "$TMPD/fake.out")"
}
stop_fake() { [ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null && wait "$FAKE" 2>/dev/null; FAKE=; }
cleanup() { stop_fake; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
open_many() { # the templates view, "many" selected, its pane open
    tui_start 160 40 --api-url "$URL"
    tui_wait 'No sandboxes|no sandboxes|running' 15
    tui_keys :; tui_type templates; tui_keys Enter
    tui_wait "$MANY +many " 10
    tui_keys j j j Enter # base, my-app, evil, many: the fake's order
}

start_fake 250
export E2B_SANDBOX_URL=$URL
open_many
tui_wait "Template $MANY, 250 builds" 10 && tui_wait "$(B 1249) +ready " 5 &&
    tui_screen | grep -q '… [0-9]* more builds' && tui_screen | grep -q 'tags: -'
ok $? "all 250 builds are read (three pages) and counted in the pane's title"
q=$(curl -s "$URL/_pages")
[ "$q" = '["?limit=100","?limit=100&nextToken=c100","?limit=100&nextToken=c200"]' ]
ok $? "the pages were asked for with limit and the server's next tokens ($q)"
tui_keys Tab
for _ in $(seq 1 26); do tui_keys j j j j j j j j j j; done
tui_wait "$(B 1000) +ready " 10 && tui_screen | grep -Eq '↑ [0-9]+ newer builds above' &&
    ! tui_screen | grep -q 'more builds'
ok $? "j scrolls down to the oldest build, the 250th; the row below counts the newer ones above"
tui_stop
stop_fake

export FAKE_BAD_TAGS=1 # and its tags answer is refused (the pane's tags row says why)
start_fake 1150
export E2B_SANDBOX_URL=$URL
open_many
tui_wait "Template $MANY, the newest 1000 builds \(more not read\)" 15
ok $? "past 1000 builds the pane stops reading and says the server has more"
[ "$(curl -s "$URL/_pages" | grep -o limit=100 | wc -l)" = 10 ]
ok $? "ten pages were read, not twelve"
tui_wait "$(B 2149) +ready " 5 && tui_screen | grep -Eq '… [0-9]+ more builds'
ok $? "the newest build shows first, the rest counted below"
tui_wait 'tags: [^ ]' 5 && ! tui_screen | grep -q 'tags: -' && ! tui_screen | grep -q 'tags: tags'
ok $? "a refused tags answer is said once on the tags row ($(tui_screen | grep -o 'tags: .*' | head -1))"
tui_done
