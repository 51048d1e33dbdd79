#!/bin/sh
# test_tui_webhooks.sh - issue 20's webhooks view and `boxtop webhook`, driven as a person would:
# against a real boxtopd (short delivery times: BOXTOPD_WEBHOOK_TIMEOUT_MS/RETRY_MS) with a
# loopback receiver that checks signatures, and against a stand-in for E2B cloud's shapes
# (fake_webhooks.js: no delivery history). Screens are asserted line by line; the secrets must
# never reach the screen, the CLI's output or boxtopd's log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
STATE=$TMPD/bxd
echo "1..36"

cleanup() {
    tui_stop
    bxd_stop_all
    [ -n "$FPID" ] && kill "$FPID" 2>/dev/null && wait "$FPID" 2>/dev/null
    rm -rf "$TMPD"
}
trap cleanup EXIT
js() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const j=JSON.parse(s);console.log($1)})"; }
wait_file() { # wait_file REGEX FILE [SECONDS]
    n=$(( ${3:-10} * 20 )); while [ $n -gt 0 ]; do grep -Eq -- "$1" "$2" 2>/dev/null && return 0; sleep 0.05; n=$((n-1)); done; return 1
}

S_OK=okSecret$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
S_TUI=tuiSecret$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
S_DEAD=deadSecret$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
node "$abs_top_srcdir/tests/tui/fake_webhooks.js" "$TMPD/fport" "$TMPD/recv.log" \
    "{\"ok\":\"$S_OK\",\"tui\":\"$S_TUI\"}" &
FPID=$!
n=100; while [ $n -gt 0 ] && [ ! -s "$TMPD/fport" ]; do sleep 0.05; n=$((n-1)); done
FP=$(cat "$TMPD/fport")

mkdir -p "$STATE"
BOXTOPD_WEBHOOK_TIMEOUT_MS=1000 BOXTOPD_WEBHOOK_RETRY_MS=200 "$BOXTOPD" --foreground \
    --state-dir "$STATE" --api-listen 127.0.0.1:0 --envd-listen 127.0.0.1:0 --log-level debug \
    >> "$TMPD/boxtopd.log" 2>&1 &
