# src/tui/term: terminal emulation (libvterm state layer -> our grid + scrollback), key
# encoding, copy-mode text, ncurses row rendering and the asciicast v2 recorder.
# A view embeds it with $(TERMENG_CPPFLAGS) and $(TERMENG_LIBS).
noinst_LIBRARIES += src/tui/term/libboxtopterm.a
src_tui_term_libboxtopterm_a_SOURCES = \
	src/tui/term/term_engine.c \
	src/tui/term/term_grid.c \
	src/tui/term/term_scrollback.c \
	src/tui/term/term_keys.c \
	src/tui/term/term_text.c \
	src/tui/term/term_colour.c \
	src/tui/term/term_render.c \
	src/tui/term/term_rec.c
noinst_HEADERS += src/tui/term/term.h src/tui/term/term_internal.h \
	src/tui/term/term_render.h src/tui/term/term_rec.h
TERMENG_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/src/tui/term $(VTERM_CFLAGS) $(NCURSES_CFLAGS)
TERMENG_LIBS = src/tui/term/libboxtopterm.a $(VTERM_LIBS) $(NCURSES_LIBS) $(CORE_LIBS)
src_tui_term_libboxtopterm_a_CPPFLAGS = $(TERMENG_CPPFLAGS)

# Unit tests (cmocka, pure: no network, no terminal needed).
TERM_UNIT_TESTS = tests/unit/test_term_engine tests/unit/test_term_keys \
	tests/unit/test_term_text tests/unit/test_term_render tests/unit/test_term_rec
check_PROGRAMS += $(TERM_UNIT_TESTS)
TESTS += $(TERM_UNIT_TESTS)
UNIT_TESTS += $(TERM_UNIT_TESTS)
TERM_TEST_CPPFLAGS = $(TERMENG_CPPFLAGS) $(CMOCKA_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_term_engine_SOURCES = tests/unit/test_term_engine.c tests/unit/term_test_util.h
tests_unit_test_term_engine_CPPFLAGS = $(TERM_TEST_CPPFLAGS)
tests_unit_test_term_engine_LDADD = $(TERMENG_LIBS) $(CMOCKA_LIBS)
tests_unit_test_term_keys_SOURCES = tests/unit/test_term_keys.c tests/unit/term_test_util.h
tests_unit_test_term_keys_CPPFLAGS = $(TERM_TEST_CPPFLAGS)
tests_unit_test_term_keys_LDADD = $(TERMENG_LIBS) $(CMOCKA_LIBS)
tests_unit_test_term_text_SOURCES = tests/unit/test_term_text.c tests/unit/term_test_util.h
tests_unit_test_term_text_CPPFLAGS = $(TERM_TEST_CPPFLAGS)
tests_unit_test_term_text_LDADD = $(TERMENG_LIBS) $(CMOCKA_LIBS)
tests_unit_test_term_render_SOURCES = tests/unit/test_term_render.c tests/unit/term_test_util.h
tests_unit_test_term_render_CPPFLAGS = $(TERM_TEST_CPPFLAGS)
tests_unit_test_term_render_LDADD = $(TERMENG_LIBS) $(CMOCKA_LIBS)
tests_unit_test_term_rec_SOURCES = tests/unit/test_term_rec.c
tests_unit_test_term_rec_CPPFLAGS = $(TERM_TEST_CPPFLAGS)
tests_unit_test_term_rec_LDADD = $(TERMENG_LIBS) $(CMOCKA_LIBS)

# Fuzz target: pty output bytes fed to the engine in random slices, with resizes.
FUZZ_PROGS += tests/fuzz/fuzz_term_input
tests_fuzz_fuzz_term_input_SOURCES = tests/fuzz/fuzz_term_input.c
tests_fuzz_fuzz_term_input_CPPFLAGS = $(TERMENG_CPPFLAGS)
tests_fuzz_fuzz_term_input_LDADD = $(FUZZ_MAIN) $(TERMENG_LIBS)
tests_fuzz_fuzz_term_input_LDFLAGS = $(FUZZER_LINK_FLAGS)

# Benchmark (not part of make check): make bench-term-engine
noinst_PROGRAMS += bench/term_engine
bench_term_engine_SOURCES = bench/term_engine.c
bench_term_engine_CPPFLAGS = $(TERMENG_CPPFLAGS)
bench_term_engine_LDADD = $(TERMENG_LIBS)
bench-term-engine: bench/term_engine$(EXEEXT)
	./bench/term_engine$(EXEEXT)
.PHONY: bench-term-engine

# tmux test against a real boxtopd: bidi controls from the shell never reach the outer terminal.
TESTS += tests/tui/test_term_bidi.sh
EXTRA_DIST += tests/tui/test_term_bidi.sh
# tmux test against a real boxtopd: bracketed paste in a terminal tab, the list and a prompt.
TESTS += tests/tui/test_term_paste.sh
EXTRA_DIST += tests/tui/test_term_paste.sh
