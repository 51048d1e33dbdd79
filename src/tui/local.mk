# src/tui: the interactive terminal UI. Pure parts (model, filter, sort, widgets' state,
# glyphs) live in libboxtoptui_pure.a so unit tests link them without ncurses; the drawing,
# views and the app are in libboxtoptui.a. boxtop (src/cli) links both through src_boxtop_LDADD.
noinst_LIBRARIES += src/tui/libboxtoptui_pure.a src/tui/libboxtoptui.a
src_tui_libboxtoptui_pure_a_SOURCES = \
	src/tui/model.c src/tui/model.h \
	src/tui/tui_model_json.c src/tui/model_json.h \
	src/tui/filter.c src/tui/filter.h \
	src/tui/sort.c src/tui/sort.h \
	src/tui/fastscan.c src/tui/fastscan.h \
	src/tui/list_memo.c src/tui/list_memo.h \
	src/tui/widgets/spark.c src/tui/widgets/spark.h \
	src/tui/widgets/table.c src/tui/widgets/table.h \
	src/tui/widgets/input.c src/tui/widgets/input.h \
	src/tui/views/view_logs_store.c src/tui/views/logs_store.h \
	src/tui/duration.c src/tui/duration.h \
	src/tui/messages.c src/tui/messages.h
src_tui_libboxtoptui_pure_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui $(CJSON_CFLAGS)

src_tui_libboxtoptui_a_SOURCES = \
	src/tui/app.c src/tui/app.h src/tui/app_frame.h src/tui/app_base.c \
	src/tui/app_clock.c src/tui/app_status.c src/tui/app_prompt.c src/tui/app_confirm.c \
	src/tui/app_help.c src/tui/app_header.c \
	src/tui/app_input.c src/tui/app_paste.c src/tui/app_paste.h src/tui/app_cmd.c src/tui/app_run.c src/tui/app_save.c \
	src/tui/backend.h src/tui/backend_replay.c src/tui/backend_replay.h \
	src/tui/backend_replay_fetch.c \
	src/tui/backend_e2b.c src/tui/backend_e2b.h src/tui/backend_e2b_int.h \
	src/tui/backend_e2b_round.c src/tui/backend_e2b_list.c src/tui/backend_e2b_metrics.c \
	src/tui/backend_e2b_actions.c src/tui/backend_e2b_detail.c \
	src/tui/term_restore.c src/tui/term_restore.h \
	src/tui/theme.c src/tui/theme.h src/tui/themes.c \
	src/tui/keymap.c src/tui/keymap.h src/tui/keymap_views.c src/tui/keymap_keys.c \
	src/tui/ui.c src/tui/ui_list.c src/tui/clipboard.c src/tui/widgets/input_keys.c \
	src/tui/views/view_sandboxes.c src/tui/views/view_detail.c \
	src/tui/tui_main.c \
	src/tui/session.c src/tui/session.h \
	src/tui/session_dedup.c src/tui/session_dedup.h \
	src/tui/views/view_term.c src/tui/views/term_view.h src/tui/views/view_term_copy.c \
	src/tui/views/view_term_sessions.c \
	src/tui/backend_fetch.c src/tui/backend_fetch.h \
	src/tui/views/view_logs.c src/tui/views/view_events.c \
	src/tui/views/view_commands.c src/tui/views/view_commands_pane.c src/tui/views/commands_view.h \
	src/tui/views/view_commands_timeline.c src/tui/views/view_commands_follow.c \
	src/tui/views/view_templates.c src/tui/views/view_team.c \
	src/tui/views/view_apilog.c src/tui/views/view_messages.c \
	src/tui/views/view_template_build.c src/tui/tpl_builder.c src/tui/tpl_builder.h \
	src/tui/views/templates_view.h src/tui/views/view_templates_pane.c \
	src/tui/views/view_templates_edit.c \
	src/tui/backend_webhooks.c src/tui/backend_webhooks.h \
	src/tui/views/view_webhooks.c src/tui/views/view_webhooks_form.c src/tui/views/webhooks_form.h \
	src/tui/views/view_snapshots.c src/tui/views/view_volumes.c src/tui/views/view_sandbox_actions.c
