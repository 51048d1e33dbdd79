#!/bin/sh
# test_hostile_tui.sh - the TUI against a fake E2B that lies in every way of issue 25
# (fake_hostile.js, one mode per run, in tmux as a person would use it): each run shows a
# clear note and keeps going, answers keys within 100 ms (the median of five, none near the
# stall) while the server misbehaves (from sending '?' to the frame that opened the help, from
# BOXTOP_FRAME_LOG), peaks below 256 MiB of RSS (VmHWM), and a failed copy leaves no temporary
# file.
. "$(dirname "$0")/../tui/lib.sh"
. "$(dirname "$0")/lib.sh"
echo "1..43"
cleanup() { fake_stop; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
export BOXTOP_STALL_S=3
mkdir -p "$TMPD/local"
cd "$TMPD/local" || exit 1 # the files view's local pane starts here

KEY_MS_MAX=100
export BOXTOP_FRAME_LOG="$TMPD/frames" # one line a frame: wall clock, keys read so far
# key_ms [PREFIX]: ms from sending '?' (after PREFIX, a terminal pane's Ctrl-]) until boxtop
# drew the frame that answered it (the first with more keys read than before; both clocks
# are the wall clock); the help it opened is closed again
key_ms() {
    [ -n "$1" ] && { tui_keys "$1"; sleep 0.2; }
    k0=$(tail -1 "$BOXTOP_FRAME_LOG" | sed 's/.* keys //')
    t0=$(date +%s%6N)
    tui_keys '?'
    tui_wait 'Keys: ' 5
    n=0 t1= # the log line follows the frame's write: it may come a moment after the screen
    while [ -z "$t1" ] && [ $n -lt 100 ]; do
        t1=$(awk -v k="$k0" '$10 > k { print $4; exit }' "$BOXTOP_FRAME_LOG")
        [ -n "$t1" ] || sleep 0.02
        n=$((n + 1))
    done
    tui_keys Escape; tui_wait_gone 'Keys: ' 3
    echo $(( (${t1:-99999999999999999} - t0) / 1000 ))
}
# ok_keys NAME [PREFIX]: five presses spread over ~4 s; the median answered within KEY_MS_MAX
# and every one well inside the server's stall (BOXTOP_STALL_S): a loop that waited for the
# server would take the stall's seconds, while one press at 130 ms is the shared machine's load
# (tmux and the frame log sit between the key and the clock), not boxtop
KEY_MS_WORST=$((BOXTOP_STALL_S * 1000 / 3))
ok_keys() {
    all= worst=0
    for i in 1 2 3 4 5; do
        m=$(key_ms "$2"); all="$all $m"; [ "$m" -gt "$worst" ] && worst=$m
        sleep 0.6
    done
    median=$(printf '%s\n' $all | sort -n | sed -n 3p)
    [ "$median" -lt "$KEY_MS_MAX" ] && [ "$worst" -lt "$KEY_MS_WORST" ]
    ok $? "$1: keys answered within $KEY_MS_MAX ms (median), none near the stall (< $KEY_MS_WORST ms) (ms:$all)"
}
# ok_rss NAME: boxtop-tui's peak RSS so far
ok_rss() {
    r=$(rss_kb "$(cat "$TMPD/pid")")
    [ -n "$r" ] && [ "$r" -lt "$RSS_MAX_KB" ]; ok $? "$1: peak RSS $((${r:-0} / 1024)) MiB (< 256)"
}
start() { # start MODE [ARGS]: the fake in MODE and the TUI against it (COLS: its width)
    tui_stop
    fake_start "$1"; shift
    tui_start "${COLS:-160}" 30 --api-url "$URL" "$@"
}
files_of() { tui_keys ':'; tui_type "files $1"; tui_keys Enter; }
# copy_out MODE ROW FILTER: the fake in MODE, box1's files; once ROW shows, the entry that
# FILTER finds in the sandbox pane is copied (c) to the local directory
copy_out() {
    start "$1"
    tui_wait 'box1' 10
    files_of box1
    tui_wait "$2" 15
    tui_keys Tab '/'; tui_type "$3"; tui_keys Enter
    tui_keys c
}

# 1. a gzip-bomb ListDir answer: the files view says so and stays usable
COLS=240 start listdir-bomb
tui_wait 'box1' 10
files_of box1
tui_wait 'listing the directory failed: .*response body too large' 15; ok $? "listdir-bomb: the files view says the listing is too large"
ok_keys listdir-bomb
ok_rss listdir-bomb

# 2. endless pages of 300 KB sandboxes: a page is refused; of 60 KB ones: the round is cut
COLS=220 start fat-pages
tui_wait 'response body too large \(more than 16 MiB\)' 20 && tui_wait 'Waiting for the backend' 1
ok $? "fat-pages: a 30 MB page is refused, said in the status line and the table"
ok_rss fat-pages
start fat-pages-fit
tui_wait 'listing cut at [0-9]+ sandboxes' 60; ok $? "fat-pages-fit: 'listing cut at ...' in the status line"
ok_keys fat-pages-fit
sleep 6 # another round of the same
ok_rss fat-pages-fit

# 3. log entries of 1 500 fields x 1 000 invalid bytes, more every poll
start logs-fat
tui_wait 'box1' 10
tui_keys l
tui_wait 'entry [0-9]+ f0=' 15
# the note is at the end of a 16 KB line: saved as shown (w), it is there
tui_keys w; tui_wait 'save visible' 3; tui_keys C-u; tui_type "$TMPD/saved.txt"; tui_keys Enter
tui_wait 'lines saved to' 5 && grep -Eq '\[… 14[0-9]{2} more fields\]$' "$TMPD/saved.txt" &&
    [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$TMPD/saved.txt")" -lt 17000 ]
ok $? "logs-fat: a line keeps 16 KB and says how many fields were left out"
ok_keys logs-fat
sleep 10
ok_rss logs-fat

# 4. a copy from a /files that stalls: fails after BOXTOP_STALL_S, no temporary file
copy_out files-stall 'b\.bin' 'b.bin'
tui_wait 'nothing moved for 3 s' 20; ok $? "files-stall: the copy fails with 'nothing moved for 3 s'"
[ -z "$(ls -A "$TMPD/local")" ]; ok $? "files-stall: no temporary file in the local directory"
ok_keys files-stall
# a /files that claims 10 GB and stalls after 64 MB
copy_out files-lie 'b\.bin' 'b.bin'
tui_wait 'nothing moved for 3 s' 30; ok $? "files-lie: the copy fails with 'nothing moved for 3 s'"
[ -z "$(ls -A "$TMPD/local")" ]; ok $? "files-lie: no temporary file in the local directory"
ok_rss files-lie
# a directory whose files fail: said, and no empty directory left
copy_out cp-dir-fail 'sub/' 'sub'
tui_wait 'copy failed|errors: ' 15; ok $? "cp-dir-fail: the failed directory copy is said"
[ -z "$(ls -A "$TMPD/local")" ]; ok $? "cp-dir-fail: no empty directory left behind"

# 5. a 30 KB gzip list answer of 31 MiB
start list-bomb
tui_wait 'response body too large' 15 && tui_wait 'Waiting for the backend' 1; ok $? "list-bomb: refused, said in the status line and the table"
ok_keys list-bomb
ok_rss list-bomb

# 6. endless small pages: cut at 20 000 sandboxes with the same message as ls
start endless-pages
tui_wait 'listing cut at 20000 sandboxes' 90; ok $? "endless-pages: cut at 20 000 sandboxes, said"
ok_keys endless-pages
ok_rss endless-pages

# 7. terminal streams that end badly: back-off, a visible state, no repeated output
start stream-bad
tui_wait 'box1' 10
tui_keys ':'; tui_type 'shell box1'; tui_keys Enter
tui_wait 'reconnecting in [0-9]+ s' 15; ok $? "stream-bad: the reconnect and its delay are shown"
sleep 20
s=$(fake_stats | sed 's/.*"streams":\([0-9]*\).*/\1/')
[ "$s" -le 8 ]; ok $? "stream-bad: $s streams in ~20 s (back-off; twice a second before)"
c=$(tui_screen | grep -c 'line-one')
[ "$c" -eq 1 ]; ok $? "stream-bad: the replayed output shows once (shown $c times; 39 copies in 30 s before, 0 when a clock frame blanked the pane)"
ok_keys stream-bad C-]

