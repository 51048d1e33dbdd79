# tests/tui/explore.mk: tmux tests for defects found by using every view as a user would.
EXPLORE_TESTS = tests/tui/test_prompt_line.sh tests/tui/test_builds_plural.sh \
	tests/tui/test_i18n_layout.sh tests/tui/test_header_note.sh \
	tests/tui/test_copy_page.sh tests/tui/test_sort_arrow.sh \
	tests/tui/test_plurals.sh tests/tui/test_events_width.sh \
	tests/tui/test_events_open.sh tests/tui/test_term_tabs.sh \
	tests/tui/test_volume_status.sh tests/tui/test_webhook_form_error.sh \
	tests/tui/test_footer_help.sh
TESTS += $(EXPLORE_TESTS)
EXTRA_DIST += $(EXPLORE_TESTS) tests/tui/explore.mk
