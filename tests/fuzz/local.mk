# tests/fuzz: one fuzz target per parser, each a tests/fuzz/fuzz_NAME.c that defines
# LLVMFuzzerTestOneInput, with seeds in tests/fuzz/corpus/NAME/. A module registers its
# targets in its own local.mk:
#
#   FUZZ_PROGS += tests/fuzz/fuzz_NAME
#   tests_fuzz_fuzz_NAME_SOURCES = tests/fuzz/fuzz_NAME.c
#   tests_fuzz_fuzz_NAME_CPPFLAGS = $(AM_CPPFLAGS) ...
#   tests_fuzz_fuzz_NAME_LDADD = $(FUZZ_MAIN) <libs>
#   tests_fuzz_fuzz_NAME_LDFLAGS = $(FUZZER_LINK_FLAGS)
#
# make check replays every seed through every target (tests/fuzz/replay.sh);
# tests/fuzz/README.md says how to run real fuzzing with clang.
# (FUZZ_PROGS itself is set empty in Makefile.am, before any fragment adds to it.)
if ENABLE_FUZZING
FUZZ_MAIN =
FUZZER_LINK_FLAGS = -fsanitize=fuzzer
else
noinst_LIBRARIES += tests/fuzz/libfuzzreplay.a
tests_fuzz_libfuzzreplay_a_SOURCES = tests/fuzz/replay_main.c
FUZZ_MAIN = tests/fuzz/libfuzzreplay.a
FUZZER_LINK_FLAGS =
endif
check_PROGRAMS += $(FUZZ_PROGS)
TESTS += tests/fuzz/replay.sh
UNIT_TESTS += tests/fuzz/replay.sh
AM_TESTS_ENVIRONMENT += FUZZ_PROGS='$(FUZZ_PROGS)'; export FUZZ_PROGS;
EXTRA_DIST += tests/fuzz/replay.sh tests/fuzz/README.md tests/fuzz/corpus

fuzz: $(FUZZ_PROGS)
.PHONY: fuzz
