#!/usr/bin/env bash
# cli-connect.sh - issue 5 acceptance: `e2b sandbox connect ID` (official CLI) in tmux gives a
# working shell: `echo hi` + Enter shows hi, `stty size` follows the pane size (also after a
# resize), `exit` returns to the outer shell with status 0. Prints TAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/boxtopd.sh"
export TERM=xterm-256color LANG=C.UTF-8

tap_plan 8
sock=boxtop-itest-$$
T() { tmux -L "$sock" "$@"; }
S=cli
BOXTOPD_EXIT_HOOK='T kill-server 2>/dev/null'

# wait_pane REGEX [SECONDS]: poll the pane until its text matches (extended regex).
wait_pane() {
    local re=$1 secs=${2:-15} i
    for i in $(seq 1 $((secs * 10))); do
        if T capture-pane -t "$S" -p -J -S -200 | grep -Eq -- "$re"; then return 0; fi
        sleep 0.1
    done
    return 1
}
pane() { T capture-pane -t "$S" -p -J -S -200 | sed -e '/^$/d' | tail -15; }
# type_line TEXT: TEXT typed into the pane as it is, then Enter
type_line() { T send-keys -t "$S" -l "$1"; T send-keys -t "$S" Enter; }

boxtopd_start cli-connect
tap_ok $? "boxtopd starts"

boxtopd_api POST /sandboxes '{"templateID":"base","timeout":300,"secure":true}'
id=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.sandboxID' 2>/dev/null)
[ "$BOXTOPD_STATUS" = 201 ] && [ -n "$id" ]
tap_ok $? "POST /sandboxes → 201 with a sandboxID" "status $BOXTOPD_STATUS"

# The outer shell: a plain bash with a recognisable prompt; the CLI runs inside it.
T new-session -d -s "$S" -x 120 -y 40 "env PS1='outer\$ ' bash --norc --noprofile -i"
wait_pane 'outer\$' 10
# After the CLI returns, the outer shell prints its status and stops reading input (exec
# sleep), so nothing typed later can be answered by the outer shell instead of the sandbox.
type_line "node $BOXTOP_NODE_MODULES/@e2b/cli/dist/index.js sandbox connect ${id:-none}; echo CLI-EXIT=\$?; exec sleep 600"
# The remote bash is a login shell; give it a prompt we can recognise.
wait_pane "Terminal connecting to sandbox" 30 && sleep 1
type_line "export PS1='in-sbx\$ '"
wait_pane '^in-sbx\$' 15
type_line 'echo h""i'
wait_pane '^hi$' 15
tap_ok $? 'echo hi + Enter shows hi' "$(pane)"

type_line 'hostname'
[ -n "$id" ] && wait_pane "^$id\$" 10
tap_ok $? 'the shell runs inside the sandbox (hostname = sandbox id)' "$(pane)"

size=$(T display -p -t "$S" '#{pane_height} #{pane_width}')
type_line 'stty size'
wait_pane "^$size\$" 10
tap_ok $? "stty size matches the pane ($size)" "$(pane)"

T resize-window -t "$S" -x 100 -y 30
sleep 0.5
size2=$(T display -p -t "$S" '#{pane_height} #{pane_width}')
type_line 'clear; stty size'
wait_pane "^$size2\$" 10
tap_ok $? "stty size follows a resize ($size2)" "$(pane)"

type_line 'exit'
wait_pane '^CLI-EXIT=0$' 20
tap_ok $? 'exit returns to the outer shell with status 0' "$(pane)"
T kill-server 2>/dev/null

boxtopd_teardown
tap_ok $? 'teardown: sandboxes killed, boxtopd exits 0, no process left' "$BOXTOPD_PROBLEMS"
exit 0
