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

# Each test is a small executable wrapper printing TAP: the .sh files run a node:test file
# (lib/tap-node.sh) or drive tmux (lib/boxtopd.sh). Each starts its own boxtopd on free
# loopback ports with a temporary state dir (lib/boxtopd.mjs) and checks on teardown that no
# process of it is left. boxtopd logs and secret digests go to tests/integration/logs/.
INTEGRATION_TESTS = \
	tests/integration/harness.sh \
	tests/integration/boxtopd-args.sh \
	tests/integration/sdk-sandbox.sh \
	tests/integration/api-extras.sh \
	tests/integration/sdk-commands.sh \
	tests/integration/sdk-files.sh \
	tests/integration/sdk-files-today.sh \
	tests/integration/sdk-snapshots.sh \
	tests/integration/sdk-templates.sh \
	tests/integration/cli-template.sh \
	tests/integration/sdk-pause-fs.sh \
	tests/integration/network-isolation.sh \
	tests/integration/network-isolation-rootless.sh \
	tests/integration/sdk-volumes.sh \
	tests/integration/volume-content.sh \
	tests/integration/volume-rootless.sh \
	tests/integration/remove-hidden.sh \
	tests/integration/process-groups.sh \
	tests/integration/streams.sh \
	tests/integration/envd-extras.sh \
	tests/integration/fidelity.sh \
	tests/integration/cli.sh \
	tests/integration/cli-connect.sh \
	tests/integration/hostile.sh \
	tests/integration/restart.sh \
	tests/integration/cleanup.sh \
	tests/integration/snapshot-copy.sh \
	tests/integration/remove-big.sh \
	tests/integration/create-admit.sh \
	tests/integration/fork-fanout.sh \
	tests/integration/template-plain.sh \
	tests/integration/isolation.sh \
	tests/integration/webhooks.sh \
	tests/integration/process-logs.sh \
	tests/integration/files-abort.sh \
	tests/integration/platform-secrets.sh \
	tests/integration/platform-routes.sh \
	tests/integration/secrets.sh
TESTS += $(INTEGRATION_TESTS)
check_SCRIPTS += tests/node_modules/.boxtop-stamp
EXTRA_DIST += $(INTEGRATION_TESTS) \
	tests/integration/harness.mjs tests/integration/sdk-sandbox.mjs tests/integration/api-extras.mjs \
	tests/integration/sdk-templates.mjs tests/integration/cli-template.mjs \
	tests/integration/sdk-commands.mjs tests/integration/sdk-files.mjs tests/integration/streams.mjs \
	tests/integration/sdk-files-today.mjs tests/integration/sdk-snapshots.mjs tests/integration/sdk-pause-fs.mjs \
	tests/integration/sdk-volumes.mjs tests/integration/volume-content.mjs tests/integration/volume-rootless.mjs \
	tests/integration/remove-hidden.mjs tests/integration/process-groups.mjs \
	tests/integration/network-isolation.mjs \
	tests/integration/envd-extras.mjs tests/integration/fidelity.mjs \
	tests/integration/cli.mjs tests/integration/hostile.mjs tests/integration/restart.mjs \
	tests/integration/cleanup.mjs tests/integration/snapshot-copy.mjs \
	tests/integration/remove-big.mjs tests/integration/lib/loop-free.mjs \
	tests/integration/create-admit.mjs tests/integration/fork-fanout.mjs \
	tests/integration/template-plain.mjs \
	tests/integration/isolation.mjs tests/integration/secrets.mjs \
	tests/integration/webhooks.mjs tests/integration/process-logs.mjs tests/integration/files-abort.mjs \
	tests/integration/platform-secrets.mjs tests/integration/platform-routes.mjs \
	tests/integration/lib/boxtopd.mjs tests/integration/lib/common.mjs \
	tests/integration/lib/loopback-only.cjs tests/integration/lib/tap-node.sh \
	tests/integration/lib/boxtopd.sh tests/integration/README.md tests/integration/.gitignore \
	tests/lib/connect-frames.cjs tests/lib/fake-http.cjs

# The no-secrets test reads every other test's log and boxtopd log, so it runs last (a plain
# make prerequisite of its log; spelled through a variable so that automake does not take it
# for an override of its own rule). Running it alone therefore runs the others first.
INTEGRATION_LAST_LOG = tests/integration/secrets.sh.log
$(INTEGRATION_LAST_LOG): tests/integration/harness.sh.log \
	tests/integration/sdk-sandbox.sh.log tests/integration/api-extras.sh.log \
	tests/integration/sdk-commands.sh.log tests/integration/sdk-files.sh.log \
	tests/integration/sdk-files-today.sh.log tests/integration/sdk-snapshots.sh.log \
	tests/integration/sdk-pause-fs.sh.log tests/integration/sdk-volumes.sh.log \
	tests/integration/volume-content.sh.log tests/integration/volume-rootless.sh.log tests/integration/remove-hidden.sh.log \
	tests/integration/process-groups.sh.log \
	tests/integration/streams.sh.log tests/integration/envd-extras.sh.log tests/integration/cli.sh.log \
	tests/integration/cli-connect.sh.log tests/integration/hostile.sh.log \
	tests/integration/restart.sh.log tests/integration/cleanup.sh.log \
	tests/integration/snapshot-copy.sh.log tests/integration/remove-big.sh.log \
	tests/integration/create-admit.sh.log tests/integration/fork-fanout.sh.log \
	tests/integration/template-plain.sh.log \
	tests/integration/isolation.sh.log tests/integration/webhooks.sh.log tests/integration/process-logs.sh.log \
	tests/integration/files-abort.sh.log \
	tests/integration/platform-secrets.sh.log tests/integration/platform-routes.sh.log

clean-local: clean-local-integration
clean-local-integration:
	rm -rf tests/integration/logs
.PHONY: clean-local-integration

# Out of tree, the copied package files and node_modules are build products.
distclean-local: distclean-local-integration
distclean-local-integration:
	if [ "$(abs_top_srcdir)" != "$(abs_top_builddir)" ]; then \
	  rm -rf tests/node_modules tests/package.json tests/package-lock.json; fi
.PHONY: distclean-local-integration

# What cleanup.mjs and snapshot-copy.mjs share (a sandbox of 100 000 files, timed API calls).
EXTRA_DIST += tests/integration/lib/bigtree.mjs
