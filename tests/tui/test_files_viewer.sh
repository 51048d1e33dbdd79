#!/bin/bash
# test_files_viewer.sh - issue 24 point 6: `v` on a large sandbox file fetches only what the
# viewer shows (a bounded read: the first 4 MiB), keeps no copy of the file on disk while it is
# shown, and leaves no temporary behind when it closes; the "fetching" message goes away.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..5"
tui_boxtopd files-viewer 1 5
ID=$(boxtopd_new_sandbox)
bx() { "$BOXTOP" exec "$ID" -- "$@"; }
# 300 MiB of text lines, sparse in the sandbox (a hole reads as zeros: make it text first)
bx sh -c 'seq 1 200000 > /home/user/big.txt; truncate -s 300M /home/user/big.txt; seq 1 20 > /home/user/small.txt'
mkdir -p "$TMPD/local" "$TMPD/tmp"; cd "$TMPD/local"
export TMPDIR=$TMPD/tmp
tui_start 160 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10
tui_wait 'big.txt' 5
tui_keys Tab; tui_keys '/'; tui_type big; tui_keys Enter; tui_keys v
tui_wait 'big.txt +\(text, first 4 MiB\)' 60 && tui_wait '^1 *$' 2; ok $? "v on a 300 MiB file shows its first 4 MiB"
tui_wait_gone 'fetching the file' 1; ok $? "the fetching message is gone once the view is shown"
sleep 1; kb=$(du -sk "$TMPD/tmp" | cut -f1)
[ "$kb" -lt 16384 ]; ok $? "no copy of the whole file on disk while viewing (temp dir holds ${kb} KiB)"
tui_keys q; tui_wait 'sandbox: /home/user' 5
tui_keys '/'; tui_keys Enter; tui_keys '/'; tui_type small; tui_keys Enter; tui_keys v
tui_wait 'small.txt +\(text\)' 10 && tui_wait '^20 *$' 2; ok $? "a small file is shown whole"
tui_keys q; tui_wait 'sandbox: /home/user' 5; sleep 0.5
n=$(find "$TMPD/tmp" -type f | wc -l)
[ "$n" -eq 0 ]; ok $? "closing the viewer leaves no temporary file ($n left)"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
