# src/daemon/envd: envd served by boxtopd for every sandbox (process, filesystem, /files).
# Pure parts (parsers, confinement, EntryInfo, /files state machines) in a library the unit
# tests and fuzz targets link; the parts that need boxtopd's server go straight into boxtopd.
noinst_LIBRARIES += src/daemon/envd/libboxtopd_envd.a
src_daemon_envd_libboxtopd_envd_a_SOURCES = \
	src/daemon/envd/multipart.c src/daemon/envd/multipart.h \
	src/daemon/envd/path.c src/daemon/envd/path.h \
	src/daemon/envd/confine.c src/daemon/envd/confine.h \
	src/daemon/envd/entry.c src/daemon/envd/entry.h \
	src/daemon/envd/rpcmsg.c src/daemon/envd/rpcmsg.h \
	src/daemon/envd/denvd_files.c src/daemon/envd/denvd_files.h \
	src/daemon/envd/cred.c src/daemon/envd/denvd_int.h \
	src/daemon/envd/xmeta.c src/daemon/envd/xmeta.h \
	src/daemon/envd/procmeta.c src/daemon/envd/procmeta.h
src_daemon_envd_libboxtopd_envd_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon \
	$(CJSON_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
# the runtime: denvd_files.c has a child truncate big files (rt_truncate_start)
DAEMON_ENVD_LIBS = src/daemon/envd/libboxtopd_envd.a $(DAEMON_RUNTIME_LIBS) $(CONNECT_LIBS) \
	$(CRYPTO_LIBS) $(ZLIB_LIBS) $(CJSON_LIBS)

src_boxtopd_SOURCES += \
	src/daemon/envd/denvd_setup.c src/daemon/envd/denvd.h src/daemon/envd/denvd_int.h \
	src/daemon/envd/denvd.c src/daemon/envd/denvd_opseq.c src/daemon/envd/denvd_http.c \
	src/daemon/envd/denvd_loop.c \
	src/daemon/envd/denvd_conn.c src/daemon/envd/denvd_conn.h src/daemon/envd/denvd_reply.c \
	src/daemon/envd/denvd_owner.c src/daemon/envd/denvd_xfers.c \
	src/daemon/envd/process.c src/daemon/envd/fs.c src/daemon/envd/fs_remove.c \
	src/daemon/envd/watch.c
src_boxtopd_LDADD += $(DAEMON_ENVD_LIBS)

ENVD_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon -I$(top_srcdir)/src/daemon/envd \
	$(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
ENVD_TEST_LIBS = $(DAEMON_ENVD_LIBS) $(DAEMON_RUNTIME_LIBS) $(CORE_LIBS) $(CMOCKA_LIBS)
ENVD_TESTS = tests/unit/test_envd_multipart \
	tests/unit/test_envd_path tests/unit/test_envd_entry tests/unit/test_envd_rpcmsg \
	tests/unit/test_envd_files
check_PROGRAMS += $(ENVD_TESTS)
TESTS += $(ENVD_TESTS)
UNIT_TESTS += $(ENVD_TESTS)
tests_unit_test_envd_multipart_SOURCES = tests/unit/test_envd_multipart.c
tests_unit_test_envd_multipart_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_multipart_LDADD = $(ENVD_TEST_LIBS)
tests_unit_test_envd_path_SOURCES = tests/unit/test_envd_path.c
tests_unit_test_envd_path_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_path_LDADD = $(ENVD_TEST_LIBS)
tests_unit_test_envd_entry_SOURCES = tests/unit/test_envd_entry.c
tests_unit_test_envd_entry_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_entry_LDADD = $(ENVD_TEST_LIBS)
tests_unit_test_envd_rpcmsg_SOURCES = tests/unit/test_envd_rpcmsg.c
tests_unit_test_envd_rpcmsg_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_rpcmsg_LDADD = $(ENVD_TEST_LIBS)

# Fuzz targets: the multipart parser and envd request decoding.
FUZZ_PROGS += tests/fuzz/fuzz_multipart tests/fuzz/fuzz_envd_request
tests_fuzz_fuzz_multipart_SOURCES = tests/fuzz/fuzz_multipart.c
tests_fuzz_fuzz_multipart_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_fuzz_fuzz_multipart_LDADD = $(FUZZ_MAIN) $(DAEMON_ENVD_LIBS)
tests_fuzz_fuzz_multipart_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_envd_request_SOURCES = tests/fuzz/fuzz_envd_request.c
tests_fuzz_fuzz_envd_request_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_fuzz_fuzz_envd_request_LDADD = $(FUZZ_MAIN) $(DAEMON_ENVD_LIBS)
tests_fuzz_fuzz_envd_request_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_unit_test_envd_files_SOURCES = tests/unit/test_envd_files.c
tests_unit_test_envd_files_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_files_LDADD = $(ENVD_TEST_LIBS)

# Issue 15: the process metadata init keeps for a boxtopd restarted after a crash.
check_PROGRAMS += tests/unit/test_envd_procmeta
TESTS += tests/unit/test_envd_procmeta
UNIT_TESTS += tests/unit/test_envd_procmeta
tests_unit_test_envd_procmeta_SOURCES = tests/unit/test_envd_procmeta.c
tests_unit_test_envd_procmeta_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_unit_test_envd_procmeta_LDADD = $(ENVD_TEST_LIBS)
FUZZ_PROGS += tests/fuzz/fuzz_procmeta
tests_fuzz_fuzz_procmeta_SOURCES = tests/fuzz/fuzz_procmeta.c
tests_fuzz_fuzz_procmeta_CPPFLAGS = $(ENVD_TEST_CPPFLAGS)
tests_fuzz_fuzz_procmeta_LDADD = $(FUZZ_MAIN) $(DAEMON_ENVD_LIBS)
tests_fuzz_fuzz_procmeta_LDFLAGS = $(FUZZER_LINK_FLAGS)
