#!/bin/sh
# test_files_rate.sh - the file browser's transfers say how fast they go, as rsync and scp do,
# against a real boxtopd whose envd port is behind the fault proxy (tests/fault/proxy.c,
# "delay": every read held a while, so an 8 MiB upload takes seconds): a running copy shows
# its rate (a moving average over the last seconds) and an ETA, the panel's title the total of
# what runs (bytes, rate, ETA); once done the copy shows its average rate and how long it took.
# In German the state column is as wide as "abgebrochen", so the percentages line up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
PROXY=$abs_top_builddir/tests/fault/proxy
echo "1..6"
cleanup() {
    tui_stop; [ -n "$PPID_" ] && kill "$PPID_" 2>/dev/null
    [ -n "$SB" ] && "$BOXTOP" kill "$SB" >/dev/null 2>&1; bxd_stop; rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
SB=$("$BOXTOP" create --timeout 600)
echo pass > "$TMPD/envd.mode"
"$PROXY" -t "127.0.0.1:${E2B_SANDBOX_URL##*:}" -c "$TMPD/envd.mode" -p "$TMPD/envd.port" 2>> "$TMPD/proxy.log" &
PPID_=$!
n=100; while [ $n -gt 0 ] && [ ! -s "$TMPD/envd.port" ]; do sleep 0.05; n=$((n-1)); done
[ -n "$SB" ] && [ -s "$TMPD/envd.port" ]; ok $? "boxtopd, a sandbox and the proxy in front of envd"
export E2B_SANDBOX_URL=http://127.0.0.1:$(cat "$TMPD/envd.port")
mkdir -p "$TMPD/up"
head -c $((8 * 1024 * 1024)) /dev/urandom > "$TMPD/up/eight.bin"

cd "$TMPD/up" || exit 1 # the local pane starts here
tui_start 140 30
tui_wait "$SB" 15
tui_keys f; tui_wait 'local: ' 10 && tui_wait 'sandbox: /home/user' 10
echo 'delay 60' > "$TMPD/envd.mode"; sleep 0.3
tui_wait 'eight.bin' 5; tui_keys c
tui_wait 'copying' 10
# the rate needs a second of the copy; the panel redraws at least once a second
tui_wait '↑ copying +[0-9]+% [0-9.]+[KM]/8\.0M  [0-9.]+[BKMG]/s  ETA [0-9]' 8
ok $? "a running copy shows its rate and ETA ($(tui_screen | grep -o '↑ copying.*' | cut -c1-60))"
tui_screen | grep -Eq 'Transfers .* total: 1 running  [0-9.]+[KM]/8\.0M  [0-9.]+[BKMG]/s  ETA [0-9]'
ok $? "the panel's title: the total of what runs ($(tui_screen | grep -o 'total: .*'))"
tui_wait '↑ done +100% 8\.0M/8\.0M  [0-9.]+[KM]/s in [0-9.]+s' 60
ok $? "done: the average rate and how long it took ($(tui_screen | grep -o '↑ done.*' | cut -c1-60))"
! tui_screen | grep -q 'total: '; ok $? "nothing runs: no total"
tui_stop

# German: one copy cancelled ("abgebrochen"), one done: the percentages in one column
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
unset LANGUAGE
echo 'delay 60' > "$TMPD/envd.mode"
printf 'small\n' > "$TMPD/up/a-small.txt"
tui_start 140 30
tui_wait "$SB" 15
tui_keys f; tui_wait 'Sandbox: /home/user|sandbox: /home/user' 10
tui_wait 'eight\.bin .*eight\.bin ' 10 # listed on both sides: the copy asks first
tui_keys j c; tui_wait 'existiert' 10 && tui_keys o
tui_wait '↑ kopiere ' 10; tui_keys t x; tui_wait '↑ abgebrochen' 10; tui_keys t
echo pass > "$TMPD/envd.mode"; sleep 0.3
tui_keys k c; tui_wait '↑ fertig' 15
a=$(tui_screen | grep -o '↑ abgebrochen *[0-9]*%' | awk '{print length($0)}')
b=$(tui_screen | grep -o '↑ fertig *[0-9]*%' | awk '{print length($0)}')
[ -n "$a" ] && [ "$a" = "$b" ]
ok $? "German: 'abgebrochen' and 'fertig' rows keep the percentages in one column ($a, $b)"
tui_done
