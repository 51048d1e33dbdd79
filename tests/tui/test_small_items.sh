#!/bin/bash
# test_small_items.sh - issue 24 point 14, the smaller items: the `:` line completes sandbox
# ids and a second Tab lists the choices; the team graph of a sandbox that ran all along is a
# solid line and has a time axis (a cloud-shaped fake: 30 s steps); against boxtopd: logs in
# UTC have a space before the level, the save prompt a space after its colon, the file viewer
# expands tabs, copy mode's `/` starts empty (typing does not append to the last term), and
# `:events` after a boxtopd restart shows the `paused` that goes with the `resumed`.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
N=9
echo "1..$N"
REPLAY=$abs_top_srcdir/tests/tui/three.json

# ---- `:` completion (replay) ----
tui_start 120 30 --replay "$REPLAY"
tui_wait 'Sandboxes \(3 of 3\)' 8
IDS=$(grep -o '"sandboxID":"[^"]*"' "$REPLAY" | cut -d'"' -f4)
FIRST=ibx2paused00000000002
tui_keys :; tui_type "logs ibx2"; tui_keys Tab; sleep 0.3
tui_screen | tail -1 | grep -q "^:logs $FIRST"; ok $? ":logs + Tab completes a sandbox id ($FIRST)"
tui_keys C-u; tui_type "logs "; tui_keys Tab; sleep 0.2; tui_keys Tab; sleep 0.3
n=0; for i in $IDS; do tui_screen | tail -2 | head -1 | grep -q -- "$i" && n=$((n+1)); done
[ "$n" -eq 3 ]; ok $? "a second Tab lists the ids that match ($n of 3 shown)"
tui_keys Escape
tui_stop

# ---- team graph (a cloud-shaped fake: a sample every 30 s over the last hour) ----
cat > "$TMPD/team.js" <<'EOJ'
const http = require('http');
http.createServer((req, res) => {
  const p = req.url.split('?')[0], t = Math.floor(Date.now() / 1000);
  const send = (st, b) => { res.writeHead(st, {'content-type': 'application/json'}); res.end(JSON.stringify(b)); };
  if (/^\/teams\/[^/]+\/metrics$/.test(p)) {
    const out = [];
    for (let s = t - 3540; s <= t; s += 30)
      out.push({timestampUnix: s - s % 30, timestamp: new Date((s - s % 30) * 1000).toISOString(), concurrentSandboxes: 1, sandboxStartRate: 0});
    return send(200, out);
  }
  if (/^\/teams\/[^/]+\/metrics\/max$/.test(p)) return send(200, {timestampUnix: t, value: 1});
  if (p === '/v2/sandboxes' || p === '/sandboxes') return send(200, []);
  if (p === '/sandboxes/metrics') return send(200, {sandboxes: {}});
  send(404, {code: 404, message: 'no route'});
}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });
EOJ
node "$TMPD/team.js" > "$TMPD/team.port" & TPID=$!
for i in $(seq 1 100); do grep -q PORT "$TMPD/team.port" && break; sleep 0.05; done
TPORT=$(sed -n 's/PORT //p' "$TMPD/team.port")
E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef E2B_TEAM_ID=team1 \
    E2B_SANDBOX_URL=http://127.0.0.1:$TPORT tui_start 120 30 --api-url "http://127.0.0.1:$TPORT"
tui_wait 'running 0' 10
tui_keys :; tui_type team; tui_keys Enter
tui_wait 'Concurrent sandboxes +now 1' 10
# the graph's lowest row, from its first dot to its last
row=$(tui_screen | sed -n '/Concurrent sandboxes/,/Sandbox start rate/p' | grep '│' | tail -1 | sed 's/^[^│]*│//')
inner=$(printf '%s' "$row" | sed -E 's/^[ ⠀]+//; s/[ ⠀]+$//')
# every cell but the two ends full (⣿): a bin without a sample of its own holds the last one
middle=${inner:1:$((${#inner} - 2))}
[ "${#inner}" -gt 40 ] && [ -z "$(printf '%s' "$middle" | sed 's/⣿//g')" ]
ok $? "a sandbox that ran all along is a solid line (${#inner} cells: $inner)"
tui_screen | sed -n '/Concurrent sandboxes/,/Sandbox start rate/p' | grep -Eq '^ +[0-9]{2}:[0-9]{2} .* [0-9]{2}:[0-9]{2} .* [0-9]{2}:[0-9]{2} *$'
ok $? "the graph has a time axis"
tui_stop
kill $TPID; wait $TPID 2>/dev/null

# ---- against boxtopd ----
tui_boxtopd small-items 5 $N
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- sh -c 'printf "a\tb\n12345678\tc\n" > /home/user/tabs.txt'
mkdir -p "$TMPD/local"; cd "$TMPD/local"
tui_start 160 30
tui_wait "$ID" 15
tui_keys :; tui_type "logs $ID"; tui_keys Enter
tui_wait 'INFO' 10; tui_keys T; sleep 0.3
tui_screen | grep -Eq '[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z +INFO'; ok $? "UTC log times have a space before the level"
tui_keys w; sleep 0.3
tui_screen | tail -1 | grep -q 'save visible lines to: boxtop-logs'; ok $? "the save prompt has a space after its colon"
tui_keys Escape; tui_keys Escape; tui_wait "$ID" 5
tui_keys f; tui_wait 'tabs.txt' 10
tui_keys Tab; tui_keys '/'; tui_type tabs; tui_keys Enter; tui_keys v
tui_wait '^a       b *$' 8 && tui_wait '^12345678        c *$' 2; ok $? "the viewer expands tabs to 8-column stops"
tui_keys q; tui_keys q; tui_wait "$ID" 5
# copy mode: the second `/` starts empty
pfx() { tui_keys C-]; tui_keys "$@"; }
tui_keys :; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
tui_type 'echo FIRST-TERM SECOND-TERM'; tui_keys Enter; tui_wait '^FIRST-TERM' 5
pfx '['; tui_wait 'COPY [0-9]+/' 5
tui_keys '/'; tui_type 'FIRST-TERM'; tui_keys Enter; sleep 0.3
tui_keys '/'; sleep 0.3
tui_screen | tail -1 | grep -Eq '^/ *$'; st=$?
tui_type 'SECOND-TERM'; sleep 0.2
tui_screen | tail -1 | grep -Eq '^/SECOND-TERM *$' || st=1
ok $st "copy mode's / starts empty; typing does not append to the last term"
tui_keys Escape; tui_keys q
tui_stop

# ---- events across a boxtopd restart ----
boxtopd_restart
"$BOXTOP" resume "$ID" >/dev/null 2>&1
tui_start 160 30
tui_wait "$ID" 15
tui_keys :; tui_type events; tui_keys Enter
tui_wait "resumed +$ID" 10 && tui_wait "paused +$ID" 2; ok $? ":events after a restart shows the paused that goes with the resumed"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
