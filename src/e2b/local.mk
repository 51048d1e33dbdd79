# src/e2b: E2B client library (http over curl multi, platform API, models, local backend).
# The Connect codec / envd client (src/e2b/connect.mk) may add sources to the same library:
#   src_e2b_libboxtope2b_a_SOURCES += src/e2b/connect.c ...
noinst_LIBRARIES += src/e2b/libboxtope2b.a
src_e2b_libboxtope2b_a_SOURCES = \
	src/e2b/http.c \
	src/e2b/model_util.c src/e2b/model_util.h \
	src/e2b/model_sandbox.c \
	src/e2b/model_metrics.c \
	src/e2b/model_logs.c \
	src/e2b/model_template.c \
	src/e2b/model_json.c \
	src/e2b/api.c \
	src/e2b/api_query.c \
	src/e2b/local_backend.c
src_e2b_libboxtope2b_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
E2B_LIBS = src/e2b/libboxtope2b.a $(CORE_LIBS) $(CURL_LIBS) $(CJSON_LIBS)

# Unit tests of src/e2b (cmocka, TAP output). test_http talks to a loopback server it forks.
E2B_PURE_TESTS = tests/unit/test_models tests/unit/test_api
E2B_TESTS = tests/unit/test_http $(E2B_PURE_TESTS)
check_PROGRAMS += $(E2B_TESTS)
TESTS += $(E2B_TESTS)
UNIT_TESTS += $(E2B_PURE_TESTS)
tests_unit_test_http_SOURCES = tests/unit/test_http.c
tests_unit_test_http_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
tests_unit_test_http_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_models_SOURCES = tests/unit/test_models.c
tests_unit_test_models_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_models_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
tests_unit_test_api_SOURCES = tests/unit/test_api.c
tests_unit_test_api_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_api_LDADD = $(E2B_LIBS) $(CMOCKA_LIBS)
