# tests/integration: boxtopd driven by the official e2b SDK and CLI (npm, pinned in
# tests/package.json), and boxtop driven in tmux.
EXTRA_DIST += tests/package.json tests/package-lock.json

# npm ci once per lock file; every integration test depends on it.
tests/node_modules/.boxtop-stamp: $(top_srcdir)/tests/package-lock.json
	@mkdir -p tests
	@if [ "$(top_srcdir)" != "$(top_builddir)" ] && [ ! -e tests/package.json ]; then \
	  cp $(top_srcdir)/tests/package.json $(top_srcdir)/tests/package-lock.json tests/; fi
	cd tests && npm ci --no-audit --no-fund --loglevel=error
	touch $@
