#!/bin/sh
# test_themes.sh - themes and [keys] of the config file, driven in tmux from a recorded model:
# a rebound kill key in the footer, the help and in use (the old key does nothing) in the
# sandboxes and detail views, the SGR codes
# each theme sends (monochrome none, 8color only 30-37/40-47, light its 256-colour ones),
# NO_COLOR over a theme, and clear errors for an unknown theme or a key conflict.
. "$(dirname "$0")/lib.sh"
FIX="$abs_top_srcdir/tests/tui/three.json"
REAL_TUI=$BOXTOP_TUI
echo "1..22"

# 39/49 (default colours) do not count as colour: tmux's capture puts "ESC[0m ESC[39m ESC[49m"
# at the start of lines by itself, whatever the application sent.
# SGR parameters of the pane, one per line ("1", "38;5;25" kept whole for 38/48)
sgr_params() {
    tui_screen_e | grep -o "$(printf '\033')\[[0-9;]*m" | sed 's/^.\[//; s/m$//' |
        sed -E 's/(^|;)(38|48);5;([0-9]+)/\1\2:5:\3/g' | tr ';' '\n' | sed '/^$/d' | sort -u
}

printf '[keys]\nkill = X\n' > "$TMPD/keys.conf"
tui_start 160 40 --config "$TMPD/keys.conf" --replay "$FIX"
tui_wait 'ibx3idle'; ok $? "the table appears with [keys] kill = X"
tui_screen | grep -q 'X kill  p pause'; ok $? "the footer says X kill"
tui_screen | grep -q 'K kill'; [ $? -ne 0 ]; ok $? "the footer no longer says K kill"
tui_keys K; sleep 0.3
tui_screen | grep -q 'Kill sandbox'; [ $? -ne 0 ]; ok $? "K does nothing"
tui_screen | grep -q 'X kill  p pause'; ok $? "the footer stays after a key press (stdscr not repainted over it)"
tui_keys X; tui_wait 'Kill sandbox ibx1running0+1\?'; ok $? "X asks to kill"
tui_keys n; tui_wait 'cancelled'
tui_keys '?'; tui_wait 'Keys: '
tui_screen | grep -Eq 'X +kill marked or selected'; ok $? "the help shows X for kill"
tui_keys Escape
tui_keys g Enter; tui_wait 'X kill process  R reload  Esc/q back  \? help'
ok $? "the detail view's footer says X kill process"
tui_keys '?'; tui_wait 'Keys: '
tui_screen | grep -Eq 'X +kill the selected process'; ok $? "the detail help shows X for kill"
tui_keys Escape
tui_stop

for th in monochrome 8color light dark; do
    printf 'theme = %s\n' "$th" > "$TMPD/$th.conf"
done
tui_start 160 40 --config "$TMPD/monochrome.conf" --replay "$FIX"
tui_wait 'ibx3idle'
P=$(sgr_params)
echo "$P" | grep -Eq '^(3[0-8]|4[0-8]|9[0-7]|10[0-7]|38:5:.*|48:5:.*)$'; [ $? -ne 0 ] && echo "$P" | grep -qx 7
ok $? "monochrome: attributes (reverse) but no colour escapes: $(echo $P)"
tui_stop

tui_start 160 40 --config "$TMPD/8color.conf" --replay "$FIX"
tui_wait 'ibx3idle'
P=$(sgr_params)
echo "$P" | grep -Eq '^(38|48):5:|^(9[0-7]|10[0-7])$'; [ $? -ne 0 ] && echo "$P" | grep -qx 44 && echo "$P" | grep -qx 32
ok $? "8color: only 30-37/40-47 colours (blue header 44, green running 32): $(echo $P)"
tui_stop

tui_start 160 40 --config "$TMPD/light.conf" --replay "$FIX"
tui_wait 'ibx3idle'
P=$(sgr_params)
echo "$P" | grep -qx '48:5:25' && echo "$P" | grep -qx '38:5:28'
ok $? "light: its header (48;5;25) and running (38;5;28) colours: $(echo $P)"
tui_stop

tui_start 160 40 --config "$TMPD/light.conf" --theme 8color --replay "$FIX"
tui_wait 'ibx3idle'
P=$(sgr_params)
echo "$P" | grep -q '^[34]8:5:'; [ $? -ne 0 ] && echo "$P" | grep -qx 44
ok $? "--theme 8color wins over the file's theme = light"
tui_stop

tui_start 160 40 --replay "$FIX"
tui_wait 'ibx3idle'
tui_screen_e | grep -q '48;5;24'; ok $? "dark stays the default (48;5;24 header)"
tui_stop

# NO_COLOR wins over any theme
printf '#!/bin/sh\nNO_COLOR=1 exec "%s" "$@"\n' "$REAL_TUI" > "$TMPD/nocolor.sh"
chmod +x "$TMPD/nocolor.sh"
BOXTOP_TUI="$TMPD/nocolor.sh"
tui_start 160 40 --config "$TMPD/light.conf" --replay "$FIX"
tui_wait 'ibx3idle'
P=$(sgr_params)
echo "$P" | grep -Eq '^(3[0-8]|4[0-8]|9[0-7]|10[0-7]|38:5:.*|48:5:.*)$'; [ $? -ne 0 ]
ok $? "NO_COLOR=1 wins over theme = light: $(echo $P)"
tui_stop
BOXTOP_TUI=$REAL_TUI

# errors, before the terminal is touched
# refused ARGS...: boxtop-tui ARGS on the fixture exits 2 (its stderr in $TMPD/err)
refused() { "$REAL_TUI" "$@" --replay "$FIX" > /dev/null 2> "$TMPD/err"; [ $? -eq 2 ]; }
refused --theme solarized && grep -q 'unknown theme solarized (valid: dark, light, 8color, monochrome)' "$TMPD/err"
ok $? "--theme solarized: exit 2 listing the valid themes ($(cat "$TMPD/err"))"
printf '# mine\ntheme = neon\n' > "$TMPD/bad.conf"
refused --config "$TMPD/bad.conf" && grep -q "bad.conf:2: unknown theme neon (valid: dark" "$TMPD/err"
ok $? "theme = neon names file:line and the valid themes ($(cat "$TMPD/err"))"
printf '[keys]\nkill = X\npause = X\n' > "$TMPD/conflict.conf"
refused --config "$TMPD/conflict.conf" && grep -q "conflict.conf:3: pause and kill are both on key X" "$TMPD/err"
ok $? "a key conflict names both actions ($(cat "$TMPD/err"))"
printf '[keys]\nquit = Esc\n' > "$TMPD/lock.conf"
refused --config "$TMPD/lock.conf" && grep -q "lock.conf:2: quit must be a character or C-x" "$TMPD/err"
ok $? "quit cannot move to a key that would lock the user in ($(cat "$TMPD/err"))"

# quit rebound: q does nothing, Q quits
printf '[keys]\nquit = Q\n' > "$TMPD/quit.conf"
tui_start 160 40 --config "$TMPD/quit.conf" --replay "$FIX"
tui_wait 'ibx3idle'
tui_keys q; sleep 0.3
tui_screen | grep -q 'ibx3idle' && [ ! -f "$TMPD/exit" ]; ok $? "quit = Q: q does not quit"
tm resize-window -t t -x 60 -y 20; tui_wait '\(Q quits\)'
ok $? "the too-small screen names the quit key in effect"
tui_keys q; sleep 0.3
tui_keys Q; tui_wait EXITED 3 && [ "$(cat "$TMPD/exit" 2>/dev/null)" = 0 ]
ok $? "quit = Q: Q quits"
tui_done
