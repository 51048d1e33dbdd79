#!/bin/sh
# test_term_keys.sh - issue 24 point 1: in a terminal tab every key but the prefix reaches the
# shell (Ctrl-C, Ctrl-\, Ctrl-Z, Ctrl-S/Ctrl-Q), because the outer tty is raw while a tab is
# shown (no isig, no ixon, as tmux does); outside a tab Ctrl-C still quits (and Ctrl-Z still
# suspends: test_tui_term.sh). And no
# signal leaves the outer terminal broken or the boxtopd boxtop started behind: SIGINT,
# SIGQUIT, SIGTERM and SIGHUP (and SIGUSR1 for the unhandled ones), in a terminal tab and in the
# sandboxes view, then stty -a of the pane's tty, the exit status and the boxtopd's pid are
# checked; SIGKILL takes boxtopd along.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..30"

cleanup() {
    tui_stop
    for d in "$TMPD"/st*; do
        p=$(bxd_pid_of "$d"); [ -n "$p" ] && kill "$p" 2>/dev/null
    done
    rm -rf "$TMPD"
}
trap cleanup EXIT

pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }
tty_modes() { stty -a < "$(tui_fmt '#{pane_tty}')" 2>/dev/null; }
has_mode() { tty_modes | tr ' ' '\n' | grep -qx -- "$1"; }
# boxtop with no key starts the real boxtopd of state dir $1; prints a sandbox id made there
start_local() {
    bxd_local_env "$1"
    tui_start 120 30
    n=300; while [ $n -gt 0 ] && [ ! -s "$1/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
    (eval "$("$BOXTOPD" --print-env --state-dir "$1")"; "$BOXTOP" create --timeout 600)
}
open_shell() { # open_shell ID
    tui_wait "$(echo "$1" | cut -c1-12)" 15 && tui_keys : && tui_type "shell $1" && tui_keys Enter && tui_wait '[$#] *$' 15
}

# ---- keys in a terminal tab --------------------------------------------------------------
ID=$(start_local "$TMPD/st0")
open_shell "$ID"; ok $? "a shell in a sandbox of the boxtopd boxtop started"
! has_mode isig && ! has_mode ixon && has_mode -isig && has_mode -ixon
ok $? "while a tab is shown the outer tty has -isig -ixon"

run 'sleep 100'; sleep 0.5; tui_keys C-c
tui_wait '[$#] *$' 5 && run 'echo rc-$?' && tui_wait '^rc-130' 5
ok $? "Ctrl-C interrupts sleep in the shell (rc 130)"
[ ! -s "$TMPD/exit" ] && tui_screen | head -1 | grep -q boxtop; ok $? "Ctrl-C left boxtop running"

run 'sleep 100'; sleep 0.5; tui_keys 'C-\'
tui_wait '[$#] *$' 5 && run 'echo rq-$?' && tui_wait '^rq-131' 5
ok $? "Ctrl-\\ quits sleep in the shell (rc 131)"
[ ! -s "$TMPD/exit" ]; ok $? "Ctrl-\\ left boxtop running"

run 'sleep 100'; sleep 0.5; tui_keys C-z
tui_wait 'Stopped +sleep 100' 5; ok $? "Ctrl-Z stops sleep in the shell (job control)"
run 'kill -9 %1; jobs'; tui_wait 'Killed +sleep 100' 5
[ ! -s "$TMPD/exit" ] && [ "$(tui_fmt '#{alternate_on}')" = 1 ]; ok $? "Ctrl-Z left boxtop in front"

# the sandbox's own tty discipline would eat ^S/^Q (its ixon): turn it off to see the bytes
run 'stty -ixon; cat -v'; sleep 0.5
tui_keys C-s; tui_type 'after-S'; tui_keys C-q; tui_keys Enter
tui_wait '^\^Safter-S\^Q' 5; ok $? "Ctrl-S and Ctrl-Q reach the shell as bytes"
twice() { [ "$(tui_screen | grep -c '^\^Safter-S\^Q *$')" = 2 ]; }
n=100; while [ $n -gt 0 ] && ! twice; do sleep 0.05; n=$((n-1)); done
twice; ok $? "after Ctrl-S the screen still updates (cat's echo and its output line)"
tui_keys C-d; tui_wait '[$#] *$' 5
pfx '['; tui_wait 'COPY [0-9]+/' 5 && tui_keys C-c && tui_wait_gone 'COPY [0-9]+/' 5 &&
    [ ! -s "$TMPD/exit" ]
ok $? "Ctrl-C leaves copy mode (and only that)"

pfx q; tui_wait 'Sandboxes' 5
has_mode isig && has_mode ixon; ok $? "back in the sandboxes view the tty has isig and ixon again"

dp=$(bxd_pid_of "$TMPD/st0")
tui_keys C-c; tui_wait EXITED 15
[ "$(cat "$TMPD/exit")" = 130 ] && has_mode isig && has_mode icanon && has_mode echo &&
    [ "$(tui_fmt '#{alternate_on}#{mouse_any_flag}')" = 00 ]
ok $? "outside a tab Ctrl-C still quits boxtop (130), the tty restored"
n=100; while [ $n -gt 0 ] && kill -0 "$dp" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
! kill -0 "$dp" 2>/dev/null; ok $? "... and the boxtopd it started is stopped"
tui_stop

# ---- signals: the terminal is restored and the boxtopd boxtop started is stopped --------
k=1
# USR1 stands for the signals boxtop does not handle (default action: die): it still dies with
# the terminal restored, and its boxtopd goes with it
for case in "INT 130 tab" "QUIT 131 tab" "TERM 143 list" "HUP 129 tab" "USR1 138 tab"; do
    set -- $case
    d="$TMPD/st$k"; k=$((k + 1))
    ID=$(start_local "$d")
    dp=$(bxd_pid_of "$d")
    if [ "$3" = tab ]; then open_shell "$ID"; else tui_wait "$ID" 15; fi
    kill -s "$1" "$(cat "$TMPD/pid")"
    tui_wait EXITED 15
    [ "$(cat "$TMPD/exit" 2>/dev/null)" = "$2" ]; ok $? "SIG$1 ($3): boxtop exits $2"
    has_mode isig && has_mode icanon && has_mode echo && has_mode ixon &&
        [ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}')" = 010 ]
    ok $? "SIG$1 ($3): the outer tty is restored (isig icanon echo ixon, no alt screen, no mouse)"
    n=200; while [ $n -gt 0 ] && kill -0 "$dp" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
    [ -n "$dp" ] && ! kill -0 "$dp" 2>/dev/null; ok $? "SIG$1 ($3): the boxtopd it started is stopped"
    tui_stop
done

# SIGKILL cannot be caught: the boxtopd it started still goes (it dies with its parent), also
# after a shell ran in it (boxtopd's setfsuid made the kernel forget the parent-death signal)
d="$TMPD/st9"
ID=$(start_local "$d")
dp=$(bxd_pid_of "$d")
open_shell "$ID"
kill -s KILL "$(cat "$TMPD/pid")"; tui_wait EXITED 15
n=200; while [ $n -gt 0 ] && kill -0 "$dp" 2>/dev/null; do sleep 0.05; n=$((n-1)); done
[ -n "$dp" ] && ! kill -0 "$dp" 2>/dev/null; ok $? "SIGKILL: the boxtopd it started goes too"
exit 0
