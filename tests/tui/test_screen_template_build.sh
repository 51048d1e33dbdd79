#!/bin/sh
# test_screen_template_build.sh - golden screens of the template build log (Enter on a build
# in the templates view's pane, view_template_build.c; golden.sh, UPDATE_SCREENS=1 rewrites
# them) against the loopback fake of E2B cloud's template API (fake_cloud_templates.js): a
# failed build (its reason at the bottom), a build of the template with a hostile alias
# (title drawn sanitized), a ready one at 80x24 (a long warning cut at the edge, a line with
# escape sequences sanitized; FAKE_LONG_LOG) and a running one (its elapsed time, which counts
# on the real clock, masked).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..5"
golden_fake fake_cloud_templates.js FAKE_RUN_POLLS=1000000 FAKE_LONG_LOG=1
APP=k3j2v7q9x0a1b2c3d4e5
EVIL=h0st1le0000000000000

golden_start_fake 120 30 'No sandboxes|no sandboxes|running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait "$APP" 10
tui_keys j Enter; tui_wait "Template $APP" 5
tui_keys Tab; tui_wait 'j/k build  Enter its log' 5
tui_wait '0001 +error' 10; tui_keys j j Enter # j before the builds are read moves nothing
tui_wait "Build failed: failed to run command" 10
golden template_build_error
tui_keys Escape; tui_wait "Template $APP" 5; tui_keys Escape; tui_wait 'Tab builds  ' 5
tui_keys j; tui_wait "Template $EVIL" 5
tui_keys Tab; tui_wait 'j/k build  Enter its log' 5; tui_keys Enter
tui_wait 'Building evil' 10; tui_wait 'ready' 10
golden template_build_hostile
tui_title_safe
ok $? "a hostile template alias in the build log's title is drawn sanitized"
tui_stop

golden_start_fake 80 24 'No sandboxes|no sandboxes|running' 15
tui_keys :; tui_type templates; tui_keys Enter
tui_wait "$APP" 10
tui_keys j Enter; tui_wait "Template $APP" 5
tui_keys Tab; tui_wait 'j/k build  Enter its log' 5
tui_wait '0001 +error' 10; tui_keys j Enter
tui_wait 'Building my-app' 10; tui_wait 'ready' 10
golden template_build_80
tui_keys Escape; tui_wait "Template $APP" 5
tui_keys k; tui_keys Enter # the running build
tui_wait 'Building my-app' 10; tui_wait 'building' 10
GOLDEN_MASK="$GOLDEN_MASK;s|[0-9]*\\.[0-9]s  building|N.Ns  building|"
golden template_build_running
tui_done
