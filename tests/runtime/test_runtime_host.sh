#!/bin/sh
# The runtime test again on the host's root filesystem (boxtopd --base host), the old mode.
BOXTOPD_TEST_BASE=host
export BOXTOPD_TEST_BASE
exec "${abs_top_builddir:-.}/tests/runtime/test_runtime" "$@"
