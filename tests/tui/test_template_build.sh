#!/bin/bash
# test_template_build.sh - issue 19 in the templates view, driven as a person would: `b` builds
# an e2b.Dockerfile (RUN writing files and a script, COPY of a folder with a relative and an
# absolute symlink, ENV, WORKDIR, USER, CMD) and the pane shows every step live (each one on a
# screen taken while the build still ran) to "ready"; `n` there creates a sandbox from it,
# which has the files (links kept), environment, working directory, user and the start command
# running (seen through the official SDK, template_probe.mjs); a failing RUN shows error and its
# output; a file with an unknown instruction is refused naming the line; `D` asks and deletes.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
echo "1..13"
tui_boxtopd template-build 1 13
export BOXTOP_NODE_MODULES="$abs_top_builddir/tests/node_modules"
[ -d "$BOXTOP_NODE_MODULES/e2b" ] || BOXTOP_NODE_MODULES="$abs_top_srcdir/tests/node_modules"
CTX="$TMPD/ctx"
mkdir -p "$CTX/folder/sub"
echo copied >"$CTX/folder/a.txt"
printf '#!/bin/sh\n' >"$CTX/folder/sub/x.sh"
ln -s a.txt "$CTX/folder/rel"
ln -s /etc/os-release "$CTX/folder/abs"
cat >"$CTX/e2b.Dockerfile" <<'DF'
FROM base
RUN mkdir -p /srv/app && echo from-run > /srv/app/out.txt && sleep 1
COPY folder /srv/app/folder
ENV GREETING=hello
WORKDIR /srv/app
RUN printf '#!/bin/sh\necho hi\n' > hi.sh && chmod 755 hi.sh && chown -R user /srv/app
USER user
RUN sleep 2 && echo settled
CMD sleep 3603
DF
printf 'FROM base\nRUN echo visible-before-exit; exit 1\n' >"$CTX/fail.Dockerfile"
printf 'FROM base\nFROBNICATE now\n' >"$CTX/bad.Dockerfile"

build() { # build FILE NAME
    tui_keys b
    tui_wait 'Build from template file' 5
    tui_keys C-u; tui_type "$1"; tui_keys Enter
    tui_wait 'Template name' 5
    tui_type "$2"; tui_keys Enter
}

tui_start 160 40
tui_wait 'running|No sandboxes|no sandboxes' 20
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'SPAWNS' 10

build "$CTX/e2b.Dockerfile" "tui-app 2 1024"
tui_wait 'Building tui-app' 10; ok $? "b opens the build pane"
# every screen while the build runs (its title line says neither ready nor error yet)
: > "$TMPD/live"
n=0
while [ $n -lt 1200 ]; do
    tui_screen > "$TMPD/now"
    grep -Eq 'Building tui-app .* (ready|error)' "$TMPD/now" && break
    cat "$TMPD/now" >> "$TMPD/live"
    sleep 0.1; n=$((n + 1))
done
missing=
# the last RUN sleeps, so every step before it is on screen while the build still runs
for s in 'step [0-9]/9' 'builder 3/9\] RUN mkdir -p /srv/app' 'builder 4/9\] COPY folder' \
    'builder 5/9\] ENV GREETING' 'builder 6/9\] WORKDIR /srv/app' 'builder 7/9\] RUN printf' \
    'builder 8/9\] USER user' 'builder 9/9\] RUN sleep 2'; do
    grep -Eq -- "$s" "$TMPD/live" || missing="$missing [$s]"
done
[ -z "$missing" ]; ok $? "the pane shows every step live (step i/N and each instruction)${missing:+, missing:$missing}"
tui_wait 'Build finished' 60 && tui_wait 'ready' 5 && tui_screen | grep -q 'Running start command: sleep 3603'
ok $? "the build ends ready, the start command started"
tui_screen | sed -n '2,14p' | sed 's/^/# /' 

boxtopd_api GET /templates
TID=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.find(t=>t.aliases[0]==="tui-app").templateID')
tui_keys n
tui_wait_gone 'Building tui-app' 5
for i in $(seq 1 100); do
    boxtopd_api GET /v2/sandboxes
    n=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json "String(j.filter(s=>s.templateID===\"$TID\").length)")
    [ "$n" = 1 ] && break
    sleep 0.2
