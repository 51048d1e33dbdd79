#!/bin/sh
# tap-node.sh NAME.mjs - run one node:test file of tests/integration and print TAP for the
# automake TAP driver. Every test process is confined to loopback (lib/loopback-only.cjs).
set -e
here=$(cd "$(dirname "$0")" && pwd)
abs_top_srcdir=${abs_top_srcdir:-$(cd "$here/../../.." && pwd)}
abs_top_builddir=${abs_top_builddir:-$abs_top_srcdir}
export abs_top_srcdir abs_top_builddir
export NO_UPDATE_NOTIFIER=1 LANG=C.UTF-8 TZ=UTC
unset E2B_DOMAIN E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL E2B_DEBUG E2B_ACCESS_TOKEN
mkdir -p "$abs_top_builddir/tests/integration/logs"
cd "$abs_top_builddir"
exec node --require "$here/loopback-only.cjs" --test-reporter=tap "$here/../$1"
