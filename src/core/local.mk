# src/core: event loop, buffers, strings, JSON helpers, base64, time, log, config.
noinst_LIBRARIES += src/core/libboxtopcore.a
src_core_libboxtopcore_a_SOURCES = \
	src/core/error.c \
	src/core/local_error.c \
	src/core/buf.c \
	src/core/fpath.c \
	src/core/grow.c \
	src/core/loop.c \
	src/core/i18n.c \
	src/core/sanitize.c \
	src/core/secret.c \
	src/core/base64.c \
	src/core/json.c \
	src/core/json_time.c \
	src/core/log.c \
	src/core/config.c \
	src/core/config_file.c \
	src/core/config_keycmd.c
noinst_HEADERS += include/boxtop/local_error.h
noinst_HEADERS += include/boxtop/buf.h include/boxtop/fpath.h include/boxtop/grow.h include/boxtop/error.h include/boxtop/loop.h \
	include/boxtop/i18n.h include/boxtop/sanitize.h include/boxtop/secret.h include/boxtop/base64.h \
	include/boxtop/json.h include/boxtop/log.h include/boxtop/config.h
src_core_libboxtopcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS) \
	-DBOXTOP_BUILDDIR=\"$(abs_top_builddir)\"

# The build's catalogues in the layout gettext looks them up in (po/locale/LL/LC_MESSAGES/),
# so `LANG=de_DE.UTF-8 src/boxtop` speaks German uninstalled (src/core/i18n.c).
all-local: build-tree-locale
build-tree-locale:
	@for g in $(top_builddir)/po/*.gmo $(top_srcdir)/po/*.gmo; do \
	  test -f "$$g" || continue; l=$$(basename "$$g" .gmo); d=po/locale/$$l/LC_MESSAGES; \
	  $(MKDIR_P) $$d && { cmp -s "$$g" $$d/$(PACKAGE).mo || cp "$$g" $$d/$(PACKAGE).mo; }; \
	done
clean-local:
	rm -rf po/locale
.PHONY: build-tree-locale
CORE_LIBS = src/core/libboxtopcore.a $(CJSON_LIBS) $(LIBINTL) -lm

# Unit tests of src/core (cmocka, TAP output).
CORE_TESTS = tests/unit/test_buf tests/unit/test_loop tests/unit/test_sanitize \
	tests/unit/test_base64 tests/unit/test_json \
	tests/unit/test_log tests/unit/test_config tests/unit/test_error tests/unit/test_local_error
check_PROGRAMS += $(CORE_TESTS)
TESTS += $(CORE_TESTS)
UNIT_TESTS += $(CORE_TESTS)
CORE_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_local_error_SOURCES = tests/unit/test_local_error.c
tests_unit_test_local_error_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_local_error_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_buf_SOURCES = tests/unit/test_buf.c
tests_unit_test_buf_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_buf_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_loop_SOURCES = tests/unit/test_loop.c
tests_unit_test_loop_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_loop_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_sanitize_SOURCES = tests/unit/test_sanitize.c
tests_unit_test_sanitize_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_sanitize_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_base64_SOURCES = tests/unit/test_base64.c
tests_unit_test_base64_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_base64_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_json_SOURCES = tests/unit/test_json.c
tests_unit_test_json_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_json_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_log_SOURCES = tests/unit/test_log.c
tests_unit_test_log_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_log_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_config_SOURCES = tests/unit/test_config.c
tests_unit_test_config_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_config_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)
tests_unit_test_error_SOURCES = tests/unit/test_error.c
tests_unit_test_error_CPPFLAGS = $(CORE_TEST_CPPFLAGS)
tests_unit_test_error_LDADD = $(CORE_LIBS) $(CMOCKA_LIBS)

# Fuzz targets of src/core (see tests/fuzz/local.mk).
FUZZ_PROGS += tests/fuzz/fuzz_sanitize
tests_fuzz_fuzz_sanitize_SOURCES = tests/fuzz/fuzz_sanitize.c
tests_fuzz_fuzz_sanitize_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_sanitize_LDADD = $(FUZZ_MAIN) $(CORE_LIBS)
tests_fuzz_fuzz_sanitize_LDFLAGS = $(FUZZER_LINK_FLAGS)
FUZZ_PROGS += tests/fuzz/fuzz_json
tests_fuzz_fuzz_json_SOURCES = tests/fuzz/fuzz_json.c
tests_fuzz_fuzz_json_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_json_LDADD = $(FUZZ_MAIN) $(CORE_LIBS)
tests_fuzz_fuzz_json_LDFLAGS = $(FUZZER_LINK_FLAGS)
FUZZ_PROGS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c
tests_fuzz_fuzz_config_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
tests_fuzz_fuzz_config_LDADD = $(FUZZ_MAIN) $(CORE_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZER_LINK_FLAGS)
