#!/bin/bash
# test_templates_cloud.sh - issue 19's templates view and `boxtop template ls|info|status|tag`
# against E2B cloud's shapes (fake_cloud_templates.js): the list (names, createdBy, null
# lastSpawnedAt, a hostile alias), Enter's pane with a template's builds (status, tags,
# duration; a running one counting and followed until ready), tags added and removed (the
# server's refusal of "default" shown), public toggled, a sandbox created from the template,
# D asking with the number of sandboxes using it; the tag action on another key through
# [keys.templates]; `boxtop template untag`; the exact requests the cloud receives.
. "$(dirname "$0")/lib.sh"
echo "1..21"
fake_cloud_start fake_cloud_templates.js FAKE_RUN_POLLS=5
URL="http://127.0.0.1:$PORT"
APP=k3j2v7q9x0a1b2c3d4e5
EVIL=h0st1le0000000000000
B() { printf '6f1c2d3e-5a4b-4c3d-8e2f-%012d' "$1"; }
ESC=$(printf '\033')
# the last request the fake saw with this method and path, as JSON
seen() { curl -s "$URL/_requests" | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const r=JSON.parse(s).filter(x=>x.method===process.argv[1]&&x.path===process.argv[2]).pop();process.stdout.write(r?JSON.stringify(r.body):"none")})' "$1" "$2"; }

printf '[keys.templates]\ntag = a\n' > "$TMPD/keys.conf"
tui_start 160 40 --api-url "$URL" --config "$TMPD/keys.conf"
tui_wait 'No sandboxes|no sandboxes|running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait "$APP +my-app .* building" 10 && tui_screen | grep -Eq "$EVIL +evil" &&
    tui_title_safe
ok $? "the cloud's templates are listed; a hostile alias is sanitized"

tui_keys j Enter
tui_wait "Template $APP" 5 && tui_wait "$(B 2) +ready +1m12s +[0-9-]+ [0-9:]+ +default,v1 " 5 &&
    tui_wait "$(B 1) +error +9s " 5 && tui_wait "$(B 3) +building +1m[0-9][0-9]s " 5 &&
    tui_screen | grep -q 'names: acme/my-app' && tui_screen | grep -q 'tags: default, v1'
ok $? "Enter: names, tags and the builds with status, tags and duration (a running one counting)"
tui_wait "$(B 3) +ready " 30 && tui_wait "$APP +my-app .* ready" 10
ok $? "the running build is followed until ready; the list's status follows"

tui_keys Tab j j
tui_wait 'j/k build  Enter its log' 5 && tui_keys Enter
tui_wait "Building my-app .* error" 10 && tui_wait '\[builder 1/1\] \[stdout\]: hi' 5 &&
    tui_wait "Build failed: failed to run command 'false': exit status 1" 5 &&
    tui_screen | grep -Eq 'Building my-app +step 1/1 +9\.0s +error'
ok $? "Tab, j j, Enter: the failed build's log with its reason and duration (9.0s)"
tui_keys Escape
tui_wait "Template $APP" 5 && tui_keys Escape && tui_wait 'Tab builds  ' 5 && tui_keys j &&
    tui_wait "Template $EVIL" 5 && tui_keys k && tui_wait "Template $APP" 5
ok $? "Esc closes the log, Esc again gives j/k back to the templates"

tui_screen | tail -2 | grep -q 'a/T tag/untag' && ! tui_screen | tail -2 | grep -q 't/T tag'
ok $? "[keys.templates] tag = a: the footer says a/T tag/untag"
tui_keys t; sleep 0.5
! tui_screen | grep -q 'Add tags to a build'; ok $? "t no longer adds tags"
tui_keys a
tui_wait 'Add tags to a build \(FROM_TAG: NEW_TAG...\): default:' 5; ok $? "a asks for tags, from default"
tui_keys C-u; tui_type 'v1: prod'; tui_keys Enter
tui_wait "$(B 2) +ready .* default,v1,prod " 10 &&
    [ "$(seen POST /templates/tags)" = "{\"tags\":[\"prod\"],\"target\":\"$APP:v1\"}" ]
ok $? "v1: prod tags v1's build (POST /templates/tags {target: ID:v1, tags})"

