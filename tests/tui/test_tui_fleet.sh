#!/bin/sh
# test_tui_fleet.sh - issue 18's acceptance for acting on many sandboxes, against a real boxtopd:
# 12 marked sandboxes run one `:exec` (10 exit 0, 2 exit 1 - chosen by metadata), the table
# holds exactly those codes, `exit:!0` leaves the 2, `w` writes 12 files with the right
# outputs; hostile output stays text; Esc cancels running commands (asks); `:put`/`:get`;
# `:compare` shows 5 groups for /etc/hostname and 4 + 1 for a file written so; the CLI's
# `boxtop exec --all --meta K=V --json`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..18"
cleanup() {
    tui_stop
    for id in $("$BOXTOP" ls --json 2>/dev/null | sed -n 's/.*"sandboxID":[[:space:]]*"\([a-z0-9]*\)".*/\1/p'); do
        "$BOXTOP" kill "$id" >/dev/null 2>&1
    done
    bxd_stop; rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    code=0; [ $i -eq 4 ] || [ $i -eq 9 ] && code=1
    grp=; [ $i -le 5 ] && grp="--meta grp=five"
    "$BOXTOP" create --timeout 900 --meta role=fleet --meta code=$code $grp >> "$TMPD/ids" || exit 1
done
OTHER=$("$BOXTOP" create --timeout 900 --meta role=bystander)
# the failing ones are chosen by metadata: the CLI's exec --all writes their exit code
"$BOXTOP" exec --all --meta code=1 --json -- 'echo 1 > /tmp/code' > "$TMPD/cli.json"
FAIL=$("$BOXTOP" ls --meta code=1 --json | sed -n 's/.*"sandboxID":[[:space:]]*"\([a-z0-9]*\)".*/\1/p' | sort | tr '\n' ' ')
[ "$(wc -l < "$TMPD/ids")" -eq 12 ] && [ -n "$OTHER" ] && [ "$(echo $FAIL | wc -w)" -eq 2 ]
ok $? "13 sandboxes, 2 of the 12 with code=1"
n=$(grep -c '"state":"done","exitCode":0' "$TMPD/cli.json")
ids=$(sed -n 's/.*"sandboxID":"\([a-z0-9]*\)".*/\1/p' "$TMPD/cli.json" | sort | tr '\n' ' ')
[ "$n" = 2 ] && [ "$ids" = "$FAIL" ]; ok $? "boxtop exec --all --meta code=1 --json: one JSON line per matching sandbox"

mkdir -p "$TMPD/tmp"
TUI_EXPORTS="export TMPDIR=$TMPD/tmp"
tui_start 200 45
tui_wait "$OTHER" 15
tui_keys /; tui_type 'meta:role=fleet'; tui_keys Enter; tui_wait 'Sandboxes \(12 of 13\)'
tui_keys a; tui_wait 'marked: 12'; ok $? "12 sandboxes marked (a marks the shown rows)"
tui_keys :; tui_type 'exec echo out-$(hostname); exit $(cat /tmp/code 2>/dev/null || echo 0)'; tui_keys Enter
tui_wait '12 sandboxes: 12 done, 0 running' 30; ok $? ":exec fills the table: 12 done"
S=$(tui_screen)
zero=$(echo "$S" | grep -Ec '^ i[a-z0-9]+ +0 +[0-9.]+s +[0-9]+B +out-i')
one=$(echo "$S" | grep -E '^ i[a-z0-9]+ +1 +[0-9.]+s +[0-9]+B +out-i' | awk '{print $1}' | sort | tr '\n' ' ')
echo "# exit 0: $zero rows; exit 1: $one"
[ "$zero" = 10 ] && [ "$one" = "$FAIL" ]; ok $? "exactly 10 rows exit 0 and the 2 code=1 sandboxes exit 1"
echo "$S" | grep -q "$OTHER"; [ $? -ne 0 ]; ok $? "the unmarked sandbox did not run it"

tui_keys /; tui_type 'exit:!0'; tui_keys Enter; tui_wait 'filter: exit:!0'
S=$(tui_screen)
rows=$(echo "$S" | grep -E '^ i[a-z0-9]+ +[0-9]+ ' | awk '{print $1}' | sort | tr '\n' ' ')
[ "$rows" = "$FAIL" ]; ok $? "exit:!0 leaves the 2"
tui_keys Enter; tui_wait 'exit 1' && tui_screen | grep -q "^ *out-$(echo $FAIL | cut -d' ' -f1)"
ok $? "Enter shows the sandbox's whole output"
tui_keys Escape
tui_keys w; tui_wait 'save the outputs'; tui_keys C-u; tui_type "$TMPD/out"; tui_keys Enter
tui_wait 'saved 12 outputs' 5
good=0; for id in $(cat "$TMPD/ids"); do [ "$(cat "$TMPD/out/$id.out")" = "out-$id" ] && good=$((good+1)); done
[ "$(ls "$TMPD/out" | wc -l)" = 12 ] && [ $good = 12 ]; ok $? "w writes 12 files with the right outputs ($good)"
tui_keys Escape; tui_wait 'Sandboxes \(12 of 13\)'

# hostile output: escape sequences, OSC 52, bidi controls stay inert text
tm set -g set-clipboard on
tui_keys :; tui_type "exec printf 'EVIL\\033[2J\\033]52;c;aGk=\\007\\342\\200\\256RTL\\033[31mred\\n'"; tui_keys Enter
tui_wait '12 done' 30
S=$(tui_screen)
echo "$S" | grep -q 'EVIL' && echo "$S" | grep -q 'SANDBOX' && ! tm show-buffer >/dev/null 2>&1 &&
    ! tui_screen_e | grep -q "$(printf '\342\200\256')"
ok $? "hostile output is sanitized in the results table (no clear, no OSC 52, no bidi)"
tui_keys Escape; tui_wait 'Sandboxes \(12 of 13\)'

# Esc cancels the running ones, after asking
BOXTOP_PAR=; tui_keys :; tui_type 'exec sleep 60'; tui_keys Enter; tui_wait '8 running' 20
ok $? "at most 8 at a time (8 running, the rest queued)"
tui_keys Escape; tui_wait 'Cancel the commands still running'; tui_keys y
tui_wait '12 done, 0 running' 15; ok $? "Esc asks, then cancels the running ones"
# the kills are asynchronous: give them a few seconds
for t in 1 2 3 4 5 6 7 8 9 10; do
    left=$("$BOXTOP" exec --all --meta role=fleet --json -- 'pgrep -x sleep | wc -l' | grep -c '"output":"0\\n"')
    [ "$left" = 12 ] && break; sleep 0.5
done
[ "$left" = 12 ]; ok $? "no sleep left in any sandbox ($left of 12 clean)"
tui_keys Escape; tui_wait 'Sandboxes \(12 of 13\)'

# put / get / compare over the five of grp=five
tui_keys u /; tui_keys C-u; tui_type 'meta:grp=five'; tui_keys Enter; tui_wait 'Sandboxes \(5 of 13\)'
tui_keys a; tui_wait 'marked: 5'
printf 'shared line\nsecond\n' > "$TMPD/up.txt"
back5() { tui_keys Escape; tui_wait 'Sandboxes \(5 of 13\)'; }
tui_keys :; tui_type "put $TMPD/up.txt /tmp/up.txt"; tui_keys Enter; tui_wait 'put .*5 done' 20
back5
tui_keys :; tui_type "get /tmp/up.txt $TMPD/got"; tui_keys Enter; tui_wait 'get .*5 done' 20
same=0; for f in "$TMPD"/got/*; do cmp -s "$f" "$TMPD/up.txt" && same=$((same+1)); done
[ $same = 5 ]; ok $? ":put uploads to 5, :get brings back 5 files named by sandbox id ($same)"
back5
tui_keys :; tui_type 'compare /etc/hostname'; tui_keys Enter; tui_wait '5 groups' 20
ok $? ":compare /etc/hostname over 5 sandboxes: 5 groups"
back5
ODD=$("$BOXTOP" ls --meta grp=five --json | sed -n 's/.*"sandboxID":[[:space:]]*"\([a-z0-9]*\)".*/\1/p' | head -1)
"$BOXTOP" exec "$ODD" -- "printf 'shared line\nchanged\n' > /tmp/up.txt"
tui_keys :; tui_type 'compare /tmp/up.txt'; tui_keys Enter; tui_wait '2 groups' 20
S=$(tui_screen)
echo "$S" | grep -Eq '#1 +[0-9a-f]{16} +[0-9]+B +4 ' && echo "$S" | grep -Eq "#2 +[0-9a-f]{16} +[0-9]+B +1 +$ODD"
ok $? ":compare of a file written identically to 4 and differently to 1: groups 4 + 1"
tui_keys Space j Space d; tui_wait 'diff of'
S=$(tui_screen)
echo "$S" | grep -q '^   shared line' && echo "$S" | grep -q '^ - second' && echo "$S" | grep -q '^ + changed'
ok $? "d shows a line diff between the two chosen groups"
tui_keys Escape; sleep 0.3; back5
ls -AR "$TMPD/tmp" | sed "s/^/# left: /"
[ -z "$(ls -A "$TMPD/tmp")" ]; ok $? "the compared copies are removed when the view closes"
tui_done
