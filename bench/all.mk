# bench-all (issue 22): every benchmark once, then one table (bench/summary.mjs) printed and
# written as bench/out/summary.md. Takes several minutes; a failing benchmark shows as
# "no result" instead of stopping the rest. Not part of make check.
EXTRA_DIST += bench/summary.mjs

bench-all: all tests/node_modules/.boxtop-stamp bench/term_engine$(EXEEXT) bench/files_tui_xfer$(EXEEXT)
	@mkdir -p bench/out && rm -f bench/out/*.txt bench/out/summary.md
	-$(MAKE) $(AM_MAKEFLAGS) -k bench
	-$(MAKE) $(AM_MAKEFLAGS) bench-term 2>&1 | tee bench/out/term.txt
	-$(MAKE) $(AM_MAKEFLAGS) bench/files_tui 2>&1 | tee bench/out/files_tui.txt
	-./bench/term_engine$(EXEEXT) 2>&1 | tee bench/out/term_engine.txt
	@echo
	$(BENCH_NODE) $(abs_top_srcdir)/bench/summary.mjs bench/out
.PHONY: bench-all
