# src/proto: the wire protocol code both programs link (boxtop as a client, boxtopd as the
# server): the Connect codec (error codes, envelopes, end-stream frames, proto3 JSON helpers)
# and envd's signed /files URLs. Base64 and RFC 3339 time live once in src/core (base64.c,
# json_time.c), which both programs link too. Tested once: test_connect, test_files_sig.
noinst_LIBRARIES += src/proto/libboxtopproto.a
src_proto_libboxtopproto_a_SOURCES = \
	src/proto/connect.c \
	src/proto/connect_decode.c \
	src/proto/connect_json.c \
	src/proto/files_sig.c
noinst_HEADERS += include/boxtop/connect.h include/boxtop/files_sig.h
src_proto_libboxtopproto_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
# Link order: proto needs core (buf, base64, sanitize), cJSON and libcrypto.
PROTO_LIBS = src/proto/libboxtopproto.a $(CORE_LIBS) $(CRYPTO_LIBS)
CONNECT_LIBS = $(PROTO_LIBS)

PROTO_TESTS = tests/unit/test_connect tests/unit/test_files_sig
check_PROGRAMS += $(PROTO_TESTS)
TESTS += $(PROTO_TESTS)
UNIT_TESTS += $(PROTO_TESTS)
tests_unit_test_connect_SOURCES = tests/unit/test_connect.c
tests_unit_test_connect_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_connect_LDADD = $(PROTO_LIBS) $(CMOCKA_LIBS)
tests_unit_test_files_sig_SOURCES = tests/unit/test_files_sig.c
tests_unit_test_files_sig_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_files_sig_LDADD = $(PROTO_LIBS) $(CMOCKA_LIBS)

FUZZ_PROGS += tests/fuzz/fuzz_connect_frames
tests_fuzz_fuzz_connect_frames_SOURCES = tests/fuzz/fuzz_connect_frames.c
tests_fuzz_fuzz_connect_frames_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_connect_frames_LDADD = $(FUZZ_MAIN) $(PROTO_LIBS)
tests_fuzz_fuzz_connect_frames_LDFLAGS = $(FUZZER_LINK_FLAGS)
