# bench: `make bench` (not part of make check). Each benchmark starts its own boxtopd on
# loopback (tests/integration/lib/boxtopd.mjs) and prints its numbers next to a baseline
# measured in the same run; results are also kept in bench/out/.
EXTRA_DIST += bench/lib.mjs bench/create.mjs bench/files.mjs bench/snapshot.mjs

BENCH_NODE = env abs_top_srcdir='$(abs_top_srcdir)' abs_top_builddir='$(abs_top_builddir)' \
	NO_UPDATE_NOTIFIER=1 LANG=C.UTF-8 $(NODE) --require $(abs_top_srcdir)/tests/integration/lib/loopback-only.cjs

# bench/files_ceiling: the least work a /files client can do (splice, sendfile), next to curl
noinst_PROGRAMS += bench/files_ceiling
bench_files_ceiling_SOURCES = bench/files_ceiling.c

bench: all tests/node_modules/.boxtop-stamp bench/files_ceiling$(EXEEXT)
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/create.mjs | tee bench/out/create.txt
	$(BENCH_NODE) $(abs_top_srcdir)/bench/files.mjs | tee bench/out/files.txt
.PHONY: bench

# bench/commands (issue 16): the commands view on 10 000 commands next to `e2b sandbox logs`.
EXTRA_DIST += bench/commands.mjs
bench-commands: all tests/node_modules/.boxtop-stamp
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/commands.mjs | tee bench/out/commands.txt
bench: bench-commands
.PHONY: bench-commands

# bench-snapshot (issue 21): snapshot, create-from-snapshot and fork of a BENCH_SNAP_MB MiB
# writable layer next to `cp -a` of it, and how long boxtopd's loop is held meanwhile.
bench-snapshot: all tests/node_modules/.boxtop-stamp
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/snapshot.mjs | tee bench/out/snapshot.txt
bench: bench-snapshot
.PHONY: bench-snapshot

# bench-fleet (issue 18): `:exec 'echo hi'` over BENCH_FLEET_N (200) sandboxes next to a shell
# loop of the official `e2b sandbox exec` over the same ones.
EXTRA_DIST += bench/fleet.mjs
bench-fleet: all tests/node_modules/.boxtop-stamp
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/fleet.mjs | tee bench/out/fleet.txt
bench: bench-fleet
.PHONY: bench-fleet

# bench-template (issue 19): a 5-step template's build time, and create from it vs from base.
EXTRA_DIST += bench/template.mjs
bench-template: all tests/node_modules/.boxtop-stamp
	@mkdir -p bench/out
	$(BENCH_NODE) $(abs_top_srcdir)/bench/template.mjs | tee bench/out/template.txt
bench: bench-template
.PHONY: bench-template
