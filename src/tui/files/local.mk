# src/tui/files: the file browser (issue 8): directory listings (pure) and the view (the
# transfer engine it drives is src/e2b/xfer.c). Appended to the TUI libraries of
# src/tui/local.mk (include this after it).
src_tui_libboxtoptui_pure_a_SOURCES += src/tui/files/flist.c src/tui/files/flist.h \
	src/tui/files/flist_envd.c src/tui/files/flist_envd.h
src_tui_libboxtoptui_a_SOURCES += src/tui/files/fview.h \
	src/tui/backend_remote.h src/tui/backend_e2b_remote.c src/tui/backend_e2b_remote.h \
	src/tui/backend_e2b_rcall.c src/tui/backend_e2b_proc.c \
	src/tui/backend_e2b_peek.c src/tui/backend_e2b_peek.h \
	src/tui/views/view_files.c src/tui/views/view_files_pane.c src/tui/views/view_files_draw.c \
	src/tui/views/view_files_copy.c src/tui/views/view_files_ops.c src/tui/views/view_files_pager.c \
	src/tui/views/view_files_retry.c

FILES_UNIT_TESTS = tests/unit/test_tui_files
check_PROGRAMS += $(FILES_UNIT_TESTS)
TESTS += $(FILES_UNIT_TESTS)
UNIT_TESTS += $(FILES_UNIT_TESTS)
tests_unit_test_tui_files_SOURCES = tests/unit/test_tui_files.c
tests_unit_test_tui_files_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_unit_test_tui_files_LDADD = $(TUI_TEST_LDADD)

FILES_TMUX_TESTS = tests/tui/test_files.sh tests/tui/test_files_ops.sh
TESTS += $(FILES_TMUX_TESTS)
EXTRA_DIST += $(FILES_TMUX_TESTS)

# bench/files_tui: boxtop's file browser vs curl vs the SDK on a 1 GiB file (not in make check).
noinst_PROGRAMS += bench/files_tui_xfer
bench_files_tui_xfer_SOURCES = bench/files_tui_xfer.c
bench_files_tui_xfer_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
bench_files_tui_xfer_LDADD = $(ENVDC_LIBS)
EXTRA_DIST += bench/files_tui.sh bench/files_tui.mjs
bench/files_tui: all tests/node_modules/.boxtop-stamp
	abs_top_builddir=$(abs_top_builddir) abs_top_srcdir=$(abs_top_srcdir) \
	  bash $(top_srcdir)/bench/files_tui.sh
.PHONY: bench/files_tui

# The E2B backend's remote face of a sandbox (backend_remote.h) against boxtopd: TESTS only.
check_PROGRAMS += tests/unit/test_tui_remote
TESTS += tests/unit/test_tui_remote
tests_unit_test_tui_remote_SOURCES = tests/unit/test_tui_remote.c tests/unit/boxtopd_child.c \
	tests/unit/boxtopd_child.h
tests_unit_test_tui_remote_CPPFLAGS = $(ENVDC_TEST_CPPFLAGS) -I$(top_srcdir)/src/tui
tests_unit_test_tui_remote_LDADD = src/tui/libboxtoptui.a src/tui/libboxtoptui_pure.a \
	$(ENVDC_LIBS) $(CRYPTO_LIBS) $(CMOCKA_LIBS)
