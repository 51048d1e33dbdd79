#!/bin/sh
# test_changes.sh - issue 17's changed files against a real boxtopd: `m` marks a sandbox, an
# SDK script (changes_agent.mjs) writes 3 files, modifies .bashrc and deletes one file while
# boxtop watches; `d` lists exactly those 4 changes + 1 deletion (noted as the watcher's),
# Enter reads a file in the pager, C downloads all of them byte-exact with paths and modes.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..6"

trap bxd_cleanup EXIT
bxd_start
export XDG_STATE_HOME="$TMPD/state"
export BOXTOP_NODE_MODULES="$abs_top_builddir/tests/node_modules"
[ -d "$BOXTOP_NODE_MODULES/e2b" ] || BOXTOP_NODE_MODULES="$abs_top_srcdir/tests/node_modules"

ID=$("$BOXTOP" create --timeout 600)
"$BOXTOP" exec "$ID" -- 'echo bye > /home/user/gone.txt; mkdir -p /home/user/out' >/dev/null
S=$(echo "$ID" | cut -c1-12)
tui_start 160 40
tui_wait "$S" 15
sleep 1.2 # the mark is later than what the set-up wrote
tui_keys m
tui_wait 'changes of .* count from now' 5; ok $? "m marks the sandbox"
sleep 1.2 # the watcher is up
mkdir -p "$TMPD/want"
node "$abs_top_srcdir/tests/tui/changes_agent.mjs" "$ID" "$TMPD/want" > "$TMPD/agent.out" 2>&1
# 0755, not 0750: boxtopd's envd opens downloads as itself, not as the asked user, so a file
# only its owner's group may read cannot be downloaded from boxtopd (noted for issue 25)
"$BOXTOP" exec "$ID" -- 'chmod 755 /home/user/out/result.csv' >/dev/null
grep -q '"ok":true' "$TMPD/agent.out"; ok $? "the SDK script wrote, modified and deleted"

tui_keys d
tui_wait 'Changed files .* since .* \(mark\) +5 files +done' 30
scr=$(tui_screen)
printf '%s\n' "$scr" | grep -Eq ' 19B +0644 +user +/home/user/notes\.txt' &&
    printf '%s\n' "$scr" | grep -Eq '300K +0644 +user +/home/user/model\.bin' &&
    printf '%s\n' "$scr" | grep -Eq '0755 +user +/home/user/out/result\.csv' &&
    printf '%s\n' "$scr" | grep -Eq 'user +/home/user/\.bashrc' &&
    printf '%s\n' "$scr" | grep -Eq 'deleted +/home/user/gone\.txt' &&
    printf '%s\n' "$scr" | grep -q "deletions: as boxtop's watcher saw them"
ok $? "d lists exactly the 4 changed files and the deleted one, saying where deletions come from"

tui_keys /; tui_type notes; tui_keys Enter; tui_wait 'filter: notes' 5; tui_keys Enter
tui_wait 'the agent was here' 10; ok $? "Enter reads a changed file"
tui_keys Escape; tui_keys /; tui_keys C-u; tui_keys Enter; tui_wait '5 files' 5

tui_keys C; tui_wait 'Download all into' 5; tui_type "$TMPD/got"; tui_keys Enter
tui_wait 'downloaded 4 of 4 files' 30; ok $? "C downloads the 4 files"
st=0
for f in home/user/notes.txt home/user/model.bin home/user/out/result.csv home/user/.bashrc; do
    cmp -s "$TMPD/want/$f" "$TMPD/got/$f" || { st=1; echo "# differs: $f"; }
done
[ "$(stat -c %a "$TMPD/got/home/user/out/result.csv")" = 755 ] || { st=1; echo "# mode not kept"; }
[ ! -e "$TMPD/got/home/user/gone.txt" ] || st=1
ok $st "downloads are byte-exact, at their paths, modes kept"
tui_done