tui_keys T; tui_wait 'Remove tags' 5; tui_type 'v1'; tui_keys Enter
tui_wait "$(B 2) +ready .* default,prod " 10 &&
    [ "$(seen DELETE /templates/tags)" = "{\"tags\":[\"v1\"],\"name\":\"$APP\"}" ]
ok $? "T removes a tag (DELETE /templates/tags with the JSON body)"
tui_keys T; tui_wait 'Remove tags' 5; tui_type 'default'; tui_keys Enter
tui_wait "Cannot delete the 'default' tag" 5; ok $? "the cloud's refusal to remove default is shown"

tui_keys P
tui_wait "Make template $APP public\\?" 5 && tui_keys y &&
    tui_wait "$APP +my-app .* ready +yes " 10 && [ "$(seen PATCH /v2/templates/$APP)" = '{"public":true}' ]
ok $? "P makes it public (PATCH /v2/templates/ID {public:true})"

tui_keys j
tui_wait "Template $EVIL" 5 && tui_wait 'tags: default, x' 5 && ! tui_screen_e | grep -q "$ESC\\[31m" &&
    ! tui_screen_e | grep -q "$ESC]0;"
ok $? "the pane follows the selection; a hostile tag is sanitized"

tui_keys k n
tui_wait 'Time to live' 5 && tui_keys Enter
tui_wait 'isb0x' 10 && [ "$(seen POST /v2/sandboxes | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>process.stdout.write(JSON.parse(s).templateID))')" = "$APP" ]
ok $? "n creates a sandbox from the template; it shows in the sandboxes view"

tui_keys :; tui_type templates; tui_keys Enter
tui_wait "$APP +my-app" 10
tui_keys j D
tui_wait "Delete template $APP\\? 1 sandbox uses it" 5; ok $? "D asks, saying how many sandboxes use it"
tui_keys y
tui_wait 'because there are running sandboxes using it' 10; ok $? "the cloud's refusal is shown"
tui_stop

BOXTOP="$abs_top_builddir/src/boxtop"
export E2B_API_URL=$URL
"$BOXTOP" template ls > "$TMPD/ls" 2>&1
grep -Eq "^$APP +my-app +ready +3 +2 +1024M" "$TMPD/ls" && grep -Eq "^$EVIL +evil" "$TMPD/ls" &&
    ! grep -q "$ESC" "$TMPD/ls"
ok $? "template ls: the cloud's list, the hostile alias sanitized"
sed 's/^/# /' "$TMPD/ls"
"$BOXTOP" template info my-app > "$TMPD/info" 2>&1
sed 's/^/# /' "$TMPD/info"
grep -q "^template $APP  names: acme/my-app  public: yes" "$TMPD/info" &&
    grep -q '^tags: default, prod' "$TMPD/info" &&
    grep -Eq "^$(B 2) +ready +default,prod +[0-9-]+ [0-9:]+Z +1m12s +2 +1024M" "$TMPD/info" &&
    grep -Eq "^$(B 1) +error +- .* 9s " "$TMPD/info" &&
    [ "$("$BOXTOP" template info my-app --json | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>process.stdout.write(String(JSON.parse(s).builds.length)))')" = 3 ]
ok $? "template info: names, tags, builds with status, tags and duration; --json the cloud's document"
"$BOXTOP" template status "$APP" "$(B 2)" > "$TMPD/status" 2>&1
grep -q '\[builder 1/1\] \[stdout\]: hi' "$TMPD/status" && tail -1 "$TMPD/status" | grep -qx ready
ok $? "template status: the build's log and its status"
sed 's/^/# /' "$TMPD/status"
out=$("$BOXTOP" template tag my-app:default stable --json)
[ "$(printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const j=JSON.parse(s);process.stdout.write(j.buildID+" "+j.tags.join())})')" = "$(B 2) stable" ]
ok $? "template tag --json: the cloud's answer"
"$BOXTOP" template untag my-app prod stable > "$TMPD/untag" 2>&1 &&
    "$BOXTOP" template info my-app | grep -q '^tags: default$' &&
    [ "$(seen DELETE /templates/tags)" = '{"tags":["prod","stable"],"name":"my-app"}' ] &&
    ! "$BOXTOP" template untag my-app default 2> "$TMPD/untag.err" &&
    grep -q "Cannot delete the 'default' tag" "$TMPD/untag.err"
ok $? "template untag removes tags (DELETE /templates/tags); the cloud's refusal of default is shown"
tui_done
