# src/e2b: E2B client library (http over curl multi, platform API, models, local backend).
# The envd client (src/e2b/connect.mk) adds sources to the same library:
#   src_e2b_libboxtope2b_a_SOURCES += src/e2b/envd_call.c ...
noinst_LIBRARIES += src/e2b/libboxtope2b.a
src_e2b_libboxtope2b_a_SOURCES = \
	src/e2b/http.c \
	src/e2b/api_log.c \
	src/e2b/model_util.c src/e2b/model_util.h \
	src/e2b/model_sandbox.c \
	src/e2b/model_metrics.c \
	src/e2b/model_logs.c \
	src/e2b/model_template.c \
	src/e2b/model_template_builds.c \
	src/e2b/model_json.c \
	src/e2b/events_parse.c \
	src/e2b/model_webhook.c \
	src/e2b/webhooks_api.c \
	src/e2b/api.c \
	src/e2b/api_query.c \
	src/e2b/api_paging.c \
	src/e2b/api_snapvol.c \
	src/e2b/local_backend.c \
	src/e2b/supervise.c \
	src/e2b/dockerfile.c \
	src/e2b/tpl_context.c
noinst_HEADERS += include/boxtop/http.h include/boxtop/api.h include/boxtop/models.h \
	include/boxtop/local_backend.h include/boxtop/supervise.h include/boxtop/events_parse.h \
	include/boxtop/webhooks.h include/boxtop/snapvol.h include/boxtop/api_log.h \
	include/boxtop/dockerfile.h include/boxtop/tpl_context.h include/boxtop/template_builds.h
src_e2b_libboxtope2b_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(CRYPTO_CFLAGS) \
	$(ZLIB_CFLAGS)
E2B_LIBS = src/e2b/libboxtope2b.a $(CORE_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) $(ZLIB_LIBS)

# Unit tests of src/e2b (cmocka, TAP output). test_http talks to a loopback server it forks.
E2B_PURE_TESTS = tests/unit/test_models tests/unit/test_api tests/unit/test_events_parse \
	tests/unit/test_api_log
E2B_TESTS = tests/unit/test_http $(E2B_PURE_TESTS)
check_PROGRAMS += $(E2B_TESTS)
TESTS += $(E2B_TESTS)
UNIT_TESTS += $(E2B_PURE_TESTS)
tests_unit_test_http_SOURCES = tests/unit/test_http.c tests/unit/fake_conn.c tests/unit/fake_conn.h \
	tests/unit/fake_server.c tests/unit/fake_server.h
tests_unit_test_http_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_http_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_models_SOURCES = tests/unit/test_models.c
tests_unit_test_models_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_models_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_events_parse_SOURCES = tests/unit/test_events_parse.c
tests_unit_test_events_parse_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_events_parse_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_api_log_SOURCES = tests/unit/test_api_log.c
tests_unit_test_api_log_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_api_log_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_api_SOURCES = tests/unit/test_api.c
tests_unit_test_api_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_api_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)

# Fuzz targets of the model parsers (see tests/fuzz/local.mk).
FUZZ_PROGS += tests/fuzz/fuzz_sandbox_json tests/fuzz/fuzz_metrics_json \
	tests/fuzz/fuzz_logs_json tests/fuzz/fuzz_template_json tests/fuzz/fuzz_team_json \
	tests/fuzz/fuzz_events_json tests/fuzz/fuzz_snapvol_json
tests_fuzz_fuzz_sandbox_json_SOURCES = tests/fuzz/fuzz_sandbox_json.c
tests_fuzz_fuzz_sandbox_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_sandbox_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_sandbox_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_metrics_json_SOURCES = tests/fuzz/fuzz_metrics_json.c
tests_fuzz_fuzz_metrics_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_metrics_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_metrics_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_logs_json_SOURCES = tests/fuzz/fuzz_logs_json.c
tests_fuzz_fuzz_logs_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_logs_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_logs_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_template_json_SOURCES = tests/fuzz/fuzz_template_json.c
tests_fuzz_fuzz_template_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_template_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_template_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_team_json_SOURCES = tests/fuzz/fuzz_team_json.c
tests_fuzz_fuzz_team_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_team_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_team_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
tests_fuzz_fuzz_events_json_SOURCES = tests/fuzz/fuzz_events_json.c
tests_fuzz_fuzz_events_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_events_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_events_json_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Local backend discovery against a fake boxtopd (a helper program, not a test).
check_PROGRAMS += tests/unit/test_api_fake_boxtopd tests/unit/test_api_local
TESTS += tests/unit/test_api_local
tests_unit_test_api_fake_boxtopd_SOURCES = tests/unit/test_api_fake_boxtopd.c
tests_unit_test_api_local_SOURCES = tests/unit/test_api_local.c
tests_unit_test_api_local_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_api_local_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)

# Platform API calls against a loopback fake (batch split, fallbacks, queries).
check_PROGRAMS += tests/unit/test_api_calls
TESTS += tests/unit/test_api_calls
tests_unit_test_api_calls_SOURCES = tests/unit/test_api_calls.c tests/unit/fake_server.c tests/unit/fake_server.h
tests_unit_test_api_calls_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_api_calls_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)

# Webhooks (issue 20): the client models' parsers and the CLI's event lists.
FUZZ_PROGS += tests/fuzz/fuzz_webhook_client_json
tests_fuzz_fuzz_webhook_client_json_SOURCES = tests/fuzz/fuzz_webhook_client_json.c
tests_fuzz_fuzz_webhook_client_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_webhook_client_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_webhook_client_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
check_PROGRAMS += tests/unit/test_webhooks_client
TESTS += tests/unit/test_webhooks_client
UNIT_TESTS += tests/unit/test_webhooks_client
tests_unit_test_webhooks_client_SOURCES = tests/unit/test_webhooks_client.c
tests_unit_test_webhooks_client_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_webhooks_client_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
# Command history (issue 16): parsing, pairing, fetching.
src_e2b_libboxtope2b_a_SOURCES += src/e2b/commands_parse.c src/e2b/commands.c \
	src/e2b/commands_feed.c
noinst_HEADERS += include/boxtop/commands.h
FUZZ_PROGS += tests/fuzz/fuzz_commands_json
tests_fuzz_fuzz_commands_json_SOURCES = tests/fuzz/fuzz_commands_json.c
tests_fuzz_fuzz_commands_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_commands_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_commands_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
check_PROGRAMS += tests/unit/test_commands
TESTS += tests/unit/test_commands
UNIT_TESTS += tests/unit/test_commands
tests_unit_test_commands_SOURCES = tests/unit/test_commands.c
tests_unit_test_commands_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_commands_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_fuzz_fuzz_snapvol_json_SOURCES = tests/fuzz/fuzz_snapvol_json.c
tests_fuzz_fuzz_snapvol_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_snapvol_json_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_snapvol_json_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Templates (issue 19): the e2b.Dockerfile parser reads files a user hands us.
FUZZ_PROGS += tests/fuzz/fuzz_dockerfile
tests_fuzz_fuzz_dockerfile_SOURCES = tests/fuzz/fuzz_dockerfile.c
tests_fuzz_fuzz_dockerfile_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_dockerfile_LDADD = $(FUZZ_MAIN) $(E2B_LIBS)
tests_fuzz_fuzz_dockerfile_LDFLAGS = $(FUZZER_LINK_FLAGS)
