# tests/tui/tuipolish.mk: tmux tests for what a demanding user found in the sandboxes' AGE,
# the templates filter, the webhook form's cursor, the :api titles and the transfers panel.
TUIPOLISH_TESTS = tests/tui/test_age_column.sh tests/tui/test_i18n_columns.sh \
	tests/tui/test_templates_filter.sh tests/tui/test_webhook_form_cursor.sh \
	tests/tui/test_files_rate.sh
TESTS += $(TUIPOLISH_TESTS)
EXTRA_DIST += $(TUIPOLISH_TESTS) tests/tui/tuipolish.mk
