#!/bin/sh
# test_term_paste.sh - bracketed paste in boxtop's own UI, with tmux paste-buffer -p (tmux adds
# ESC[200~ ... ESC[201~ only when the program asked for ?2004, so it also proves boxtop did):
# in a terminal tab the paste reaches the shell as one piece, bracketed again only for an app
# that enabled ?2004 (cat -v shows the brackets), an ESC in it no longer eats what follows; in
# the sandboxes list a paste triggers no action (pasted "q" does not quit); in the : prompt it
# is text with newlines as spaces; plain typed keys (send-keys) still work. Real boxtopd (bxd.sh).
# The outer terminal's mode: on at start, off at Ctrl-Z, on again at fg, off at exit (the bytes
# boxtop wrote, from tmux pipe-pane).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..9"

bxd_one_sandbox
run() { tui_type "$1"; tui_keys Enter; }
paste() { printf '%b' "$1" | tm load-buffer -b p - && tm paste-buffer -p -d -b p -t t; }

tui_start 100 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
# the list: a pasted "q" (and d, x: actions there) is no key
paste 'qdx'; sleep 1
tui_screen | head -1 | grep -q boxtop && ! tui_screen | grep -q EXITED && tui_screen | grep -q "$(echo "$ID" | cut -c1-12)"
ok $? "a paste in the sandboxes list triggers no action (pasted q does not quit)"
# the : prompt: the paste is text, its newline a space
tui_keys : ; paste 'she\nll'; sleep 0.5
tui_screen | grep -q '^:she ll'; ok $? "a paste into the : prompt inserts the text, newline as a space"
tui_keys C-u; tui_keys Escape; sleep 0.3
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15; ok $? "a shell in the sandbox (typed keys)"

# an app that asked for ?2004 gets the brackets around the paste
run "printf '\\033[?2004h'; cat -v"; sleep 1
paste 'in-brackets'; sleep 0.5; tui_keys Enter
tui_wait '\^\[\[200~in-brackets\^\[\[201~' 5; ok $? "an app that enabled ?2004 gets ESC[200~ ... ESC[201~"
tui_keys C-d; sleep 0.3
run "printf '\\033[?2004l'; cat -v"; sleep 1
paste 'no-brackets'; sleep 0.5; tui_keys Enter
tui_wait '^no-brackets *$' 5 && ! tui_screen | grep -q '200~no-brackets'
ok $? "an app that did not enable ?2004 gets the bare text"
tui_keys C-d; sleep 0.3
# ESC in the paste: dropped (it could end the bracket or act as a key), nothing after it lost
paste 'echo two\033[31mX-$((20+1))'; sleep 0.5; tui_keys Enter
tui_wait '^two\[31mX-21 *$' 5; ok $? "a pasted ESC sequence eats nothing: echo two[31mX-21 ran"
run 'echo typed-$((3*3))'; tui_wait '^typed-9' 5; ok $? "typed keys (plain send-keys) still reach the shell"
tui_stop

# ?2004 on the outer terminal: the sequence of h/l boxtop writes (bash's own turned off first)
tm new-session -d -s t -x 100 -y 30 "env PS1='PROMPT\$ ' TERM=xterm-256color LANG=C.UTF-8 bash --norc -i"
tui_wait 'PROMPT' 10
tui_type "bind 'set enable-bracketed-paste off'"; tui_keys Enter; sleep 0.5
tm pipe-pane -o -t t "cat >> $TMPD/out"; sleep 0.3
tui_type "$BOXTOP_TUI"; tui_keys Enter
tui_wait "$(echo "$ID" | cut -c1-12)" 15; tui_keys C-z; tui_wait 'Stopped' 5; sleep 0.3
modes() { grep -ao "$(printf '\033')\\[?2004[hl]" "$TMPD/out" | tr -d '\033[?2004' | tr -d '\n'; }
[ "$(modes)" = hl ]; ok $? "bracketed paste on at start, off at Ctrl-Z ($(modes))"
tui_type 'fg'; tui_keys Enter; tui_wait "$(echo "$ID" | cut -c1-12)" 10; sleep 0.5; tui_keys q
sleep 1.5
[ "$(modes)" = hlhl ]; ok $? "on again at fg, off at exit ($(modes))"
exit 0
