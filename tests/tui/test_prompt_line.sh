#!/bin/sh
# test_prompt_line.sh - the prompt on the status line (app.c): the input gets what it needs
# (its text, the cursor, room to type), the label the rest, so at 80 columns a long label is
# read whole (golden screens of the build prompts, which half the line used to cut); a long
# answer scrolls and the label keeps a third of the line; wide characters move the cursor
# two columns (it stood inside the text).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..6"
golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'py3tmpl' 5
tui_keys b
tui_wait 'Build from template file' 5
golden prompt_build_file_80
tui_keys Enter
tui_wait 'Template name' 5
golden prompt_build_name_80
# a long answer: the label gives way down to a third of the line, the input scrolls
tui_type "$(printf 'x%.0s' $(seq 1 90))"
sleep 0.3
last=$(tui_screen | tail -n 1)
label=${last%%xxx*}
[ "${#label}" -ge 26 ] && printf '%s' "$last" | grep -q 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx *$'
ok $? "a long answer scrolls beside a label of a third of the line (label '$label')"
[ "$(tui_fmt '#{cursor_x}')" -eq 79 ] || [ "$(tui_fmt '#{cursor_x}')" -eq 78 ]
ok $? "the cursor is at the end of the scrolled answer (x=$(tui_fmt '#{cursor_x}'))"
tui_keys Escape
# wide characters: the cursor goes after them, two columns each (the sandboxes' filter)
tui_keys q
tui_wait 'Sandboxes \(' 5
tui_keys /
tui_wait '^/' 3
tui_type '漢字ab'
sleep 0.3
tui_screen | tail -n 1 | grep -q '^/漢字ab *$'; ok $? "wide characters are drawn in the input"
[ "$(tui_fmt '#{cursor_x}')" -eq 7 ]
ok $? "the cursor stands after two wide characters and two narrow ones (x=$(tui_fmt '#{cursor_x}'), want 7)"
tui_keys Escape
tui_done
