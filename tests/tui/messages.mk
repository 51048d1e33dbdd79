# tests/tui/messages.mk: tmux tests of `:messages` and the errors in words beyond the golden
# screens (test_screen_messages.sh is in golden.mk).
MESSAGES_TESTS = tests/tui/test_messages_envd.sh tests/tui/test_errors_detail.sh \
	tests/tui/test_files_local_errors.sh
TESTS += $(MESSAGES_TESTS)
EXTRA_DIST += $(MESSAGES_TESTS) tests/tui/messages.mk tests/tui/fake_cloud_failing.js
