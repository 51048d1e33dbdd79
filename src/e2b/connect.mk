# src/e2b/connect.mk: Connect RPC codec (libboxtopconnect.a, also linked by boxtopd) and the
# envd client (libboxtopenvdc.a: process/filesystem RPCs, /files, cp argument parser).

noinst_LIBRARIES += src/e2b/libboxtopconnect.a
src_e2b_libboxtopconnect_a_SOURCES = \
	src/e2b/connect.c \
	src/e2b/connect_decode.c \
	src/e2b/connect_json.c
src_e2b_libboxtopconnect_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
# Link order: the codec needs core (buf, base64, sanitize) and cJSON.
CONNECT_LIBS = src/e2b/libboxtopconnect.a $(CORE_LIBS)

CONNECT_TESTS = tests/unit/test_connect
check_PROGRAMS += $(CONNECT_TESTS)
TESTS += $(CONNECT_TESTS)
UNIT_TESTS += $(CONNECT_TESTS)
tests_unit_test_connect_SOURCES = tests/unit/test_connect.c
tests_unit_test_connect_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_connect_LDADD = $(CONNECT_LIBS) $(CMOCKA_LIBS)

FUZZ_PROGS += tests/fuzz/fuzz_connect_frames
tests_fuzz_fuzz_connect_frames_SOURCES = tests/fuzz/fuzz_connect_frames.c
tests_fuzz_fuzz_connect_frames_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_connect_frames_LDADD = $(FUZZ_MAIN) $(CONNECT_LIBS)
tests_fuzz_fuzz_connect_frames_LDFLAGS = $(FUZZER_LINK_FLAGS)
