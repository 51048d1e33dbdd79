#!/bin/sh
# test_tui_apilog.sh - issue 18's `:api` against a real boxtopd: a kill from the TUI shows up as
# DELETE /sandboxes/ID 204; Enter shows its headers with the key replaced; `y` copies (OSC 52)
# a curl command that performs the same call against boxtopd with E2B_API_KEY set, and the
# boxtop command line; neither the screen nor the copied text holds the key or a token.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..10"
cleanup() { tui_stop; for id in $S1 $S2 $S3; do "$BOXTOP" kill "$id" >/dev/null 2>&1; done; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
bxd_start
S1=$("$BOXTOP" create --timeout 600 --meta role=victim)
S2=$("$BOXTOP" create --timeout 600 --meta role=other)
# hostile bytes in an answer body: a bidi override and an escape sequence in metadata
S3=$("$BOXTOP" create --timeout 600 --meta "evil=a$(printf '\342\200\256')RTL$(printf '\033')[5mX")
TOKEN=$(curl -s -H "X-API-Key: $E2B_API_KEY" "$E2B_API_URL/sandboxes/$S1" |
    sed -n 's/.*"envdAccessToken": *"\([^"]*\)".*/\1/p')
[ -n "$S1" ] && [ -n "$S2" ] && [ -n "$E2B_API_KEY" ]; ok $? "boxtopd up, two sandboxes"

tui_start 200 40
tm set -g set-clipboard on
tui_wait "$S2" 15
tui_keys /; tui_type "$S1"; tui_keys Enter; tui_wait 'Sandboxes \(1 of 3\)'
tui_keys K; tui_wait 'Kill' && tui_keys y
tui_wait "Sandboxes \(0 of 2\)" 10; ok $? "the sandbox is killed from the TUI"

tui_keys Escape; tui_keys :; tui_type api; tui_keys Enter; tui_wait 'API calls'
tui_screen | grep -Eq "DELETE +204 .*/sandboxes/$S1"; ok $? ":api lists DELETE /sandboxes/ID with status 204"
tui_screen | grep -Eq "GET +200 .*/v2/sandboxes"; ok $? ":api lists the list polls (GET 200)"

tui_keys /; tui_type DELETE; tui_keys Enter; tui_wait 'filter: DELETE'
tui_keys Enter; tui_wait 'Request headers'
tui_screen | grep -q 'X-API-Key: \[REDACTED\]'; ok $? "Enter shows the request headers, the key replaced"
SCREEN=$(tui_screen)
tui_keys y; tui_wait 'copied the curl command'
COPIED=$(tm show-buffer 2>/dev/null)
echo "$COPIED" | grep "^curl -sS -X DELETE '$E2B_API_URL/sandboxes/$S1' " | grep -qF -- '-H "X-API-Key: $E2B_API_KEY"' &&
    echo "$COPIED" | grep -qx "boxtop kill $S1"
ok $? "y copies the curl command with \$E2B_API_KEY and the boxtop command line"
echo "$COPIED" | sed 's/^/# copied: /' 

# the copied call, run by a shell with the key in its environment: on S1 it reaches the same
# endpoint (404 now: gone), on S2 it kills it; without the key boxtopd refuses it
CURL=$(echo "$COPIED" | head -1)
c1=$(sh -c "$CURL -o /dev/null -w '%{http_code}'")
c2=$(env -u E2B_API_KEY sh -c "$CURL -o /dev/null -w '%{http_code}'")
c3=$(sh -c "$(echo "$CURL" | sed "s/$S1/$S2/") -o /dev/null -w '%{http_code}'")
gone=$("$BOXTOP" ls --json | grep -c "$S2")
echo "# copied curl: $c1 (again), $c2 (no key), $c3 (other id); $S2 listed: $gone"
[ "$c1" = 404 ] && [ "$c2" = 401 ] && [ "$c3" = 204 ] && [ "$gone" = 0 ]
ok $? "the copied curl performs the call against boxtopd with E2B_API_KEY set"

secret_in() { printf '%s' "$1" | grep -qF -e "$E2B_API_KEY" ${TOKEN:+-e "$TOKEN"}; }
! secret_in "$SCREEN$COPIED"; ok $? "neither the screen nor the copied text holds the key or a token"
tui_keys Escape; tui_keys /; tui_keys C-u; tui_keys Enter
for k in 1 2 3 4 5 6 7 8; do tui_keys Enter; s=$(tui_screen); tui_keys Escape j; secret_in "$s" && break; done
! secret_in "$s"; ok $? "no secret in the details of the newest calls"
# a list answer holding the hostile metadata, opened: the body wraps, the bytes are inert
tui_keys /; tui_keys C-u; tui_type 'GET 200 v2/sandboxes'; tui_keys Enter
tui_wait 'filter: GET 200 v2/sandboxes'; tui_keys Enter; tui_wait 'Response body'
tui_wait 'RTL.u001b.5mX' 5 && ! tui_screen_e | grep -q "$(printf '\342\200\256')" && ! tui_screen_e | grep -q "$(printf '\033')\[5m"
ok $? "hostile bytes of an answer body are sanitized in the API log's detail"
tui_done