done
[ "$n" = 1 ]; ok $? "n in the pane creates a sandbox from the template ($TID)"
missing=
SBX=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json "j.find(s=>s.templateID===\"$TID\").sandboxID")
node "$abs_top_srcdir/tests/tui/template_probe.mjs" "$SBX" > "$TMPD/probe" 2>&1
sed 's/^/# /' "$TMPD/probe"
for want in '^/srv/app/folder/rel 777 user a.txt$' '^/srv/app/folder/abs 777 user /etc/os-release$' \
    '^/srv/app/folder/a.txt 644 ' '^/srv/app/folder/sub/x.sh ' '^/srv/app/hi.sh 755 user $' \
    '^env=hello$' '^cwd=/srv/app$' '^user=user$' '^from-run$' '^copied$' '^hi$' '^start-running$'; do
    grep -q -- "$want" "$TMPD/probe" || missing="$missing [$want]"
done
[ -z "$missing" ]
ok $? "the sandbox has the files (links kept), env, working directory, user and start command${missing:+, missing:$missing}"

tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'SPAWNS' 10
build "$CTX/fail.Dockerfile" "tui-fail"
tui_wait 'visible-before-exit' 30 && tui_wait 'exit status 1' 30
ok $? "a failing RUN: its output and the error in the pane"
tui_keys Escape
tui_wait 'SPAWNS' 5

build "$CTX/bad.Dockerfile" "tui-bad"
tui_wait "line 2: unknown instruction 'FROBNICATE'" 5
ok $? "an unknown instruction is refused naming the line"

# D on tui-app: asks, saying a sandbox uses it; the server refuses while it is paused (E2B
# lets running sandboxes go on and frees the layer after them)
boxtopd_api GET /v2/sandboxes
SID=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json "j.find(s=>s.templateID===\"$TID\").sandboxID")
boxtopd_api POST "/sandboxes/$SID/pause" '{}'
tui_keys R
tui_wait 'tui-app' 10
for i in $(seq 1 10); do tui_screen | grep -q '^.*tui-app' && break; done
while ! tui_screen | grep -E '^ *[a-z0-9]{20} +tui-app' | grep -q .; do sleep 0.1; done
row=$(tui_screen | grep -nE '^ *(base|[a-z0-9]{20}) ' | grep -n 'tui-app' | cut -d: -f1)
for i in $(seq 2 "${row:-1}"); do tui_keys j; done
tui_keys D
tui_wait 'Delete template .* 1 sandbox uses it' 5; ok $? "D asks and says how many sandboxes use it"
tui_keys y
tui_wait 'paused sandboxes using it' 10; ok $? "the server's refusal is shown while a sandbox is paused"

# Enter: the pane with boxtopd's builds and tags of tui-app; t/T edit the tags; Tab Enter: its log
boxtopd_api GET "/templates/$TID"
BID=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.builds[0].buildID')
tui_keys Enter
tui_wait "Template $TID" 5 && tui_wait "$BID +ready +[0-9]+s +[0-9-]+ [0-9:]+ +default " 10 &&
    tui_screen | grep -q 'names: .*tui-app'
ok $? "Enter: boxtopd's build of the template with status, tag and duration"
tui_keys t; tui_wait 'Add tags to a build' 5; tui_keys C-u; tui_type 'default: v2 stable'; tui_keys Enter
tui_wait "$BID +ready .* (v2|stable|default),(v2|stable|default),(v2|stable|default) " 10 &&
    tui_keys T && tui_wait 'Remove tags' 5 && tui_type 'stable' && tui_keys Enter &&
    tui_wait "$BID +ready .* (default,v2|v2,default) " 10
ok $? "t and T add and remove tags on boxtopd"
tui_keys Tab Enter
tui_wait 'Building tui-app' 5 && tui_wait 'Build finished' 10 && tui_wait '\[builder 9/9\] RUN sleep 2' 5
ok $? "Tab Enter: the build's whole log from boxtopd"
tui_keys Escape; tui_wait "Template $TID" 5; tui_keys Escape
for i in $(seq 1 "${row:-1}"); do tui_keys k; done
# (boxtopd answers GET /templates/base/tags with 404 so far: the tags line says so)
tui_wait 'Template [a-z0-9]+, 1 build─' 5 && tui_wait 'aliases: base ' 5 && tui_wait '[0-9a-f-]{36} +ready ' 5
ok $? "the pane shows boxtopd's base template with its build"

tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
