#!/bin/sh
# test_tui_term.sh - terminal behaviour: LANG=C (ASCII glyphs), NO_COLOR, mouse (click selects,
# wheel scrolls), the first frame before any response, and no wakeups while idle.
. "$(dirname "$0")/lib.sh"
FIX="$abs_top_srcdir/tests/tui/three.json"
echo "1..12"

TUI_LANG=C tui_start 160 40 --replay "$FIX"
tui_wait 'ibx3idle'; ok $? "LANG=C: the table appears"
S=$(tui_screen)
# no UTF-8 at all on screen: sparklines, sort arrow and marks are ASCII
! printf '%s' "$S" | LC_ALL=C grep -q "$(printf '[\200-\377]')" && printf '%s' "$S" | grep -q 'ID^'
ok $? "LANG=C: only ASCII glyphs"
tui_stop

NO_COLOR=1 tui_start 160 40 --replay "$FIX"
tui_wait 'ibx3idle'
! tui_screen_e | grep -Eq '\[([349]|10)[0-7]m|;([349]|10)[0-7]m|38;5;|48;5;'; ok $? "NO_COLOR: no colour escapes, only attributes"
tui_screen_e | grep -Eq "$(printf '\033')\\[([0-9];)*7m"; ok $? "NO_COLOR: the selection is still visible (reverse video)"
tui_stop

tui_start 160 24 --replay "$FIX"
tui_wait 'ibx3idle'
sleep 0.3 # let a slow (sanitizer) build finish its start-up before the mouse arrives
# click the third data row (screen row 7, 1-based) selects it: Enter opens that sandbox
tui_type "$(printf '\033[<0;10;7M')"; tui_type "$(printf '\033[<0;10;7m')"
tui_keys Enter; tui_wait '^ Sandbox ibx3idle'; ok $? "a click selects the row under it"
tui_keys Escape; tui_wait 'Sandboxes \('
tui_keys g
tui_type "$(printf '\033[<65;10;7M')"   # wheel down
tui_keys Enter; tui_wait '^ Sandbox ibx3idle'; ok $? "the wheel scrolls the selection"
tui_keys Escape
tui_stop

# nothing listens on this port: the frame comes first, with a loading state
port=$(awk 'BEGIN { srand(); print 20000 + int(rand() * 20000) }')
E2B_API_KEY=e2b_test tui_start 120 30 --api-url "http://127.0.0.1:$port"
tui_wait 'Loading sandboxes|Waiting for the backend' 2; ok $? "the first frame appears before any response"
tui_wait 'backend unreachable' 15 && tui_wait 'Waiting for the backend' 2; ok $? "an unreachable backend is named in the status line"
tui_stop

# Ctrl-C restores the terminal; Ctrl-Z hands it back to the shell and fg redraws
tui_start 120 30 --replay "$FIX"
tui_wait 'ibx3idle'
tui_keys C-c; tui_wait EXITED
[ "$(cat "$TMPD/exit")" = 130 ] && [ "$(tui_fmt '#{alternate_on}#{cursor_flag}#{mouse_any_flag}')" = 010 ]
ok $? "Ctrl-C exits (130) with the terminal restored"
tui_stop
tm new-session -d -s t -x 120 -y 30 "env PS1='PROMPT\$ ' TERM=xterm-256color LANG=C.UTF-8 bash --norc -i"
tui_wait 'PROMPT'
tui_type "$BOXTOP_TUI --replay $FIX"; tui_keys Enter
tui_wait 'ibx3idle'; tui_keys C-z
tui_wait 'Stopped' && [ "$(tui_fmt '#{alternate_on}#{mouse_any_flag}')" = 00 ]
ok $? "Ctrl-Z gives the shell a normal terminal (no alt screen, no mouse)"
tui_type 'fg'; tui_keys Enter
tui_wait 'ibx3idle' && [ "$(tui_fmt '#{alternate_on}')" = 1 ]; ok $? "fg brings the table back"
tui_keys q
tui_stop

# idle: an empty recording has nothing that ticks, so the process must not wake up
printf '{"version":1,"sandboxes":[]}' > "$TMPD/empty.json"
tui_start 120 30 --replay "$TMPD/empty.json"
tui_wait 'No sandboxes'
sleep 7 # let the info messages expire
pid=$(cat "$TMPD/pid")
c1=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
sleep 3
c2=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
[ $((c2 - c1)) -le 1 ]; ok $? "idle: no wakeups in 3 s (context switches $c1 -> $c2)"
tui_done
