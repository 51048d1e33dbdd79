# src/e2b/connect.mk: the envd client (in libboxtope2b.a: process/filesystem RPCs, /files, the
# transfer engine, cp argument parser). The Connect codec it speaks is src/proto (shared with
# boxtopd).

noinst_HEADERS += include/boxtop/envd.h include/boxtop/files.h \
	src/e2b/cp_args.h include/boxtop/xfer.h

# envd client: joins the E2B client library (it needs http.c and api.c, and the CLI links
# E2B_LIBS); the protocol library follows it on the link line, then core again for it.
src_e2b_libboxtope2b_a_SOURCES += \
	src/e2b/envd_target.c \
	src/e2b/envd_msg.c \
	src/e2b/envd_call.c \
	src/e2b/envd_lookup.c \
	src/e2b/files.c \
	src/e2b/xfer.c \
	src/e2b/cp_args.c
E2B_LIBS += $(PROTO_LIBS)
ENVDC_LIBS = $(E2B_LIBS)

ENVDC_TESTS = tests/unit/test_envd tests/unit/test_files tests/unit/test_cp_args \
	tests/unit/test_xfer
check_PROGRAMS += $(ENVDC_TESTS)
TESTS += $(ENVDC_TESTS)
UNIT_TESTS += $(ENVDC_TESTS)
ENVDC_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_envd_SOURCES = tests/unit/test_envd.c
tests_unit_test_envd_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_envd_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)
tests_unit_test_files_SOURCES = tests/unit/test_files.c
tests_unit_test_files_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_files_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)
tests_unit_test_cp_args_SOURCES = tests/unit/test_cp_args.c
tests_unit_test_cp_args_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_cp_args_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)
tests_unit_test_xfer_SOURCES = tests/unit/test_xfer.c
tests_unit_test_xfer_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_xfer_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)

# Against a fake envd forked on loopback (like test_http): in TESTS, not UNIT_TESTS.
check_PROGRAMS += tests/unit/test_envd_call
TESTS += tests/unit/test_envd_call
tests_unit_test_envd_call_SOURCES = tests/unit/test_envd_call.c tests/unit/test_envd_fake.c tests/unit/fake_conn.c tests/unit/fake_server.c \
	tests/unit/test_envd_fake.h tests/unit/fake_conn.h tests/unit/fake_server.h
tests_unit_test_envd_call_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_envd_call_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)

# boxtop exec/cp (the built binary) against the same fake backend.
check_PROGRAMS += tests/unit/test_envd_cli
TESTS += tests/unit/test_envd_cli
tests_unit_test_envd_cli_SOURCES = tests/unit/test_envd_cli.c tests/unit/test_envd_fake.c tests/unit/fake_conn.c tests/unit/fake_server.c \
	tests/unit/test_envd_fake.h tests/unit/boxtopd_child.c tests/unit/boxtopd_child.h
tests_unit_test_envd_cli_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS)
tests_unit_test_envd_cli_LDADD = $(ENVDC_LIBS) $(CMOCKA_LIBS)

# The transfer engine (src/e2b/xfer.c) and `boxtop cp`, its command-line driver, against the
# real boxtopd (newline names, cancel, partial tree copies, modes, big files both ways).
check_PROGRAMS += tests/unit/test_xfer_e2e
TESTS += tests/unit/test_xfer_e2e
tests_unit_test_xfer_e2e_SOURCES = tests/unit/test_xfer_e2e.c tests/unit/boxtopd_child.c tests/unit/boxtopd_child.h
tests_unit_test_xfer_e2e_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_xfer_e2e_LDADD = $(ENVDC_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS)

# Against boxtopd's real envd and a real sandbox (the envd development harness): TESTS only.
check_PROGRAMS += tests/unit/test_envd_e2e
TESTS += tests/unit/test_envd_e2e
tests_unit_test_envd_e2e_SOURCES = tests/unit/test_envd_e2e.c tests/unit/boxtopd_child.c tests/unit/boxtopd_child.h
tests_unit_test_envd_e2e_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_envd_e2e_LDADD = $(CORE_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS)

FUZZ_PROGS += tests/fuzz/fuzz_cp_args tests/fuzz/fuzz_envd_events
tests_fuzz_fuzz_cp_args_SOURCES = tests/fuzz/fuzz_cp_args.c
tests_fuzz_fuzz_cp_args_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_cp_args_LDADD = $(FUZZ_MAIN) $(ENVDC_LIBS)
tests_fuzz_fuzz_cp_args_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_envd_events_SOURCES = tests/fuzz/fuzz_envd_events.c
tests_fuzz_fuzz_envd_events_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_envd_events_LDADD = $(FUZZ_MAIN) $(ENVDC_LIBS)
tests_fuzz_fuzz_envd_events_LDFLAGS = $(FUZZER_LINK_FLAGS)
