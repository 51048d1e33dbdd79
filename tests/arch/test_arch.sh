#!/bin/sh
# test_arch.sh - the architecture rules of issue 13, checked on every make check (TAP):
#   1. no two .c files under src/ call each other (the file-level call graph of the built
#      objects, tests/arch/callgraph.sh, has no pair A→B and B→A);
#   2. no view (src/tui/views/) includes an e2b HTTP or envd header: views read the model
#      and ask the backend (backend.h, backend_fetch.h);
#   3. no two .c files under src/ share a basename (names say where they live: view_*, dapi_*,
#      denvd_*, *_main.c), so a name in a log, a trace or a review points at one file.
# The pairs and includes that break a rule today are listed in tests/arch/known_loops.txt and
# tests/arch/known_view_includes.txt with the issue item that removes them. A new one fails;
# so does a listed one that is gone (delete its line: the lists only shrink). An entry naming
# a file this tree does not have (another branch's, before it is merged) is not checked.
srcdir=${abs_top_srcdir:-.}
builddir=${abs_top_builddir:-.}
here="$srcdir/tests/arch"
echo "1..5"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-arch.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
known() { grep -v '^#' "$1" | sed 's/ *#.*//; /^$/d' | sort -u; }
present() { # the entries whose files all exist here
    while read -r a b; do
        [ -f "$srcdir/$a" ] && { [ -z "$b" ] || [ -f "$srcdir/$b" ]; } && echo "$a${b:+ $b}"
    done
}

sh "$here/callgraph.sh" "$builddir" "$srcdir" > "$TMP/edges"
awk '{ e[$1 " " $2] = 1 } END { for (k in e) { split(k, p, " ");
        if ((p[2] " " p[1]) in e && p[1] < p[2]) print p[1], p[2] } }' "$TMP/edges" |
    sort > "$TMP/loops"
known "$here/known_loops.txt" > "$TMP/known_loops"
[ -s "$TMP/edges" ]; r=$?
new=$(comm -23 "$TMP/loops" "$TMP/known_loops")
[ $r -eq 0 ] && [ -z "$new" ]
if [ $? -eq 0 ]; then echo "ok 1 - no new pair of .c files calls each other ($(wc -l < "$TMP/loops") known)"; else
    echo "not ok 1 - no new pair of .c files calls each other"
    [ $r -eq 0 ] || echo "# no call graph: build first"
    echo "$new" | sed 's/^/# calls each other: /'
    echo "# (split out what both use, or let one hand the other a callback)"
fi
gone=$(present < "$TMP/known_loops" | comm -13 "$TMP/loops" -)
if [ -z "$gone" ]; then echo "ok 2 - tests/arch/known_loops.txt lists no pair that is gone"; else
    echo "not ok 2 - tests/arch/known_loops.txt lists no pair that is gone"
    echo "$gone" | sed 's/^/# fixed, delete its line: /'
fi

cd "$srcdir" || exit 1
grep -l -E '#include "boxtop/(http|envd|files|connect|files_sig|xfer)\.h"' src/tui/views/*.c \
    src/tui/views/*.h 2>/dev/null | sort > "$TMP/views"
known "$here/known_view_includes.txt" > "$TMP/known_views"
new=$(comm -23 "$TMP/views" "$TMP/known_views")
if [ -z "$new" ]; then echo "ok 3 - no new view includes an HTTP or envd header"; else
    echo "not ok 3 - no new view includes an HTTP or envd header"
    echo "$new" | sed 's/^/# ask the backend instead: /'
fi
gone=$(present < "$TMP/known_views" | comm -13 "$TMP/views" -)
if [ -z "$gone" ]; then echo "ok 4 - known_view_includes.txt lists no view that is clean"; else
    echo "not ok 4 - known_view_includes.txt lists no view that is clean"
    echo "$gone" | sed 's/^/# clean now, delete its line: /'
fi
dups=$(find src -name '*.c' | sed 's#.*/##' | sort | uniq -d)
if [ -z "$dups" ]; then echo "ok 5 - no two .c files under src/ share a basename"; else
    echo "not ok 5 - no two .c files under src/ share a basename"
    echo "$dups" | sed 's/^/# more than one: /'
    echo "# (give the file its folder's prefix: view_, dapi_, denvd_, ...)"
fi
