#!/bin/sh
# test_term_pause.sh - issue 24 point 3: pausing and resuming a sandbox does not kill its
# terminal tabs: while paused the tab waits (no "[exit -1]"), after the resume it reconnects
# to the same shell by pid (state and screen kept), a detached shell reattaches after a
# pause/resume too, and closing a tab ends its shell: no orphan bash is left in the sandbox.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..8"

bxd_one_sandbox
pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }
shells() { "$BOXTOP" exec "$ID" -- "ps -eo args | grep -c '^/bin/bash -i -l'" 2>/dev/null; }

tui_start 120 40
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
run 'X=kept-$((20+3)); echo pid-$$'; tui_wait '^pid-[0-9]+' 5; ok $? "a shell"
SP=$(tui_screen | sed -n 's/^pid-\([0-9]*\).*/\1/p' | head -1)

"$BOXTOP" pause "$ID" >/dev/null; sleep 3
! tui_screen | grep -q 'exit -1' && ! tui_screen | grep -q 'shell is gone' &&
    tui_wait 'sandbox is paused' 5
ok $? "while paused the tab is not declared dead (it says the sandbox is paused)"
"$BOXTOP" resume "$ID" >/dev/null
tui_wait 'attached \(pid' 20 && run 'echo $X-pid-$$' && tui_wait "^kept-23-pid-$SP" 5
ok $? "after the resume the tab is the same shell again (pid $SP, its variables kept)"
[ "$(shells)" = 1 ]; ok $? "one shell in the sandbox"

# detached across a pause/resume, then reattached from :sessions
pfx c; tui_wait '2:' 10; tui_wait '[$#] *$' 15
run 'echo second-$$'; tui_wait '^second-[0-9]+' 5
pfx 1; pfx d; tui_wait "2:|1:$ID" 5
"$BOXTOP" pause "$ID" >/dev/null; sleep 2; "$BOXTOP" resume "$ID" >/dev/null
tui_wait 'attached \(pid' 20
pfx s; tui_wait 'Sessions \(2\)' 5
tui_keys Enter
tui_wait "kept-23-pid-$SP" 10 && sleep 1 && run 'echo back-$X' && tui_wait '^back-kept-23' 10
ok $? "a shell detached across pause/resume reattaches (same shell)"

# closing the tabs ends their shells
[ "$(shells)" = 2 ]; ok $? "two shells before closing"
pfx x; tui_wait 'Close this terminal' 5; tui_keys y; sleep 0.5
pfx x; tui_wait 'Close this terminal' 5; tui_keys y
tui_wait 'Sandboxes' 5
n=50; while [ $n -gt 0 ] && [ "$(shells)" != 0 ]; do sleep 0.2; n=$((n-1)); done
[ "$(shells)" = 0 ]; ok $? "closing both tabs ended both shells (no orphan bash)"

# a tab whose session ended abnormally (the sandbox was paused under an old boxtop) must not
# leave its shell when closed either: pause, close while paused, resume, count
tui_keys : ; tui_type "shell $ID"; tui_keys Enter; tui_wait '[$#] *$' 15
"$BOXTOP" pause "$ID" >/dev/null; sleep 2
pfx x; sleep 0.3; tui_keys y; sleep 1
"$BOXTOP" resume "$ID" >/dev/null
n=50; while [ $n -gt 0 ] && [ "$(shells)" != 0 ]; do sleep 0.2; n=$((n-1)); done
[ "$(shells)" = 0 ]; ok $? "a tab closed while its sandbox was paused ends its shell after the resume"
exit 0
