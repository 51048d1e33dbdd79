#!/bin/sh
# test_man.sh - man --warnings renders boxtop.1 and boxtopd.8 without any warning (groff -ww
# through man-db), and the pages mention every command-line flag the programs accept.
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
echo "1..4"
n=0 fail=0
for page in boxtop.1 boxtopd.8; do
    n=$((n + 1))
    out=$(MANWIDTH=80 man --warnings -l -Tutf8 "$abs_top_srcdir/man/$page" 2>&1 >/dev/null)
    rc=$?
    if [ $rc -eq 0 ] && [ -z "$out" ]; then echo "ok $n - $page renders without warnings"; else
        echo "not ok $n - $page renders without warnings (rc $rc)"; fail=1
        printf '%s\n' "$out" | sed 's/^/# /'
    fi
done
# every long option in the programs' usage texts is in the page
check_flags() { # PAGE TEXT
    missing=""
    for f in $(printf '%s\n' "$2" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$(printf '%s' "$f" | sed 's/-/\\\\-/g')" "$abs_top_srcdir/man/$1" || missing="$missing $f"
    done
    n=$((n + 1))
    if [ -z "$missing" ]; then echo "ok $n - $1 documents every flag"; else
        echo "not ok $n - $1 documents every flag (missing:$missing)"; fail=1; fi
}
B=$abs_top_builddir/src
check_flags boxtop.1 "$("$B/boxtop" --help 2>&1; for c in ls info create kill timeout metrics logs commands exec cp snapshot snapshots fork volume; do "$B/boxtop" $c --help 2>&1; done; "$B/tui/boxtop-tui" --help 2>&1)"
check_flags boxtopd.8 "$("$B/boxtopd" --help 2>&1)"
exit $fail
