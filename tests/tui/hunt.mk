# tests/tui/hunt.mk: defects an exploratory hunt through every view found (each fails on the
# code before its fix).
HUNT_TESTS = tests/tui/test_term_ttl_keep.sh tests/tui/test_files_gone_watch.sh tests/tui/test_detail_paused_ends.sh
TESTS += $(HUNT_TESTS)
EXTRA_DIST += $(HUNT_TESTS) tests/tui/hunt.mk
