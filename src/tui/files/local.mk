# src/tui/files: the file browser (issue 8): directory listings (pure) and the view (the
# transfer engine it drives is src/e2b/xfer.c). Appended to the TUI libraries of
# src/tui/local.mk (include this after it).
src_tui_libboxtoptui_pure_a_SOURCES += src/tui/files/flist.c src/tui/files/flist.h
src_tui_libboxtoptui_a_SOURCES += src/tui/files/fview.h \
	src/tui/files/fpeek.c src/tui/files/fpeek.h \
	src/tui/views/view_files.c src/tui/views/view_files_ops.c

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
