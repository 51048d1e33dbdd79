#!/bin/sh
# The runtime test again with namespaces turned off: the plain-process fallback.
BOXTOPD_ISOLATION=plain
export BOXTOPD_ISOLATION
exec "${abs_top_builddir:-.}/tests/runtime/test_runtime" "$@"
