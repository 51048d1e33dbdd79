#!/bin/sh
# test_faults.sh - issue 15.4: boxtop and the CLI behind a loopback fault proxy
# (tests/fault/proxy.c) in front of a real boxtopd's API and envd ports. A 30 s stall: keys
# are answered at once (measured), the list is back when it heals. A connection dropped
# mid-response: the status line names the failure, the list recovers. 300 ms per read: the
# list still loads. A 200 MiB download reset and one truncated mid-way: the CLI fails with a
# message, nothing under the final name, and the retry after healing is byte-identical.
. "$(dirname "$0")/../tui/lib.sh"
. "$abs_top_srcdir/tests/tui/bxd.sh"
PROXY=$abs_top_builddir/tests/fault/proxy
echo "1..21"
PIDS=
cleanup() {
    tui_stop
    [ -n "$SB" ] && "$BOXTOP" kill "$SB" >/dev/null 2>&1
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    bxd_stop; rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
API=$E2B_API_URL SBX=$E2B_SANDBOX_URL
SB=$("$BOXTOP" create --timeout 600)
sb=$(echo "$SB" | cut -c1-16)
proxy() { # proxy NAME URL: a proxy in front of URL's port, its mode in $TMPD/NAME.mode
    echo pass > "$TMPD/$1.mode"
    "$PROXY" -t "127.0.0.1:${2##*:}" -c "$TMPD/$1.mode" -p "$TMPD/$1.port" 2>> "$TMPD/proxy.log" &
    PIDS="$PIDS $!"
    n=100; while [ $n -gt 0 ] && [ ! -s "$TMPD/$1.port" ]; do sleep 0.05; n=$((n-1)); done
}
proxy api "$API"; proxy envd "$SBX"
mode() { echo "$2" > "$TMPD/$1.mode"; sleep 0.3; }
PAPI=http://127.0.0.1:$(cat "$TMPD/api.port") PENVD=http://127.0.0.1:$(cat "$TMPD/envd.port")
ms() { date +%s%3N; }
key_ms() { # key_ms KEY REGEX: milliseconds until the screen answers KEY
    t0=$(ms); tui_keys "$1"
    while ! tui_screen | grep -Eq "$2"; do [ $(( $(ms) - t0 )) -gt 5000 ] && break; done
    echo $(( $(ms) - t0 ))
}

E2B_API_URL=$PAPI E2B_SANDBOX_URL=$PENVD tui_start 140 30
tui_wait "$sb" 30; ok $? "through the proxy: the sandbox is listed"

mode api stall
sleep 6 # a poll (every 5 s) is now hanging in the stall
worst=0
for i in 1 2 3; do
    a=$(key_ms '?' 'Sandboxes view|Keys|help') ; b=$(key_ms Escape 'Sandboxes \(')
    for v in $a $b; do [ "$v" -gt "$worst" ] && worst=$v; done
done
echo "# slowest key answer during the stall: $worst ms (tmux capture included)"
[ "$worst" -lt 1000 ]; ok $? "during a stall keys are answered at once (slowest ${worst} ms)"
sleep 24 # 30 s of stall in all
mode api pass
"$BOXTOP" create --timeout 600 > "$TMPD/sb2" && SB2=$(cut -c1-16 "$TMPD/sb2")
tui_wait "$SB2" 40; ok $? "after the 30 s stall heals the list is current again"
"$BOXTOP" kill "$(cat "$TMPD/sb2")" >/dev/null 2>&1

mode api "drop 300"
tui_wait 'unreachable|error|fail' 30; ok $? "a connection dropped mid-response is named in the status line"
echo "# status: $(tui_screen | tail -1)"
tui_screen | grep -q OFFLINE; ok $? "the header says OFFLINE"
mode api pass
tui_wait_gone OFFLINE 30 && tui_wait "$sb" 5; ok $? "healed: online again, the sandbox listed"

mode api "delay 300"
"$BOXTOP" create --timeout 600 > "$TMPD/sb3" && SB3=$(cut -c1-16 "$TMPD/sb3")
tui_wait "$SB3" 40; ok $? "300 ms per read: the list still loads"
a=$(key_ms '?' 'Sandboxes view|Keys|help'); tui_keys Escape
[ "$a" -lt 1000 ]; ok $? "300 ms per read: keys answered at once ($a ms)"
mode api pass
"$BOXTOP" kill "$(cat "$TMPD/sb3")" >/dev/null 2>&1
tui_keys q; tui_wait EXITED 10

# 200 MiB download through the envd proxy, reset and truncated mid-way
head -c $((200 * 1024 * 1024)) /dev/urandom > "$TMPD/big"
"$BOXTOP" cp "$TMPD/big" "$SB:/tmp/big" >/dev/null 2>&1
sum=$(sha256sum < "$TMPD/big"); rm -f "$TMPD/big"
mkdir "$TMPD/dl"
mode envd "reset 50000000"
E2B_SANDBOX_URL=$PENVD "$BOXTOP" cp "$SB:/tmp/big" "$TMPD/dl/big" > "$TMPD/cp.out" 2>&1; rc=$?
echo "# reset: rc=$rc $(head -c 300 "$TMPD/cp.out")"
[ $rc -ne 0 ] && [ -s "$TMPD/cp.out" ] && [ ! -e "$TMPD/dl/big" ]
ok $? "a reset at 50 MB of 200 MiB: the download fails with a message, nothing under the final name"
mode envd "truncate 30000000"
E2B_SANDBOX_URL=$PENVD "$BOXTOP" cp "$SB:/tmp/big" "$TMPD/dl/big" > "$TMPD/cp.out" 2>&1; rc=$?
echo "# truncate: rc=$rc $(head -c 300 "$TMPD/cp.out")"
[ $rc -ne 0 ] && [ ! -e "$TMPD/dl/big" ]
ok $? "a body truncated at 30 MB: the download fails, nothing under the final name"
ls -A "$TMPD/dl" | sed 's/^/# left in the directory: /'
mode envd pass
E2B_SANDBOX_URL=$PENVD "$BOXTOP" cp "$SB:/tmp/big" "$TMPD/dl/big" > "$TMPD/cp.out" 2>&1 &&
    [ "$(sha256sum < "$TMPD/dl/big")" = "$sum" ]
ok $? "healed: the retry is byte-identical"
[ "$(ls -A "$TMPD/dl")" = big ]; ok $? "no partial files left beside it"

# the official SDK through the same proxies (8 checks, TAP lines numbered here)
SDK=$abs_top_builddir/tests/node_modules/e2b/dist/index.mjs
E2B_API_URL=$PAPI E2B_SANDBOX_URL=$PENVD E2B_API_KEY=$E2B_API_KEY timeout 300 node \
    "$abs_top_srcdir/tests/fault/sdk-faults.mjs" "$SDK" "$SB" "$TMPD/api.mode" "$TMPD/envd.mode" \
    /tmp/big > "$TMPD/sdk.tap" 2>&1
grep '^#' "$TMPD/sdk.tap"
grep -E '^(not )?ok' "$TMPD/sdk.tap" > "$TMPD/sdk.ok"
while read -r line; do
    case $line in "ok - "*) ok 0 "SDK: ${line#ok - }";; *) ok 1 "SDK: ${line#not ok - }";; esac
done < "$TMPD/sdk.ok"
[ "$(grep -c '^ok' "$TMPD/sdk.ok")" = 8 ]; ok $? "the SDK script ran all 8 checks ($(grep -c '^ok' "$TMPD/sdk.ok") passed)"
grep -v -E '^(not )?ok|^#' "$TMPD/sdk.tap" | head -20 | sed 's/^/# sdk: /'
tui_done