src_tui_libboxtoptui_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui $(CJSON_CFLAGS) \
	$(NCURSES_CFLAGS) $(CURL_CFLAGS) -I$(top_srcdir)/src/tui/term $(VTERM_CFLAGS)

TUI_LIBS = src/tui/libboxtoptui.a src/tui/libboxtoptui_pure.a src/tui/term/libboxtopterm.a \
	$(VTERM_LIBS) $(ENVDC_LIBS) $(NCURSES_LIBS) -lm

# Stand-alone driver of tui_main() for the tmux tests.
noinst_PROGRAMS += src/tui/boxtop-tui
src_tui_boxtop_tui_SOURCES = src/tui/boxtop_tui.c
src_tui_boxtop_tui_LDADD = $(TUI_LIBS)

# Unit tests of the pure parts (cmocka, TAP).
TUI_UNIT_TESTS = tests/unit/test_tui_filter tests/unit/test_tui_widgets tests/unit/test_tui_model \
	tests/unit/test_tui_fastscan tests/unit/test_tui_messages
check_PROGRAMS += $(TUI_UNIT_TESTS)
TESTS += $(TUI_UNIT_TESTS)
UNIT_TESTS += $(TUI_UNIT_TESTS)
TUI_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
TUI_TEST_LDADD = src/tui/libboxtoptui_pure.a $(CORE_LIBS) $(CMOCKA_LIBS) -lm
tests_unit_test_tui_filter_SOURCES = tests/unit/test_tui_filter.c
tests_unit_test_tui_filter_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_filter_LDADD = $(TUI_TEST_LDADD)
tests_unit_test_tui_widgets_SOURCES = tests/unit/test_tui_widgets.c
tests_unit_test_tui_widgets_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_widgets_LDADD = $(TUI_TEST_LDADD)
tests_unit_test_tui_messages_SOURCES = tests/unit/test_tui_messages.c
tests_unit_test_tui_messages_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_messages_LDADD = $(TUI_TEST_LDADD)
tests_unit_test_tui_model_SOURCES = tests/unit/test_tui_model.c
tests_unit_test_tui_model_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_model_LDADD = $(TUI_TEST_LDADD)
# The live backend against a fake platform server (loopback, forked): the tests that open it.
TUI_FAKE_BACKEND_SOURCES = tests/unit/fake_server.c tests/unit/fake_server.h \
	tests/unit/fake_conn.c tests/unit/fake_conn.h tests/unit/fake_backend.c \
	tests/unit/fake_backend.h
TUI_FAKE_BACKEND_LDADD = $(TUI_LIBS) $(ENVDC_LIBS) $(CMOCKA_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)
check_PROGRAMS += tests/unit/test_tui_backend
TESTS += tests/unit/test_tui_backend
tests_unit_test_tui_backend_SOURCES = tests/unit/test_tui_backend.c $(TUI_FAKE_BACKEND_SOURCES)
tests_unit_test_tui_backend_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(CURL_CFLAGS)
tests_unit_test_tui_backend_LDADD = $(TUI_FAKE_BACKEND_LDADD)
# Unchanged list pages taken as they are (issue 22): the memo, and the backend's rounds.
check_PROGRAMS += tests/unit/test_tui_list_memo
TESTS += tests/unit/test_tui_list_memo
tests_unit_test_tui_list_memo_SOURCES = tests/unit/test_tui_list_memo.c $(TUI_FAKE_BACKEND_SOURCES)
tests_unit_test_tui_list_memo_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(CURL_CFLAGS)
tests_unit_test_tui_list_memo_LDADD = $(TUI_FAKE_BACKEND_LDADD)
# A round's batch metrics calls, a bounded number at once (issue 22).
check_PROGRAMS += tests/unit/test_tui_batches
TESTS += tests/unit/test_tui_batches
tests_unit_test_tui_batches_SOURCES = tests/unit/test_tui_batches.c $(TUI_FAKE_BACKEND_SOURCES)
tests_unit_test_tui_batches_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(CURL_CFLAGS)
tests_unit_test_tui_batches_LDADD = $(TUI_FAKE_BACKEND_LDADD)
tests_unit_test_tui_fastscan_SOURCES = tests/unit/test_tui_fastscan.c
tests_unit_test_tui_fastscan_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
# the strict metrics parser (src/e2b) is what the fast path must agree with
tests_unit_test_tui_fastscan_LDADD = src/tui/libboxtoptui_pure.a src/e2b/libboxtope2b.a \
	$(CORE_LIBS) $(CMOCKA_LIBS) -lm

