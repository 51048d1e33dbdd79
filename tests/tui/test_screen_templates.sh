#!/bin/sh
# test_screen_templates.sh - golden screens of the templates view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/templates*.screen; UPDATE_SCREENS=1 rewrites them).
# Enter opens the pane with the template's tags and builds (status, tags, start, duration of a
# running build counted to the fixed clock); moving the selection shows the other template's;
# Tab gives j/k to the builds (the hint line says so); `/` filters as in the sandboxes view.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..7"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type templates; tui_keys Enter
golden templates
tui_keys j Enter
golden templates_detail
tui_keys k
golden templates_detail_base
tui_keys j Tab j
golden templates_builds_focus
tui_keys Escape Enter / # the pane closed, then the filter
tui_type python
golden templates_filter_typing
tui_keys C-u; tui_type nothing-like-this; tui_keys Enter
golden templates_filter_none
tui_stop
# at 80 columns a build's id is cut to its ends so that status, duration, start and tags show
golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type templates; tui_keys Enter
tui_wait 'py3tmpl' 5
tui_keys j Enter
tui_wait 'Template py3tmpl' 5
golden templates_detail_80
tui_done
