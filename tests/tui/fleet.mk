# Issue 18: acting on many sandboxes at once and the API log, each against a real boxtopd.
FLEET_TMUX_TESTS = tests/tui/test_tui_apilog.sh tests/tui/test_tui_fleet.sh
TESTS += $(FLEET_TMUX_TESTS)
EXTRA_DIST += $(FLEET_TMUX_TESTS)

# the engine joins the E2B client library (it needs api, envd and the transfer engine)
src_e2b_libboxtope2b_a_SOURCES += src/e2b/fleet.c
noinst_HEADERS += include/boxtop/fleet.h
src_cli_libboxtopcli_a_SOURCES += src/cli/cmd_fleet.c
src_e2b_libboxtope2b_a_SOURCES += src/e2b/fleet_compare.c
noinst_HEADERS += include/boxtop/fleet_compare.h
src_tui_libboxtoptui_a_SOURCES += src/tui/views/fleet.c src/tui/backend_fleet.c \
	src/tui/backend_fleet.h
