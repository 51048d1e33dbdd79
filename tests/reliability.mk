# Issue 15 (reliability): boxtop supervising its boxtopd, fault injection, soak, fuzz smoke.
RELIABILITY_TESTS = tests/tui/test_supervise.sh tests/fault/test_answers.sh \
	tests/tui/test_postmortem_cap.sh tests/tui/test_views_restart.sh
TESTS += $(RELIABILITY_TESTS)
EXTRA_DIST += $(RELIABILITY_TESTS)

# The --replay loader (issue 15: every parser of outside input has a fuzz target).
FUZZ_PROGS += tests/fuzz/fuzz_replay_file
tests_fuzz_fuzz_replay_file_SOURCES = tests/fuzz/fuzz_replay_file.c
tests_fuzz_fuzz_replay_file_CPPFLAGS = $(TUI_TEST_CPPFLAGS)
tests_fuzz_fuzz_replay_file_LDADD = $(FUZZ_MAIN) src/tui/libboxtoptui_pure.a src/e2b/libboxtope2b.a \
	$(CORE_LIBS) -lm
tests_fuzz_fuzz_replay_file_LDFLAGS = $(FUZZER_LINK_FLAGS)

# make fuzz-smoke: every fuzz target for FUZZ_SECONDS (20) under libFuzzer, in a build
# configured with --enable-fuzzing and ASan+UBSan (tests/fuzz/README.md); .ci/run runs it.
EXTRA_DIST += tests/fuzz/smoke.sh
fuzz-smoke: $(FUZZ_PROGS)
	FUZZ_PROGS='$(FUZZ_PROGS)' FUZZ_SECONDS='$(FUZZ_SECONDS)' abs_top_srcdir='$(abs_top_srcdir)' \
	abs_top_builddir='$(abs_top_builddir)' sh $(abs_top_srcdir)/tests/fuzz/smoke.sh
.PHONY: fuzz-smoke

# The loopback fault proxy the fault tests put between clients and boxtopd.
check_PROGRAMS += tests/fault/proxy
tests_fault_proxy_SOURCES = tests/fault/proxy.c
RELIABILITY_TESTS += tests/fault/test_faults.sh
EXTRA_DIST += tests/fault/sdk-faults.mjs tests/fault/sdk-killed.mjs

# make soak (not in make check): SOAK_MIN minutes (60) of churn; CSV + chart in soak-out/.
EXTRA_DIST += tests/soak/soak.sh
soak: all
	abs_top_srcdir='$(abs_top_srcdir)' abs_top_builddir='$(abs_top_builddir)' \
	SOAK_MIN='$(SOAK_MIN)' SOAK_SANDBOXES='$(SOAK_SANDBOXES)' sh $(abs_top_srcdir)/tests/soak/soak.sh
.PHONY: soak
