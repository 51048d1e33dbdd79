# src/daemon: boxtopd, the local E2B-compatible backend (platform API + envd on lws).
# The daemon's objects go into a library so unit tests and fuzz targets can link pieces;
# src/daemon/envd/local.mk adds envd's objects to src_boxtopd_SOURCES and its libraries to
# src_boxtopd_LDADD (see src/daemon/daemon.h).
noinst_LIBRARIES += src/daemon/libboxtopd.a
src_daemon_libboxtopd_a_SOURCES = \
	src/daemon/chunked.c src/daemon/chunked.h \
	src/daemon/http_head.c src/daemon/http_head.h \
	src/daemon/query.c src/daemon/query.h \
	src/daemon/ids.c src/daemon/ids.h \
	src/daemon/fsutil.c src/daemon/fsutil.h \
	src/daemon/auth.c src/daemon/auth.h \
	src/daemon/server.c src/daemon/server.h src/daemon/server_conn.c src/daemon/server_int.h \
	src/daemon/server_wake.c \
	src/daemon/store.c src/daemon/store.h \
	src/daemon/spawns.c src/daemon/spawns.h \
	src/daemon/metrics_ring.c src/daemon/metrics_ring.h \
	src/daemon/sblog.c src/daemon/sblog.h \
	src/daemon/proclog.c src/daemon/proclog.h \
	src/daemon/events.c src/daemon/events.h \
	src/daemon/team_metrics.c src/daemon/team_metrics.h \
	src/daemon/ratelimit.c src/daemon/ratelimit.h \
	src/daemon/sandbox.c src/daemon/sandbox.h \
	src/daemon/snapshot.c src/daemon/snapshot.h \
	src/daemon/tpl.c src/daemon/tpl.h \
	src/daemon/tpl_tar.c src/daemon/tpl_tar.h \
	src/daemon/tpl_build.c src/daemon/tpl_build.h \
	src/daemon/tpl_sandbox.c src/daemon/tpl_sandbox.h \
	src/daemon/volume.c src/daemon/volume.h \
	src/daemon/webhook_model.c src/daemon/webhook_model.h \
	src/daemon/webhook_http.c src/daemon/webhook_http.h \
	src/daemon/webhooks.c src/daemon/webhooks.h \
	src/daemon/daemon.h \
	src/daemon/api/dapi.h \
	src/daemon/api/dapi_routes.c \
	src/daemon/api/dapi_request.c \
	src/daemon/api/dapi_health.c \
	src/daemon/api/dapi_sandboxes.c \
	src/daemon/api/dapi_list_filter.c src/daemon/api/dapi_list_filter.h \
	src/daemon/api/dapi_validate.c src/daemon/api/dapi_validate.h \
	src/daemon/api/dapi_metrics.c \
	src/daemon/api/dapi_logs.c \
	src/daemon/api/dapi_templates.c \
	src/daemon/api/dapi_templates_build.c \
	src/daemon/api/dapi_snapshots.c \
	src/daemon/api/dapi_copy_wait.c src/daemon/api/dapi_copy_wait.h \
	src/daemon/api/dapi_volumes.c \
	src/daemon/api/dapi_volcontent.c src/daemon/api/dapi_volcontent.h \
	src/daemon/api/dapi_volcontent_target.c src/daemon/api/dapi_volcontent_upload.c \
	src/daemon/api/dapi_events.c \
	src/daemon/api/dapi_webhooks.c \
	src/daemon/api/secret_store.c src/daemon/api/secret_store.h \
	src/daemon/api/dapi_secrets.c \
	src/daemon/api/dapi_network.c \
	src/daemon/api/dapi_admin.c
src_daemon_libboxtopd_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/daemon \
	$(CJSON_CFLAGS) $(LWS_CFLAGS) $(CRYPTO_CFLAGS) $(CURL_CFLAGS) \
	$(ZLIB_CFLAGS)
DAEMON_LIBS = src/daemon/libboxtopd.a $(DAEMON_RUNTIME_LIBS) $(CORE_LIBS) $(ZLIB_LIBS) \
	$(LWS_LIBS) $(CURL_LIBS) $(CRYPTO_LIBS) $(CJSON_LIBS) -lm

bin_PROGRAMS += src/boxtopd
src_boxtopd_SOURCES = src/daemon/daemon_main.c
src_boxtopd_CPPFLAGS = $(src_daemon_libboxtopd_a_CPPFLAGS) -I$(top_srcdir)/src \
	$(ZLIB_CFLAGS)
src_boxtopd_LDADD = $(DAEMON_LIBS)

# Pure unit tests (no server, no sandboxes).
DAEMON_TESTS = tests/unit/test_daemon_chunked tests/unit/test_daemon_query \
	tests/unit/test_daemon_ids tests/unit/test_daemon_json tests/unit/test_daemon_store \
	tests/unit/test_daemon_metrics tests/unit/test_daemon_proclog tests/unit/test_daemon_events \
	tests/unit/test_daemon_secrets