# 8. messages
start redirect
tui_wait 'redirect not followed \(HTTP 307\)' 15; ok $? "redirect: 'redirect not followed (HTTP 307)'"
start status-500
tui_wait 'answers with an error: server error \(HTTP 500\): database on fire' 15 && ! tui_screen | grep -q unreachable
ok $? "status-500: a server error, not 'backend unreachable'"
start retry-after
tui_wait 'wait 99999999 s .*not retried' 15; ok $? "retry-after: the call is not retried for 99999999 s, said"
ok_keys retry-after
start repeat-token
tui_wait 'same next-page token again' 15 && tui_wait 'p000000x2' 1; ok $? "repeat-token: the round ends with what it got and says why"
start ignore-limit
tui_wait 'same next-page token again' 15 && tui_screen | grep -q 'Sandboxes (100 of 100)'
ok $? "ignore-limit: 100 a page is taken, the repeated token said"
start bad-item
tui_wait 'p000000x2' 15 && tui_wait '1 invalid sandboxes not shown' 2 && ! tui_screen | grep -q 'Loading sandboxes'
ok $? "bad-item: the good sandboxes show, the bad one is counted"
tui_keys ':'; tui_type 'events'; tui_keys Enter
tui_wait '1 not valid \(skipped\)' 10; ok $? "bad-item: the events view counts its bad item too"
E2B_TEAM_ID=team1 start odd-values
tui_wait 'odd1' 15; sleep 6
! tui_screen | grep -Eq 'inf|[0-9]{20}|-\.000'; ok $? "odd-values: no inf, no 309-digit CPU, no -.000"
tui_wait 'cpuUsedPct: out of range' 5; ok $? "odd-values: the absurd CPU is named"
start early-output
tui_wait 'box1' 10
tui_keys ':'; tui_type 'shell box1'; tui_keys Enter
tui_wait 'output before the start event' 15 && ! tui_screen | grep -q EARLY-OUTPUT
ok $? "early-output: refused and not shown"
start bidi-name
tui_wait 'box1' 10
files_of box1
tui_wait 'exe\.txt' 15
[ "$(tui_screen | grep -c "$(printf '\357\277\275') exe\.txt")" -ge 1 ]; ok $? "bidi-name: U+202E shows as U+FFFD, not as a plain exe.txt"
! tui_screen | grep -q "$(printf '\342\200\256')"; ok $? "bidi-name: the override itself never reaches the terminal"
ok_rss bidi-name
tui_keys Escape q
tui_done
