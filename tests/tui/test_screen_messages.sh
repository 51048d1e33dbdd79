#!/bin/bash
# test_screen_messages.sh - `:messages` (!): every error and notice of the session with time,
# severity, the whole text and the raw detail behind it; errors in words (what failed, why,
# what to do) while curl's and the server's raw texts stay in the detail; secrets in neither
# (nor in the header); the retry after a backend error counts down live and R tries at once.
# Against a fake of E2B cloud that answers 500 twice and then recovers, and a URL where nothing
# listens; golden screens at 80x24 and 160x30, German too (golden.sh).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..16"
no_key() { ! tui_screen | grep -Eq "0000000000|deadbeef|cafe0000|token|alice"; }
status() { tui_screen | tail -1; }
left() { tui_screen | sed -n 2p | sed -n 's/.*trying again in \([0-9]*\) s.*/\1/p'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

golden_fake fake_cloud_flaky.js FAIL_LISTS=2
golden_start 80 24 --api-url "http://127.0.0.1:$PORT"
tui_wait 'answers with an error: server error \(HTTP 500\)' 15
ok $? "a 500 is said in words, the server's JSON is not ($(status))"
status | grep -q '! more *$'; ok $? "the cut message says where the rest is (! more)"
tui_wait 'OFFLINE +trying again in [4-6] s' 8; a=$(left); sleep 2.3; b=$(left)
[ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt "$a" ]
ok $? "the header counts down to the next try, live ($a s, then $b s)"
# the next round fails too (the fake's second 500); then R, with seconds left on the clock
r=; n=0
while [ $n -lt 200 ]; do
    r=$(left); [ -n "$r" ] && [ "$r" -gt "$b" ] && [ "$r" -ge 4 ] && break
    r=; sleep 0.05; n=$((n + 1))
done
t0=$(now_ms); tui_keys R
tui_wait 'iflaky1' 10 && tui_wait_gone OFFLINE 2; st=$?; took=$(($(now_ms) - t0))
[ $st = 0 ] && [ -n "$r" ] && [ "$took" -lt $(( (r - 1) * 1000 )) ]
ok $? "R tries at once (listed after $took ms; the next try was $r s away)"
tui_keys '!'
GOLDEN_MASK="$GOLDEN_MASK;s/updated [0-9:]*/updated T/;s|starts/min [0-9?]*|starts/min N|"
golden messages_80
no_key; ok $? "the key the server echoed in its body is redacted in the detail"
tui_keys '?'
tui_wait '! +messages: every error and notice' 3; ok $? "help names the key (!)"
tui_keys q; tui_keys Escape; tui_keys : ; tui_type messages; tui_keys Enter
tui_wait 'Messages \(3 of this session' 3; ok $? ":messages opens the same view"
tui_stop

# German, 80x24: another key, so the fake fails anew
export E2B_API_KEY=e2b_cafe000000000000000000000000000000000000
mkdir -p "$TMPD/locale/de/LC_MESSAGES"
msgfmt -o "$TMPD/locale/de/LC_MESSAGES/boxtop.mo" "$abs_top_srcdir/po/de.po"
(
    export BOXTOP_LOCALEDIR="$TMPD/locale" TUI_LANG=de_DE.UTF-8
    unset LANGUAGE
    GOLDEN_MASK="s|127.0.0.1:$PORT|FAKE|g;s/neuer Versuch in [0-9]* s/neuer Versuch in N s/"
    GOLDEN_MASK="$GOLDEN_MASK;s/neuer Versuch läuft…/neuer Versuch in N s/"
    golden_start 80 24 --api-url "http://127.0.0.1:$PORT"
    tui_wait 'antwortet mit einem Fehler: Serverfehler \(HTTP 500\)' 15
    ok $? "German: the error in words ($(status))"
    status | grep -q '! mehr *$'; ok $? "German: the cut message points to !"
    tui_keys '!'
    golden messages_de_80
    exit $FAILED
) || FAILED=1
TESTN=$((TESTN + 3))
tui_stop

# the key in the URL of a request that fails: not in the header, the status line or :messages
CLOSED=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BAD="http://alice:$E2B_API_KEY@127.0.0.1:$CLOSED/base?token=$E2B_API_KEY"
GOLDEN_MASK="s|127.0.0.1:$CLOSED|CLOSED|g;s|port $CLOSED|port CLOSED|g;s/after [0-9]* ms/after N ms/"
GOLDEN_MASK="$GOLDEN_MASK;s/trying again in [0-9]* s/trying again in N s/;s/trying again now…/trying again in N s/"
golden_start 160 30 --api-url "$BAD"
tui_wait 'backend unreachable: nothing answers at http://127.0.0.1:[0-9]+/base \(connection refused\): is the server running' 20
ok $? "nothing listens: said in words, with what to do ($(status | cut -c1-150))"
! status | grep -q "Couldn't"; ok $? "curl's text is not in the status line"
no_key; ok $? "the key in the URL's user info and query is not in the header or status line"
tui_keys '!'
golden messages_refused_160
no_key; ok $? "nor in :messages"
tui_done
