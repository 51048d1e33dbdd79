#!/bin/bash
# test_not_found.sh - issue 24 point 8: `logs` and `metrics` on an unknown sandbox id exit 3
# with "not found" (plain, --json, --follow), as info/exec/kill do; boxtopd answers the logs
# and metrics of an unknown sandbox 404 as E2B does; `:logs nosuchid` in the TUI says so.
# A known sandbox's logs and metrics still work, also after it was killed.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
N=14
echo "1..$N"
tui_boxtopd not-found 1 $N
NOID=inosuchsandbox0000000
check() { # check NAME CMD...: exit 3 and "not found" on stderr, nothing on stdout
    local name=$1; shift
    timeout 20 "$BOXTOP" "$@" >"$TMPD/out" 2>"$TMPD/err"; local rc=$?
    [ $rc -eq 3 ] && grep -qi 'not found' "$TMPD/err" && [ ! -s "$TMPD/out" ]
    ok $? "$name (exit $rc: $(head -c 200 "$TMPD/err" | tr '\n' ' ') out: $(head -c 100 "$TMPD/out"))"
}
check "logs of an unknown id" logs "$NOID"
check "logs --json of an unknown id" logs --json "$NOID"
check "logs --follow of an unknown id" logs --follow "$NOID"
check "metrics of an unknown id" metrics "$NOID"
check "metrics --json of an unknown id" metrics --json "$NOID"
check "metrics --follow of an unknown id" metrics --follow "$NOID"
boxtopd_api GET "/v2/sandboxes/$NOID/logs"; [ "$BOXTOPD_STATUS" = 404 ]; ok $? "boxtopd: v2 logs of an unknown sandbox is 404 ($BOXTOPD_STATUS)"
boxtopd_api GET "/sandboxes/$NOID/logs"; [ "$BOXTOPD_STATUS" = 404 ]; ok $? "boxtopd: v1 logs of an unknown sandbox is 404 ($BOXTOPD_STATUS)"

ID=$(boxtopd_new_sandbox)
"$BOXTOP" logs "$ID" >"$TMPD/out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ -s "$TMPD/out" ]; ok $? "a known sandbox's logs still print (exit $rc)"
"$BOXTOP" kill "$ID" >/dev/null 2>&1
"$BOXTOP" logs "$ID" >"$TMPD/out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ -s "$TMPD/out" ]; ok $? "a killed sandbox's logs still print (exit $rc)"

# servers that answer an unknown id's history with 200 and nothing (E2B cloud's metrics can):
# the sandbox itself is asked about
cat > "$TMPD/empty.js" <<'EOJ'
const http = require('http');
http.createServer((req, res) => {
  const p = req.url.split('?')[0];
  const send = (st, b) => { res.writeHead(st, {'content-type': 'application/json'}); res.end(JSON.stringify(b)); };
  if (/\/metrics$/.test(p)) return send(200, []);
  if (/\/logs$/.test(p)) return send(200, {logs: [], logEntries: []});
  send(404, {code: 404, message: 'sandbox not found'});
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
EOJ
node "$TMPD/empty.js" > "$TMPD/empty.port" & EPID=$!
for i in $(seq 1 100); do grep -q PORT "$TMPD/empty.port" && break; sleep 0.05; done
EPORT=$(sed -n 's/PORT //p' "$TMPD/empty.port")
E2B_API_URL=http://127.0.0.1:$EPORT check "metrics, cloud shape (200 [] for an unknown id)" metrics "$NOID"
E2B_API_URL=http://127.0.0.1:$EPORT check "logs, cloud shape (200 and no entries for an unknown id)" logs "$NOID"
kill $EPID; wait $EPID 2>/dev/null

tui_start 120 30
tui_wait 'running' 15
tui_keys :; tui_type "logs $NOID"; tui_keys Enter
tui_wait "not found" 10; ok $? ":logs on an unknown id says not found"
tui_screen | grep -q "Logs $NOID"; st=$?; [ $st -ne 0 ]; ok $? ":logs on an unknown id opens no empty view"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
