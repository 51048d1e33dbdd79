#!/bin/sh
# test_screen_term_sessions.sh - golden screens of the terminal sessions list (`:sessions`,
# view_term_sessions.c; golden.sh, UPDATE_SCREENS=1 rewrites them): none yet, then the
# recorded shell of the session (api.terminals, an exited session) that `s` showed, from
# the terminal's prefix (Ctrl-] s), the close question, and the list at 80x24.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..7"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type sessions; tui_keys Enter
tui_wait 'Sessions \(0\)'
golden sessions_empty
tui_keys Escape
tui_keys s
tui_wait 'exit'
tui_keys C-]; tui_keys s # the terminal's prefix: s is the sessions list
tui_wait 'Sessions \(1\)'
golden sessions
tui_keys x
tui_wait 'Kill this shell'
golden sessions_close
tui_keys n
tui_stop

# the title and header rows are styled as in the other lists (ui_list.c's frame): the same
# attributes, in the same places, as the snapshots list's
esc=$(printf '\033')
frame_style() { tui_screen_e | sed -n '3,4p' | grep -o "$esc\[[0-9;]*m" | tr -d '\n'; }
golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(4\)'
want_style=$(frame_style)
tui_keys Escape
tui_wait ibx3idle
tui_keys s
tui_wait 'exit'
tui_keys C-]; tui_keys s
tui_wait 'Sessions \(1\)'
golden sessions_80
got_style=$(frame_style)
[ -n "$want_style" ] && [ "$got_style" = "$want_style" ]
ok $? "the sessions list's title and header are styled like the other lists'"
[ "$got_style" = "$want_style" ] || echo "# want '$want_style' got '$got_style'" | cat -v
tui_stop

# a hostile and a very long sandbox id: sanitized, cut in their column, the others aligned
golden_start 120 30 --replay "$GOLDEN_DIR/session_hostile.json"
tui_wait ilong
tui_keys s; tui_wait 'exit'; tui_keys C-]; tui_keys q
tui_keys j s; tui_wait 'exit'; tui_keys C-]; tui_keys s
tui_wait 'Sessions \(2\)'
golden sessions_hostile
tui_title_safe
ok $? "a hostile sandbox id in the sessions list is drawn sanitized"
tui_done