check_PROGRAMS += $(DAEMON_TESTS)
TESTS += $(DAEMON_TESTS)
UNIT_TESTS += $(DAEMON_TESTS)
DAEMON_TEST_CPPFLAGS = $(src_daemon_libboxtopd_a_CPPFLAGS) $(CMOCKA_CFLAGS)
DAEMON_TEST_LIBS = $(DAEMON_LIBS) $(CMOCKA_LIBS)
tests_unit_test_daemon_secrets_SOURCES = tests/unit/test_daemon_secrets.c
tests_unit_test_daemon_secrets_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_secrets_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_chunked_SOURCES = tests/unit/test_daemon_chunked.c
tests_unit_test_daemon_chunked_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_chunked_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_query_SOURCES = tests/unit/test_daemon_query.c
tests_unit_test_daemon_query_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_query_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_ids_SOURCES = tests/unit/test_daemon_ids.c
tests_unit_test_daemon_ids_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_ids_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_json_SOURCES = tests/unit/test_daemon_json.c
tests_unit_test_daemon_json_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_json_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_store_SOURCES = tests/unit/test_daemon_store.c
tests_unit_test_daemon_store_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_store_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_metrics_SOURCES = tests/unit/test_daemon_metrics.c
tests_unit_test_daemon_metrics_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_metrics_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_proclog_SOURCES = tests/unit/test_daemon_proclog.c
tests_unit_test_daemon_proclog_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_proclog_LDADD = $(DAEMON_TEST_LIBS)
tests_unit_test_daemon_events_SOURCES = tests/unit/test_daemon_events.c
tests_unit_test_daemon_events_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_events_LDADD = $(DAEMON_TEST_LIBS)

# The server framework over loopback (forks a client; not in UNIT_TESTS: it listens).
check_PROGRAMS += tests/unit/test_daemon_server
TESTS += tests/unit/test_daemon_server
tests_unit_test_daemon_server_SOURCES = tests/unit/test_daemon_server.c
tests_unit_test_daemon_server_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_server_LDADD = $(DAEMON_TEST_LIBS)

# Fuzz targets: chunked decoder, query/metadata decoding, daemon JSON request handling.
FUZZ_PROGS += tests/fuzz/fuzz_chunked tests/fuzz/fuzz_query tests/fuzz/fuzz_daemon_json \
	tests/fuzz/fuzz_http_head tests/fuzz/fuzz_secrets
tests_fuzz_fuzz_secrets_SOURCES = tests/fuzz/fuzz_secrets.c
tests_fuzz_fuzz_secrets_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_secrets_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_secrets_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_http_head_SOURCES = tests/fuzz/fuzz_http_head.c
tests_fuzz_fuzz_http_head_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_http_head_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_http_head_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_chunked_SOURCES = tests/fuzz/fuzz_chunked.c
tests_fuzz_fuzz_chunked_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_chunked_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_chunked_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_query_SOURCES = tests/fuzz/fuzz_query.c
tests_fuzz_fuzz_query_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_query_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_query_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_daemon_json_SOURCES = tests/fuzz/fuzz_daemon_json.c
tests_fuzz_fuzz_daemon_json_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_daemon_json_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_daemon_json_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Webhooks (issue 20): the pure model (validation, signature, state file) and its fuzz target.
check_PROGRAMS += tests/unit/test_daemon_webhooks
TESTS += tests/unit/test_daemon_webhooks
UNIT_TESTS += tests/unit/test_daemon_webhooks
tests_unit_test_daemon_webhooks_SOURCES = tests/unit/test_daemon_webhooks.c
tests_unit_test_daemon_webhooks_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_unit_test_daemon_webhooks_LDADD = $(DAEMON_TEST_LIBS)
FUZZ_PROGS += tests/fuzz/fuzz_webhook_json
tests_fuzz_fuzz_webhook_json_SOURCES = tests/fuzz/fuzz_webhook_json.c
tests_fuzz_fuzz_webhook_json_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS)
tests_fuzz_fuzz_webhook_json_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_webhook_json_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Templates (issue 19): the COPY archive check is a parser of outside input.
FUZZ_PROGS += tests/fuzz/fuzz_tpl_tar
tests_fuzz_fuzz_tpl_tar_SOURCES = tests/fuzz/fuzz_tpl_tar.c
tests_fuzz_fuzz_tpl_tar_CPPFLAGS = $(DAEMON_TEST_CPPFLAGS) $(ZLIB_CFLAGS)
tests_fuzz_fuzz_tpl_tar_LDADD = $(FUZZ_MAIN) $(DAEMON_LIBS)
tests_fuzz_fuzz_tpl_tar_LDFLAGS = $(FUZZER_LINK_FLAGS)
