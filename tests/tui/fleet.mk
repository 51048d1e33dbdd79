# Issue 18: acting on many sandboxes at once and the API log, each against a real boxtopd.
FLEET_TMUX_TESTS = tests/tui/test_tui_apilog.sh tests/tui/test_tui_fleet.sh \
	tests/tui/test_screen_fleet.sh
TESTS += $(FLEET_TMUX_TESTS)
EXTRA_DIST += $(FLEET_TMUX_TESTS)

# the engine joins the E2B client library (it needs api, envd and the transfer engine)
src_e2b_libboxtope2b_a_SOURCES += src/e2b/fleet.c
noinst_HEADERS += include/boxtop/fleet.h
src_cli_libboxtopcli_a_SOURCES += src/cli/cmd_fleet.c
src_e2b_libboxtope2b_a_SOURCES += src/e2b/fleet_compare.c
noinst_HEADERS += include/boxtop/fleet_compare.h
src_tui_libboxtoptui_a_SOURCES += src/tui/views/view_fleet.c src/tui/backend_fleet.c \
	src/tui/backend_fleet.h

# unit tests and the fuzz target of the pure parts
FLEET_UNIT_TESTS = tests/unit/test_fleet_compare
check_PROGRAMS += $(FLEET_UNIT_TESTS)
TESTS += $(FLEET_UNIT_TESTS)
UNIT_TESTS += $(FLEET_UNIT_TESTS)
tests_unit_test_fleet_compare_SOURCES = tests/unit/test_fleet_compare.c
tests_unit_test_fleet_compare_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fleet_compare_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
FUZZ_PROGS += tests/fuzz/fuzz_api_log
tests_fuzz_fuzz_api_log_SOURCES = tests/fuzz/fuzz_api_log.c
tests_fuzz_fuzz_api_log_CPPFLAGS = $(AM_CPPFLAGS)
tests_fuzz_fuzz_api_log_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_api_log_LDFLAGS = $(FUZZER_LINK_FLAGS)
