# tests/tui/polish.mk: tests of issue 23 (a new user's first hour): the id column, starts/min,
# the header under a terminal, one shell tab per sandbox, the command line starting boxtopd,
# per-view [keys], logs --follow against a same-millisecond flood.
POLISH_TESTS = tests/tui/test_logs_flood.sh tests/tui/test_polish.sh tests/tui/test_cli_autostart.sh tests/tui/test_keys_views.sh tests/tui/test_header_updated.sh
TESTS += $(POLISH_TESTS)
EXTRA_DIST += $(POLISH_TESTS) tests/tui/polish.mk
