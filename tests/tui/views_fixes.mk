# tests/tui/views_fixes.mk: tmux tests for issue 24's view fixes (files, CLI lookups, help,
# status line, i18n from the build tree, templates across restarts, smaller items).
VIEWS_FIXES_TESTS = tests/tui/test_files_rename.sh tests/tui/test_files_paused.sh \
	tests/tui/test_files_viewer.sh tests/tui/test_not_found.sh \
	tests/tui/test_templates_restart.sh tests/tui/test_i18n_buildtree.sh \
	tests/tui/test_help_box.sh tests/tui/test_status_line.sh \
	tests/tui/test_small_items.sh tests/tui/test_files_dangling.sh \
	tests/tui/test_term_notice_level.sh
TESTS += $(VIEWS_FIXES_TESTS)
EXTRA_DIST += $(VIEWS_FIXES_TESTS) tests/tui/views_fixes.mk
