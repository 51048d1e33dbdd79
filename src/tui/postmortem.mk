# Issue 17: ended sandboxes and their post-mortems. The record, its JSON and store are pure
# (libboxtope2b, shared with `boxtop postmortem`); the tracker and the views are the TUI's.
src_e2b_libboxtope2b_a_SOURCES += src/e2b/postmortem.c src/e2b/postmortem_card.c \
	src/e2b/changes_parse.c
noinst_HEADERS += include/boxtop/postmortem.h include/boxtop/changes.h
src_tui_libboxtoptui_a_SOURCES += src/tui/postmortem_track.c src/tui/postmortem_track.h \
	src/tui/views/view_postmortem.c src/tui/views/view_ended.c \
	src/tui/expiry.c src/tui/expiry.h \
	src/tui/changes_track.c src/tui/changes_track.h src/tui/views/view_changes.c
src_cli_libboxtopcli_a_SOURCES += src/cli/cmd_postmortem.c

tests_unit_test_postmortem_SOURCES = tests/unit/test_postmortem.c
tests_unit_test_postmortem_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_postmortem_LDADD = $(E2B_LIBS) $(CORE_LIBS) $(CMOCKA_LIBS) $(CJSON_LIBS)
check_PROGRAMS += tests/unit/test_postmortem
TESTS += tests/unit/test_postmortem
UNIT_TESTS += tests/unit/test_postmortem

# tmux against a real boxtopd (tests/tui/bxd.sh) and the SDK.
TESTS += tests/tui/test_postmortem.sh
EXTRA_DIST += tests/tui/test_postmortem.sh
TESTS += tests/tui/test_expiry.sh
EXTRA_DIST += tests/tui/test_expiry.sh
# Golden screens of the ended rows, the card and :ended (tests/tui/README.md).
TESTS += tests/tui/test_screen_postmortem.sh
EXTRA_DIST += tests/tui/test_screen_postmortem.sh tests/tui/screens/postmortem_rows.screen \
	tests/tui/screens/postmortem_card.screen tests/tui/screens/postmortem_ended.screen
# Causes from E2B cloud's shapes (a loopback fake).
TESTS += tests/tui/test_postmortem_cloud.sh
EXTRA_DIST += tests/tui/test_postmortem_cloud.sh tests/tui/fake_cloud_ends.js
# Changed files against boxtopd and the SDK.
TESTS += tests/tui/test_changes.sh
EXTRA_DIST += tests/tui/test_changes.sh tests/tui/changes_agent.mjs
# The parsers of outside input (find's records, the post-mortem JSON on disk): fuzzed.
FUZZ_PROGS += tests/fuzz/fuzz_changes
tests_fuzz_fuzz_changes_SOURCES = tests/fuzz/fuzz_changes.c
tests_fuzz_fuzz_changes_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_changes_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_changes_LDFLAGS = $(FUZZER_LINK_FLAGS)
# Golden screens of the changed-files view against a loopback cloud + envd fake.
TESTS += tests/tui/test_screen_changes.sh
EXTRA_DIST += tests/tui/test_screen_changes.sh tests/tui/fake_cloud_changes.js \
	tests/tui/screens/changes.screen tests/tui/screens/changes_filter.screen \
	tests/tui/screens/changes_pager.screen
