# src/cli: boxtop's entry point and command-line mode (ls, info, create, kill, ...).
# The command code is a library so that unit tests link the same objects.
noinst_LIBRARIES += src/cli/libboxtopcli.a
src_cli_libboxtopcli_a_SOURCES = \
	src/cli/cli.c \
	src/cli/cli_errors.c \
	src/cli/cli_backend.c \
	src/cli/cli_args.c \
	src/cli/cli_table.c \
	src/cli/cli_sync.c src/cli/cli_private.h \
	src/cli/cli_local.c \
	src/cli/cmd_sandbox.c \
	src/cli/cmd_metrics.c \
	src/cli/cmd_logs.c \
	src/cli/cmd_commands.c \
	src/cli/cmd_exec.c \
	src/cli/cmd_cp.c \
	src/cli/cmd_webhook.c \
	src/cli/cmd_snapvol.c \
	src/cli/cmd_template.c src/cli/cmd_template.h \
	src/cli/cmd_template_build.c
noinst_HEADERS += src/cli/cli.h src/tui/tui.h
src_cli_libboxtopcli_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
CLI_LIBS = src/cli/libboxtopcli.a $(E2B_LIBS)

bin_PROGRAMS += src/boxtop
src_boxtop_SOURCES = src/cli/cli_main.c
src_boxtop_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(NCURSES_CFLAGS) $(VTERM_CFLAGS)
src_boxtop_LDADD = $(TUI_LIBS) $(CLI_LIBS) $(CORE_LIBS) $(CURL_LIBS) $(NCURSES_LIBS) $(VTERM_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)

# Unit tests of the CLI (pure).
tests_unit_test_cli_SOURCES = tests/unit/test_cli.c
tests_unit_test_cli_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_cli_LDADD = $(CLI_LIBS) $(CORE_LIBS) $(CMOCKA_LIBS) $(CURL_LIBS) $(CJSON_LIBS)
check_PROGRAMS += tests/unit/test_cli
TESTS += tests/unit/test_cli
UNIT_TESTS += tests/unit/test_cli

# The boxtop binary end to end against a fake platform server (loopback only).
tests_unit_test_cli_e2e_SOURCES = tests/unit/test_cli_e2e.c tests/unit/fake_server.c tests/unit/fake_server.h
tests_unit_test_cli_e2e_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_cli_e2e_LDADD = $(CJSON_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_cli_e2e
TESTS += tests/unit/test_cli_e2e