DPID=$!
n=200; while [ $n -gt 0 ] && [ ! -s "$STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
export E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL

# ---- the CLI ---------------------------------------------------------------------------------
printf '%s\n' "$S_OK" > "$TMPD/okfile"
OKID=$("$BOXTOP" webhook add --name ok-hook --url "http://127.0.0.1:$FP/hook/ok" --events all \
    --secret-from "$TMPD/okfile" 2> "$TMPD/cli.err")
echo "$OKID" | grep -Eq '^[0-9a-f-]{36}$'; ok $? "webhook add (secret from a file) prints the new id"
DEADID=$(printf '%s' "$S_DEAD" | "$BOXTOP" webhook add --name dead-hook \
    --url "http://127.0.0.1:$FP/hang" --events created --secret-from - 2>> "$TMPD/cli.err")
echo "$DEADID" | grep -Eq '^[0-9a-f-]{36}$'; ok $? "webhook add (secret from stdin)"
"$BOXTOP" webhook add --name x --url http://127.0.0.1:1/ --events all < /dev/null > "$TMPD/o" 2>&1
[ $? -eq 2 ] && grep -q 'secret-from' "$TMPD/o"; ok $? "no secret on a non-terminal stdin: usage error naming --secret-from"
"$BOXTOP" webhook add --name x --url file:///etc/passwd --events all --secret-from "$TMPD/okfile" > "$TMPD/o" 2>&1
[ $? -eq 1 ] && grep -q 'http or https' "$TMPD/o"; ok $? "a file:// URL: boxtopd's 400 message"
"$BOXTOP" webhook add --name x --url http://h/ --events created,exploded --secret-from "$TMPD/okfile" > "$TMPD/o" 2>&1
[ $? -eq 2 ] && grep -q 'exploded' "$TMPD/o"; ok $? "an unknown event type is a usage error"
L=$("$BOXTOP" webhook ls)
echo "$L" | grep -Eq "^$OKID +ok-hook +http://127.0.0.1:$FP/hook/ok +all +yes" &&
    echo "$L" | grep -Eq "^$DEADID +dead-hook +.* +created +yes"
ok $? "webhook ls: a table of both"
"$BOXTOP" webhook ls --json | js "j.length===2 && j.every(w=>!('signatureSecret' in w)) ? 'y' : 'n'" | grep -q y
ok $? "webhook ls --json: both, no secret field"

SB=$("$BOXTOP" create --timeout 600)
wait_file "^ok sandbox.lifecycle.created sig=ok" "$TMPD/recv.log"; ok $? "a signed created event reached the receiver"
# the never-answering receiver: 4 attempts of 1 s, 200 ms apart, then given up
n=0; while [ $n -lt 150 ] && [ "$("$BOXTOP" webhook deliveries "$DEADID" | grep -c 'created .*timed out')" -lt 4 ]; do
    sleep 0.1; n=$((n+1)); done
D=$("$BOXTOP" webhook deliveries "$DEADID")
[ "$(echo "$D" | grep -c 'created .*timed out')" -eq 4 ]; ok $? "webhook deliveries: four timed-out attempts"
"$BOXTOP" webhook deliveries "$DEADID" --json | js "j.map(x=>x.attempt).join(',')" | grep -qx '4,3,2,1'
ok $? "webhook deliveries --json: newest first"
"$BOXTOP" webhook set "$DEADID" --disable --name dead-off > /dev/null &&
    "$BOXTOP" webhook ls --json | js "j.find(w=>w.id==='$DEADID').enabled+' '+j.find(w=>w.id==='$DEADID').name" | grep -qx 'false dead-off'
ok $? "webhook set --disable --name"

# ---- the view against boxtopd -----------------------------------------------------------------
(BOXTOP_STATE_DIR="$STATE" HOME="$TMPD" tui_start 160 40)
tui_wait 'Sandboxes' 10
tui_keys ':'; tui_type 'webhooks'; tui_keys Enter
tui_wait 'Webhooks \(2\)' 10; ok $? ":webhooks opens the view with both webhooks"
tui_wait "ok-hook +http://127.0.0.1:$FP/hook/ok +all +yes +200 [0-9:]{8}" 10
ok $? "ok-hook row: URL, events, enabled, last delivery 200 and its time"
tui_screen | grep -Eq "dead-off +http://127.0.0.1:$FP/hang +created +no +timed out"
ok $? "dead-off row: disabled, last delivery timed out"
tui_screen | grep -Eq 'NAME +URL +EVENTS +ENABLED +LAST DELIVERY'; ok $? "column titles"
tui_keys j Enter
tui_wait 'Deliveries of dead-off' 5; ok $? "Enter opens the deliveries pane of the selected webhook"
tui_wait 'TIME +EVENT +TRY +RESULT' 5
[ "$(tui_screen | grep -Ec 'created +[1-4] +timed out +[0-9]+ ms')" -eq 4 ] &&
    tui_screen | grep -EA1 'TIME +EVENT' | grep -Eq 'created +4 +timed out'
ok $? "the pane shows each of the four attempts, newest first"
tui_keys Escape; tui_wait_gone 'Deliveries of' 5; ok $? "Esc closes the pane"

# n: the form, the secret typed once and drawn as stars; only `killed` checked
tui_keys k n
tui_wait 'New webhook' 5; ok $? "n opens the form"
tui_type 'tui-hook'; tui_keys Tab; tui_type "http://127.0.0.1:$FP/hook/tui"; tui_keys Tab
tui_type "$S_TUI"
tui_wait 'Secret +\*{10}' 5 && ! tui_screen | grep -q "$S_TUI"; ok $? "the secret is drawn as stars"
tui_keys Tab Tab Space Tab Tab Space Tab Space Tab Space Tab Space Tab Enter
tui_wait 'Webhooks \(3\)' 10; ok $? "Save creates the webhook and closes the form"
"$BOXTOP" webhook ls --json | js "JSON.stringify(j.find(w=>w.name==='tui-hook').events)" |
    grep -qx '\["sandbox.lifecycle.killed"\]'
ok $? "the checklist became events [killed]"
"$BOXTOP" kill "$SB" > /dev/null
wait_file "^tui sandbox.lifecycle.killed sig=ok" "$TMPD/recv.log"; ok $? "its deliveries are signed with the secret typed in the form"

# Space toggles, e edits, D deletes (asks)
tui_keys j j
tui_wait 'tui-hook +http' 2
tui_keys Space; sleep 1
"$BOXTOP" webhook ls --json | js "j.find(w=>w.name==='tui-hook').enabled" | grep -qx false &&
    tui_wait 'tui-hook +.* +killed +no ' 5
ok $? "Space disables the webhook"
tui_keys e; tui_wait 'Edit webhook' 5
tui_screen | grep -q 'empty keeps the current secret' && tui_screen | grep -Eq 'Name +tui-hook'
ok $? "e opens the form filled in, the secret left empty"
tui_keys C-e; tui_type 'X2'; tui_keys Tab Tab Tab Space; for i in 1 2 3 4 5 6 7; do tui_keys Tab; done; tui_keys Enter
tui_wait 'tui-hookX2 .* +killed +yes' 10; ok $? "edit renames and enables it"
tui_keys D; tui_wait 'Delete webhook tui-hookX2' 5; ok $? "D asks first"
tui_keys y; tui_wait 'Webhooks \(2\)' 10; ok $? "y deletes it"
S=$(tui_screen)
! { echo "$S" | grep -q "$S_TUI\|$S_OK\|$S_DEAD"; } &&
    ! grep -q "$S_TUI\|$S_OK\|$S_DEAD" "$TMPD/boxtopd.log" "$TMPD/cli.err" && grep -q 'webhooks:' "$TMPD/boxtopd.log"
ok $? "no secret on the screen, in the CLI's messages or in boxtopd's debug log"
tui_keys Escape; tui_wait 'Sandboxes' 5; tui_keys q; tui_wait EXITED 5; tui_stop

# ---- `boxtop webhook add` on a terminal: the secret typed at a prompt without echo -------------
S_PROMPT=promptSecret$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
(BOXTOP_TUI="$BOXTOP"; tui_start 120 10 webhook add --name prompt-hook \
    --url "http://127.0.0.1:$FP/hook/ok" --events killed)
tui_wait 'Signature secret \(not shown\):' 10; ok $? "add on a terminal prompts for the secret"
tui_type "$S_PROMPT"; sleep 0.3
! tui_screen | grep -q "$S_PROMPT"; ok $? "the typed secret is not echoed"
tui_keys Enter; tui_wait EXITED 10
tui_screen | grep -Eq '^[0-9a-f-]{36}$' && [ "$(cat "$TMPD/exit")" = 0 ] && ! tui_screen | grep -q "$S_PROMPT"
ok $? "the webhook is created and its id printed; the secret nowhere on screen"
tui_stop

# ---- the same view against E2B cloud's shapes ----------------------------------------------------
(E2B_API_KEY=e2b_0000000000000000000000000000000000000000 E2B_API_URL="http://127.0.0.1:$FP" \
 HOME="$TMPD" tui_start 160 40)
tui_wait 'Sandboxes' 10
tui_keys ':'; tui_type 'webhooks'; tui_keys Enter
tui_wait 'cloud-hook +https://hooks.example.com/e2b +created,killed +yes +n/a' 10
ok $? "cloud: the webhook listed, last delivery n/a"
tui_wait 'this backend keeps no delivery history' 5; tui_keys Enter
tui_wait 'E2B cloud does not offer one' 5; ok $? "cloud: the deliveries pane says the backend has no delivery history"
tui_keys Escape n; tui_wait 'New webhook' 5
tui_type 'cloud-two'; tui_keys Tab; tui_type 'https://example.org/h'; tui_keys Tab; tui_type 'xyzSecret123456789'
tui_keys Tab Tab Tab Tab Tab Tab Tab Tab Enter
tui_wait 'cloud-two +https://example.org/h +all +yes' 10; ok $? "cloud: n creates a webhook the same way"
tui_keys q Escape q; tui_wait EXITED 5; ok $? "boxtop exits"
tui_done