# tmux-driven tests of the whole TUI (need tmux; they use their own tmux server socket).
TUI_TMUX_TESTS = tests/tui/test_tui_replay.sh tests/tui/test_tui_hostile.sh \
	tests/tui/test_tui_live.sh tests/tui/test_tui_term.sh tests/tui/test_tui_local.sh \
	tests/tui/test_tui_boxtopd.sh tests/tui/test_term_shell.sh tests/tui/test_tui_scale.sh \
	tests/tui/test_tui_snapshots.sh tests/tui/test_tui_snapvol_cloud.sh
TESTS += $(TUI_TMUX_TESTS)
EXTRA_DIST += $(TUI_TMUX_TESTS) tests/tui/lib.sh tests/tui/three.json tests/tui/fake_api.js
# Issue 24's terminal points, each against a real boxtopd (tests/tui/bxd.sh starts it).
TUI_TERM24_TESTS = tests/tui/test_term_keys.sh tests/tui/test_exec_interrupt.sh \
	tests/tui/test_term_resize.sh tests/tui/test_term_detached.sh tests/tui/test_term_pause.sh
TESTS += $(TUI_TERM24_TESTS)
EXTRA_DIST += $(TUI_TERM24_TESTS) tests/tui/bxd.sh

# Terminal benchmark (issue 7; not in make check): boxtop vs `e2b sandbox connect` vs a local
# shell, all in tmux against one boxtopd sandbox. Needs tests/node_modules (cd tests && npm ci).
EXTRA_DIST += bench/term.mjs
bench-term: all
	env abs_top_srcdir='$(abs_top_srcdir)' abs_top_builddir='$(abs_top_builddir)' \
	NO_UPDATE_NOTIFIER=1 LANG=C.UTF-8 node $(abs_top_srcdir)/bench/term.mjs
.PHONY: bench-term

