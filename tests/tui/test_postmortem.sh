#!/bin/sh
# test_postmortem.sh - issue 17 against a real boxtopd: a sandbox whose time to live (5 s)
# runs out while shown stays as an ended row with cause "time to live reached"; its card
# (Enter) shows its last commands and log lines; after a boxtop restart `:postmortem ID` and
# `boxtop postmortem ID [--json]` still show it. A sandbox killed through the SDK while its
# terminal is open: the card replaces the tab, cause "killed by a request". Hostile log lines
# reach the card sanitized.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..13"

cleanup() {
    tui_stop
    for i in $ID $ID2 $ID3; do "$BOXTOP" kill "$i" >/dev/null 2>&1; done
    [ -n "$XPID" ] && kill "$XPID" 2>/dev/null
    bxd_stop
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
export XDG_STATE_HOME="$TMPD/state"
export BOXTOP_NODE_MODULES="$abs_top_builddir/tests/node_modules"
[ -d "$BOXTOP_NODE_MODULES/e2b" ] || BOXTOP_NODE_MODULES="$abs_top_srcdir/tests/node_modules"

ID=$("$BOXTOP" create --timeout 120)
"$BOXTOP" exec "$ID" -- 'echo pm-first-cmd' >/dev/null
"$BOXTOP" exec "$ID" -- 'echo pm-second; exit 3' >/dev/null 2>&1
# a log line with escape sequences (a title change, colours, a clear)
"$BOXTOP" exec "$ID" -- "printf 'pm-hostile \\033]0;pwned\\007\\033[2J\\033[31mRED\\n'" >/dev/null
S=$(echo "$ID" | cut -c1-12)

tui_start 160 45
tui_wait "$S" 15
"$BOXTOP" timeout "$ID" 5 >/dev/null
tui_wait "$S.* ended .*time to live reached" 30
ok $? "the row stays as ended with cause 'time to live reached'"
tui_screen | grep -q 'ended: 1'; ok $? "the title counts the ended rows"

tui_keys G Enter
tui_wait 'Post-mortem' 5 && tui_wait 'pm-second; exit 3' 20 && tui_screen | grep -q 'exit 3' &&
    tui_screen | grep -q 'pm-first-cmd'
ok $? "the card shows the last commands with their results"
tui_wait 'Last log lines' 5 && tui_screen | grep -A 25 'Last log lines' | grep -q 'pm-hostile'
ok $? "the card shows the last log lines"
tui_screen_e | grep -q "$(printf '\033')]0;"; r=$?
[ $r -ne 0 ] && [ "$(tui_fmt '#{pane_title}')" != pwned ]
ok $? "hostile log lines are drawn sanitized (no title change, no escape)"

tui_keys Escape x
tui_wait_gone "$S" 5 && tui_wait 'ended: 1 \(x shows\)' 5
ok $? "x hides the ended rows"
tui_keys x

# restart: the post-mortem survives on disk
tui_keys q; sleep 1; tui_stop
ls "$XDG_STATE_HOME/boxtop/postmortems/$ID.json" >/dev/null 2>&1
ok $? "the post-mortem is kept under the XDG state dir"
tui_start 160 45
tui_wait 'Sandboxes' 15
tui_keys :; tui_type "postmortem $ID"; tui_keys Enter
tui_wait 'time to live reached' 10 && tui_screen | grep -q 'pm-first-cmd'
ok $? ":postmortem ID shows it after a restart"
"$BOXTOP" postmortem "$ID" | grep -q 'time to live reached' &&
    "$BOXTOP" postmortem "$ID" --json | grep -q '"causeText":[[:space:]]*"time to live reached"' &&
    ! "$BOXTOP" postmortem "$ID" | grep -q "$(printf '\033')"
ok $? "boxtop postmortem ID [--json] prints it (sanitized)"
tui_keys Escape

# killed through the SDK while its terminal is open
ID2=$("$BOXTOP" create --timeout 300)
S2=$(echo "$ID2" | cut -c1-12)
tui_wait "$S2" 15
tui_keys :; tui_type "shell $ID2"; tui_keys Enter
tui_wait '[$#] *$' 20
node --input-type=module -e "
const E = await import('$BOXTOP_NODE_MODULES/e2b/dist/index.mjs');
await E.Sandbox.kill('$ID2');
" 2> "$TMPD/node.err"
ok $? "the SDK killed the sandbox"
tui_wait "Post-mortem +$ID2" 30 && tui_wait "$ID2 ended .* killed by a request" 20
ok $? "the card replaces the open terminal, cause 'killed by a request'"
ID2=
tui_keys Escape; tui_wait_gone 'Post-mortem' 5; tui_keys C-]; tui_keys q  # card, then the tab
tui_wait 'Sandboxes \(' 5

# a process that fills memory to its limit (512 MiB): the card gives the peak as evidence
# and names the command that was running when the sandbox went (rootless, without cgroups,
# the peak is the sum of its processes' RSS, shared pages counted in each: up to ~20 MiB more)
ID3=$("$BOXTOP" create --timeout 300)
S3=$(echo "$ID3" | cut -c1-12)
"$BOXTOP" exec "$ID3" -- "perl -e 'push @a, \"a\" x 1048576 for 1..490; print qq(filled\\n); sleep 600' # pm-fill" \
    > "$TMPD/fill.out" 2>&1 &
XPID=$!
tui_wait "$S3" 15
tui_wait "$S3.* 4[89][0-9]M/512M" 40
"$BOXTOP" kill "$ID3" >/dev/null
tui_wait "$S3.* ended" 30
tui_keys /; tui_type "$S3"; tui_keys Enter; tui_wait 'filter: ' 5; tui_keys Enter
tui_wait "Post-mortem +$ID3" 10 && tui_wait 'killed by a request' 20 &&
    tui_wait 'memory peak (4[89][0-9]|5[01][0-9]) MiB of 512 MiB \((9[5-9]|100) %\)' 5
ok $? "the card shows the memory peak at >= 95 % of the limit"
tui_wait 'ended with the sandbox +perl .*pm-fill' 20
ok $? "the card names the command that was running"
kill "$XPID" 2>/dev/null; XPID=; ID3=
tui_done
