# tests/tui/golden.mk: golden-screen tests, one script per view (tests/tui/README.md says how
# to add one). The wall clock of boxtop under test is fixed by an LD_PRELOAD shim built here.
GOLDEN_TESTS = \
	tests/tui/test_screen_sandboxes.sh \
	tests/tui/test_screen_detail.sh \
	tests/tui/test_screen_help.sh \
	tests/tui/test_screen_logs.sh \
	tests/tui/test_screen_events.sh \
	tests/tui/test_screen_templates.sh \
	tests/tui/test_screen_team.sh \
	tests/tui/test_screen_files.sh \
	tests/tui/test_screen_terminal.sh \
	tests/tui/test_screen_snapshots.sh \
	tests/tui/test_screen_volumes.sh \
	tests/tui/test_screen_webhooks.sh \
	tests/tui/test_screen_sandbox_actions.sh \
	tests/tui/test_screen_term_sessions.sh \
	tests/tui/test_screen_commands.sh \
	tests/tui/test_screen_template_build.sh \
	tests/tui/test_screen_ended.sh \
	tests/tui/test_screen_loading.sh \
	tests/tui/test_screen_messages.sh
TESTS += $(GOLDEN_TESTS)
EXTRA_DIST += $(GOLDEN_TESTS) tests/tui/fake_cloud_golden_cmds.js tests/tui/fake_cloud_flaky.js tests/tui/golden.sh tests/tui/fixed_clock.c tests/tui/README.md \
	tests/tui/screens
check_DATA = tests/tui/fixed_clock.so
CLEANFILES += tests/tui/fixed_clock.so
tests/tui/fixed_clock.so: $(srcdir)/tests/tui/fixed_clock.c
	@$(MKDIR_P) tests/tui
	$(CC) -shared -fPIC -O2 -Wall -Wextra -o $@ $(srcdir)/tests/tui/fixed_clock.c -ldl
