# Issue 18: acting on many sandboxes at once and the API log, each against a real boxtopd.
FLEET_TMUX_TESTS = tests/tui/test_tui_apilog.sh
TESTS += $(FLEET_TMUX_TESTS)
EXTRA_DIST += $(FLEET_TMUX_TESTS)
