#!/bin/sh
# test_supervise.sh - issue 15: boxtop outlives the boxtopd it started. With five sandboxes,
# two shells in terminal tabs and a 1 GiB upload in the file browser, boxtopd is SIGKILLed:
# the header says it is restarting (0.5 s), boxtop starts it again (new ports, same state
# dir); killed again at once, the back-off has doubled (1.0 s). The upload failed with
# nothing under its final name and the transfers panel names the retry key; one key (a)
# copies it again to the new boxtopd, byte-identical. Both shells survived (the sandbox's
# init kept their pty masters) and answer in their tabs; all five sandboxes are back with
# their files. A boxtopd boxtop did not start, restarted by hand on new ports, is found
# through the discovery file.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/tui/bxd.sh"
STATE=$TMPD/state
echo "1..13"

cleanup() {
    tui_stop
    if [ -s "$STATE/boxtopd.json" ]; then
        eval "$("$BOXTOPD" --print-env --state-dir "$STATE" 2>/dev/null)"
        for id in $A $B $(cat "$TMPD/more" 2>/dev/null); do "$BOXTOP" kill "$id" >/dev/null 2>&1; done
        p=$(bxd_pid_of "$STATE"); [ -n "$p" ] && kill "$p" 2>/dev/null
    fi
    [ -n "$DPID" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null
    n=60; while [ $n -gt 0 ] && [ -n "$(bxd_pid_of "$STATE")" ] && kill -0 "$(bxd_pid_of "$STATE")" 2>/dev/null; do sleep 0.1; n=$((n-1)); done
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_local_env "$STATE"

pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }
wait_new_pid() { # wait_new_pid OLD: the state dir names another live boxtopd
    n=400; while [ $n -gt 0 ]; do
        p=$(bxd_pid_of "$STATE"); [ -n "$p" ] && [ "$p" != "$1" ] && kill -0 "$p" 2>/dev/null && return 0
        sleep 0.05; n=$((n-1)); done; return 1
}

bx() { "$BOXTOP" exec "$A" -- "$@"; }
# the file browser's local pane starts in the current directory: the upload's source is here
head -c $((64 * 1024 * 1024)) /dev/urandom > "$TMPD/big"; truncate -s 1G "$TMPD/big"
sum=$(sha256sum < "$TMPD/big" | cut -c1-64)
cd "$TMPD" || exit 1
tui_start 140 30
tui_wait 'started by boxtop' 60
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
A=$("$BOXTOP" create --timeout 600); B=$("$BOXTOP" create --timeout 600)
a=$(echo "$A" | cut -c1-16); b=$(echo "$B" | cut -c1-16) # the table shortens ids
echo keep-me > "$TMPD/f"; "$BOXTOP" cp "$TMPD/f" "$A:/tmp/kept" >/dev/null 2>&1
tui_wait "$b" 20 && tui_screen | grep -q "$a"; ok $? "boxtop started boxtopd; two sandboxes listed"

# five sandboxes in all, two terminals, and a 1 GiB upload in flight when boxtopd dies
for i in 3 4 5; do "$BOXTOP" create --timeout 600 >> "$TMPD/more"; done
tui_keys : ; tui_type "shell $B"; tui_keys Enter
tui_wait '[$#] *$' 20
run 'echo BEFORE-B'; tui_wait '^BEFORE-B' 10
pfx : ; tui_type "shell $A"; tui_keys Enter
tui_wait '[$#] *$' 20
run 'echo BEFORE-$((1+1))'; tui_wait '^BEFORE-2' 10
# 1 GiB (64 MiB random, the rest sparse): boxtopd takes uploads at ~1 GiB/s since its 256 KiB
# serve buffer, so a 200 MiB one could finish before the kill below
pfx : ; tui_type "files $A"; tui_keys Enter
tui_wait 'sandbox: /home/user' 20
tui_keys / ; tui_type big; tui_keys Enter; tui_keys c
tui_wait 'copying' 20 || echo "# no copying row: $(tui_screen | tail -6)"

OLD=$(bxd_pid_of "$STATE"); kill -9 "$OLD"
tui_wait 'OFFLINE|local boxtopd \(down, restarting\)' 10 || echo "# not seen down (restarted at once)"
wait_new_pid "$OLD"; st=$?
# the back-off is in the message, kept in :messages (the status line may have moved on)
tui_keys '!'; tui_wait 'went away \(back-off 0\.5 s\)' 10
ok $? "SIGKILLed: it restarts after 0.5 s (:messages)"; tui_keys Escape
ok $st "boxtop started a new boxtopd on the same state dir"
tui_wait 'a retries a failed copy' 20 && tui_screen | grep -q 'FAILED'
ok $? "the upload in flight fails; the transfers panel names the retry key"
echo "# $(tui_screen | grep -E 'FAILED|copy failed' | head -2)"
OLD=$(bxd_pid_of "$STATE"); kill -9 "$OLD"
wait_new_pid "$OLD"
tui_keys '!'; tui_wait 'went away \(back-off 1\.0 s\)' 10
ok $? "killed again within 10 s: the back-off doubled (1.0 s)"; tui_keys Escape
NEWURL=$(sed -n 's/.*"apiUrl": *"\([^"]*\)".*/\1/p' "$STATE/boxtopd.json")
tui_wait "local boxtopd $NEWURL" 30; ok $? "the header names the new boxtopd ($NEWURL)"
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
[ "$(bx sh -c 'test -e /home/user/big && echo present || echo absent')" = absent ]
ok $? "nothing was left under the upload's final name"

# one key: the failed copy again, to the restarted boxtopd (new envd port)
tui_keys a
tui_wait 'copying /.*big again' 10 || echo "# $(tui_screen | tail -3)"
tui_wait '↑ done .*big' 180 && [ "$(bx sha256sum /home/user/big | cut -c1-64)" = "$sum" ]
ok $? "its retry with one key (a) succeeds, byte-identical"

# both shells survived boxtopd (init kept their pty masters); the tabs reattached by pid
tui_keys Escape; tui_keys q # the filter, then back to the terminal (tab A)
run 'cat /tmp/kept; echo AFTER-A-$((2+2))'
tui_wait '^AFTER-A-4' 40 && tui_screen | grep -q '^keep-me'
ok $? "the shell in tab A answers after the restarts, and its sandbox's file is there"
pfx n
run 'echo AFTER-B-$((3+3))'
tui_wait '^AFTER-B-6' 40; ok $? "the shell in tab B answers too"
tui_screen | grep -q 'BEFORE-B' || echo "# tab B lost its earlier output"
pfx q; tui_wait "Sandboxes \\(" 10
tui_wait "$b" 30 && tui_screen | grep -q "$a" && tui_wait_gone 'OFFLINE' 30
ok $? "the list is back with both sandboxes, online"
n=0; for id in $A $B $(cat "$TMPD/more"); do "$BOXTOP" info "$id" >/dev/null 2>&1 && n=$((n+1)); done
[ $n = 5 ]; ok $? "all five sandboxes are back ($n)"
tui_keys q; tui_wait EXITED 20

# not started by boxtop: restarted by hand on new ports, found through boxtopd.json
p=$(bxd_pid_of "$STATE"); n=60; while [ $n -gt 0 ] && kill -0 "$p" 2>/dev/null; do sleep 0.1; n=$((n-1)); done
tui_stop
bxd_local_env "$STATE" # no URL in the environment: the state dir's boxtopd
"$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0 \
    >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
wait_new_pid "$p"
tui_start 140 30
tui_wait 'already running' 30
kill "$DPID"; wait "$DPID" 2>/dev/null
OLD=$DPID
"$BOXTOPD" --foreground --state-dir "$STATE" --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0 \
    >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
wait_new_pid "$OLD"
NEWURL=$(sed -n 's/.*"apiUrl": *"\([^"]*\)".*/\1/p' "$STATE/boxtopd.json")
tui_wait "local boxtopd $NEWURL \\(already running\\)" 30 && tui_wait "$b" 30
ok $? "a boxtopd restarted by hand on new ports is found and used"
tui_keys q; tui_wait EXITED 20
tui_done