# The PTY session manager without a server (issue 7; the live paths: test_term_shell.sh).
check_PROGRAMS += tests/unit/test_tui_session
TESTS += tests/unit/test_tui_session
UNIT_TESTS += tests/unit/test_tui_session
tests_unit_test_tui_session_SOURCES = tests/unit/test_tui_session.c
tests_unit_test_tui_session_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui \
	-I$(top_srcdir)/src/tui/term $(VTERM_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_tui_session_LDADD = $(TUI_LIBS) $(CMOCKA_LIBS)
# Issue 25: output a reconnected stream replays is dropped (session_dedup.c).
check_PROGRAMS += tests/unit/test_tui_dedup
TESTS += tests/unit/test_tui_dedup
UNIT_TESTS += tests/unit/test_tui_dedup
tests_unit_test_tui_dedup_SOURCES = tests/unit/test_tui_dedup.c src/tui/session_dedup.c
tests_unit_test_tui_dedup_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui $(CMOCKA_CFLAGS)
tests_unit_test_tui_dedup_LDADD = $(CMOCKA_LIBS)
# Issue 9 views (logs, events, templates, team): unit tests of their pure parts, tmux tests
# against a fake API with hostile logs and against a real boxtopd.
VIEWS_UNIT_TESTS = tests/unit/test_tui_logs
check_PROGRAMS += $(VIEWS_UNIT_TESTS)
TESTS += $(VIEWS_UNIT_TESTS)
UNIT_TESTS += $(VIEWS_UNIT_TESTS)
tests_unit_test_tui_logs_SOURCES = tests/unit/test_tui_logs.c
tests_unit_test_tui_logs_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_logs_LDADD = $(TUI_TEST_LDADD)
VIEWS_TMUX_TESTS = tests/tui/test_logs_hostile.sh tests/tui/test_logs_live.sh
TESTS += $(VIEWS_TMUX_TESTS)
EXTRA_DIST += $(VIEWS_TMUX_TESTS) tests/tui/fake_logs.js
# Issue 16: the commands view and CLI against boxtopd, the e2b SDK as the agent.
TESTS += tests/tui/test_commands.sh tests/tui/test_commands_cloud.sh tests/tui/test_commands_timeline.sh
EXTRA_DIST += tests/tui/test_commands.sh tests/tui/commands_agent.mjs tests/tui/test_commands_cloud.sh \
	tests/tui/test_commands_timeline.sh \
	tests/tui/fake_cloud_cmds.js
VIEWS_I18N_TESTS = tests/tui/test_i18n.sh
TESTS += $(VIEWS_I18N_TESTS)
EXTRA_DIST += $(VIEWS_I18N_TESTS)

# Themes and keys (issue 9): key syntax, [keys] conflicts, translation; theme tables.
THEMES_UNIT_TESTS = tests/unit/test_tui_keymap tests/unit/test_tui_theme
check_PROGRAMS += $(THEMES_UNIT_TESTS)
TESTS += $(THEMES_UNIT_TESTS)
UNIT_TESTS += $(THEMES_UNIT_TESTS)
tests_unit_test_tui_keymap_SOURCES = tests/unit/test_tui_keymap.c src/tui/keymap.c src/tui/keymap_views.c src/tui/keymap_keys.c
tests_unit_test_tui_keymap_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_keymap_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_tui_theme_SOURCES = tests/unit/test_tui_theme.c src/tui/themes.c
tests_unit_test_tui_theme_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_test_tui_theme_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
TESTS += tests/tui/test_themes.sh
EXTRA_DIST += tests/tui/test_themes.sh

# Fuzz target of the fast list/metrics readers (tests/fuzz/local.mk's convention).
FUZZ_PROGS += tests/fuzz/fuzz_fastscan
tests_fuzz_fuzz_fastscan_SOURCES = tests/fuzz/fuzz_fastscan.c
tests_fuzz_fuzz_fastscan_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_fuzz_fuzz_fastscan_LDADD = $(FUZZ_MAIN) src/tui/libboxtoptui_pure.a src/e2b/libboxtope2b.a \
	$(CORE_LIBS) -lm
tests_fuzz_fuzz_fastscan_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Webhooks view and `boxtop webhook` (issue 20) in tmux, against boxtopd and a cloud-shaped fake.
TESTS += tests/tui/test_tui_webhooks.sh
EXTRA_DIST += tests/tui/test_tui_webhooks.sh tests/tui/fake_webhooks.js

# the time-to-live syntax and spans of the action dialogs (duration.c)
check_PROGRAMS += tests/unit/test_tui_ttl
TESTS += tests/unit/test_tui_ttl
UNIT_TESTS += tests/unit/test_tui_ttl
tests_unit_test_tui_ttl_SOURCES = tests/unit/test_tui_ttl.c
tests_unit_test_tui_ttl_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_ttl_LDADD = $(TUI_TEST_LDADD)
# A round's listing: the unpaged v1 list of running sandboxes, then the paused pages; v2
# alone from a server without it (issue 22).
check_PROGRAMS += tests/unit/test_tui_list_v1
TESTS += tests/unit/test_tui_list_v1
tests_unit_test_tui_list_v1_SOURCES = tests/unit/test_tui_list_v1.c $(TUI_FAKE_BACKEND_SOURCES)
tests_unit_test_tui_list_v1_CPPFLAGS = $(TUI_TEST_CPPFLAGS) $(CURL_CFLAGS)
tests_unit_test_tui_list_v1_LDADD = $(TUI_FAKE_BACKEND_LDADD)

# The status line's messages without a terminal (app_status.c).
check_PROGRAMS += tests/unit/test_tui_status
TESTS += tests/unit/test_tui_status
UNIT_TESTS += tests/unit/test_tui_status
tests_unit_test_tui_status_SOURCES = tests/unit/test_tui_status.c
tests_unit_test_tui_status_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui \
	-I$(top_srcdir)/src/tui/term $(VTERM_CFLAGS) $(NCURSES_CFLAGS) $(CJSON_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_tui_status_LDADD = $(TUI_LIBS) $(CMOCKA_LIBS)
