#!/bin/sh
# test_hostile_cli.sh - the command-line mode against a fake E2B that lies in every way of
# issue 25 (fake_hostile.js, one mode per run): every run ends within its time limit with a
# clear message, peaks below 256 MiB of RSS, and leaves no temporary file or empty directory.
# Also: the fuzz seeds in tests/fuzz/corpus are what the fake's generators make today.
. "$(dirname "$0")/../tui/lib.sh"
. "$(dirname "$0")/lib.sh"
echo "1..30"
cleanup() { fake_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
export BOXTOP_STALL_S=3 # /files: 3 s without a byte fail (60 s by default)
DST="$TMPD/dst"
fresh_dst() { rm -rf "$DST"; mkdir -p "$DST"; }
# nothing but what a finished copy leaves: no .boxtop-XXXXXX temporaries, no empty dirs
dst_clean() { [ -z "$(find "$DST" -mindepth 1 \( -name '*.boxtop-*' -o -type d -empty \) )" ]; }

# 1. a 254 KB gzip ListDir answer that inflates to 250 MiB of {"entries":[{},{},...]}
fake_start listdir-bomb; fresh_dst
cli_run 60 cp box1:/home/user/dir "$DST/"
ok_run "cp of a gzip-bomb listing is refused" 'listing the directory failed: .*response body too large \(more than 16 MiB\)' 1
dst_clean && [ -z "$(ls -A "$DST")" ]; ok $? "the failed cp leaves nothing in the destination"

# 2. endless fat pages: 100 sandboxes x 300 KB a page (over the page bound), then 60 KB (the
#    total bound of a listing cuts it)
fake_start fat-pages
cli_run 60 ls
ok_run "ls of 30 MB pages: a page is refused" 'response body too large \(more than 16 MiB\)' 1
fake_start fat-pages-fit
cli_run 90 ls
ok_run "ls of endless 6 MB pages: the listing is cut and says so" 'listing cut at [0-9]+ sandboxes \([0-9]+ pages, 3[0-9] MiB\)' 1
[ "$(grep -c '^p0' "$TMPD/out")" -gt 100 ]; ok $? "what was listed before the cut is printed ($(grep -c '^p0' "$TMPD/out") rows)"

# 3. log entries of 1 500 fields x 1 000 invalid-UTF-8 bytes
fake_start logs-fat
cli_run 60 logs box1
ok_run "logs of fat entries end" '' 0
grep -q 'entry ' "$TMPD/out" && [ "$(head -1 "$TMPD/out" | grep -o ' f[0-9]*=' | wc -l)" -le 64 ]
ok $? "each entry keeps at most 64 fields"

# 4. /files that stops sending; /files that claims 10 GB and stalls after 64 MB
fake_start files-stall; fresh_dst
cli_run 30 cp box1:/home/user/a.bin "$DST/a.bin"
ok_run "a stalled download fails after BOXTOP_STALL_S" 'files: nothing moved for 3 s' 1
[ "$SECS_TOOK" -lt 20 ] && dst_clean && [ -z "$(ls -A "$DST")" ]; ok $? "within 20 s, no temporary file left"
fake_start files-lie; fresh_dst
cli_run 60 cp box1:/home/user/a.bin "$DST/a.bin"
ok_run "a download that claims 10 GB and stalls fails" 'nothing moved for 3 s' 1
[ -z "$(ls -A "$DST")" ]; ok $? "no temporary file left"
# killed while the download hangs: the temporary file goes too
fresh_dst
BOXTOP_STALL_S=600 "$BOXTOP" --api-url "$URL" cp box1:/home/user/a.bin "$DST/a.bin" 2>"$TMPD/err" &
CP=$!
n=100; while [ $n -gt 0 ] && [ -z "$(ls -A "$DST")" ]; do sleep 0.1; n=$((n-1)); done
sleep 1
kill -TERM "$CP"; wait "$CP"; rc=$?
[ $rc -ne 0 ] && [ -z "$(ls -A "$DST")" ] && grep -q 'interrupted' "$TMPD/err"
ok $? "a cp killed with SIGTERM mid-download leaves no temporary file (exit $rc)"

# 5. a 30 KB gzip list answer that inflates to 31 MiB of [{},{},...]
fake_start list-bomb
cli_run 30 ls
ok_run "ls of a gzip-bomb list is refused" 'v2/sandboxes: response body too large' 1

# 6. endless small pages, a fresh token every time
fake_start endless-pages
cli_run 120 ls
ok_run "ls of endless pages stops at the listing bound" 'listing cut at 20000 sandboxes' 1

# 7. streams that end badly: exec says why, once (no reconnect loop in the CLI)
fake_start stream-bad
cli_run 30 exec box1 -- echo hi
ok_run "exec on a stream without an end frame fails clearly" 'Start: .*without an end-stream frame' 1
[ "$(grep -c line-one "$TMPD/out")" -le 1 ]; ok $? "its output is not repeated"

# 8. messages
fake_start redirect
cli_run 20 ls
ok_run "a 307 is not taken for an answer" 'redirect not followed \(HTTP 307\)' 1
fake_start status-500
cli_run 20 ls
ok_run "a 500 is a server error, with its message" 'server error \(HTTP 500\): database on fire' 1
fake_start retry-after
cli_run 20 ls
ok_run "Retry-After: 99999999 is not waited for, and that is said" 'wait 99999999 s .*not retried' 1
fake_start bad-item
cli_run 20 ls
ok_run "one bad sandbox: skipped, counted, said" 'not valid, not shown: 1 sandboxes .*sandboxes\[1\]' 1
[ "$(grep -c '^p000000x' "$TMPD/out")" -eq 3 ]; ok $? "the three good sandboxes are listed"
fake_start odd-values
cli_run 20 metrics odd1
ok_run "a CPU of 1.8e308 is out of range, not 309 digits" 'cpuUsedPct: out of range' 1
cli_run 20 logs odd1
! grep -q -- '-\.000' "$TMPD/out" && grep -q '^- ' "$TMPD/out"; ok $? "a year-1 time prints as -, not -.000"
fake_start ignore-limit
cli_run 20 ls --limit 50
[ "$RC" -eq 0 ] && [ "$(grep -c '^p0' "$TMPD/out")" -eq 50 ]; ok $? "ls --limit 50 prints 50 rows when the server sends 100"
fake_start repeat-token
cli_run 20 ls
ok_run "a repeated next-token stops with a message and exit 1" 'same next-page token again' 1
fake_start cp-dir-fail; fresh_dst
cli_run 20 cp box1:/home/user/dir "$DST/"
ok_run "a failed directory cp names the file" 'download .*/dir/b\.bin: server error \(HTTP 500\): disk read error' 1
[ -z "$(ls -A "$DST")" ]; ok $? "and leaves no empty directories (it made dir/ and dir/sub/)"
fake_start early-output
cli_run 20 exec box1 -- echo hi
ok_run "output before the start event is refused" 'output before the start event' 1
! grep -q EARLY "$TMPD/out"; ok $? "and not printed"
fake_stop

# the fuzz seeds are the fake's generators as they are now
node "$FAKE_JS" --seeds "$TMPD/seeds" &&
    for f in $(cd "$TMPD/seeds" && find . -type f); do cmp -s "$TMPD/seeds/$f" "$abs_top_srcdir/tests/fuzz/corpus/$f" || exit 1; done
ok $? "tests/fuzz/corpus holds the fake's response generators (node fake_hostile.js --seeds)"
