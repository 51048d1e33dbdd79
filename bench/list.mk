# bench/list (issue 6): boxtop's sandboxes view at 10 000 sandboxes against a seeded fixture of
# the platform API on loopback, next to `e2b sandbox list` on the same server. `make bench-list`
# alone, or as part of `make bench`. BENCH_SANDBOXES, BENCH_ROUNDS, BENCH_CLI_RUNS tune it;
# BOXTOP_BASELINE=path measures another boxtop binary in the same run (ratios to it).
EXTRA_DIST += bench/list.mjs bench/list-fixture.mjs

bench-list: all tests/node_modules/.boxtop-stamp
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/list.mjs | tee bench/out/list.txt
bench: bench-list
.PHONY: bench-list
