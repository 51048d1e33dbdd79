#!/bin/sh
# test_answers.sh - issue 15.2: boxtopd answers what it refuses with a status and a message
# (checked with curl against a real boxtopd): ids of any length that name nothing 404, %00 in
# a path 400, //sandboxes 404, a 1 MiB metadata value 413, \u0000 in metadata or environment
# 400 (never stored cut short), unknown Connect procedures 404, an invalid enum or base64 400 invalid_argument
# also for a process that does not exist; a sandbox killed while a command streams: the
# official SDK reports a TimeoutError saying it was killed (upstream sandboxKilledDuringRun).
. "$(dirname "$0")/../tui/lib.sh"
. "$abs_top_srcdir/tests/tui/bxd.sh"
echo "1..11"
cleanup() { [ -n "$SB" ] && "$BOXTOP" kill "$SB" >/dev/null 2>&1; bxd_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
bxd_start
H="X-API-Key: $E2B_API_KEY"
code() { # code URL [curl args...]: prints "STATUS BODY"
    u=$1; shift
    curl -s -o "$TMPD/body" -w '%{http_code} ' "$@" "$u"; head -c 300 "$TMPD/body"
}
long=$(head -c 5000 /dev/zero | tr '\0' a)
r=$(code "$E2B_API_URL/sandboxes/$long" -H "$H"); echo "# $r" | cut -c1-120
case $r in "404 "*"doesn't exist"*) ok 0 "a 5000-character id: 404";; *) ok 1 "a 5000-character id: 404";; esac
r=$(code "$E2B_API_URL/sandboxes/%00abc" -H "$H"); echo "# $r"
case $r in "400 "*"NUL"*) ok 0 "%00 in the path: 400 saying so";; *) ok 1 "%00 in the path: 400 saying so";; esac
r=$(code "$E2B_API_URL//sandboxes" -H "$H"); echo "# $r"
case $r in "404 "*) ok 0 "//sandboxes: 404";; *) ok 1 "//sandboxes: 404";; esac
python3 -c 'import json; print(json.dumps({"templateID":"base","metadata":{"a":"x"*(1<<20)}}))' > "$TMPD/big.json"
r=$(code "$E2B_API_URL/sandboxes" -H "$H" -H 'Content-Type: application/json' --data-binary @"$TMPD/big.json"); echo "# $r"
case $r in "413 "*"too large"*) ok 0 "a 1 MiB metadata value: 413 with a message";; *) ok 1 "a 1 MiB metadata value: 413 with a message";; esac
r=$(code "$E2B_API_URL/sandboxes" -H "$H" -H 'Content-Type: application/json' -d '{"templateID":"base","metadata":{"a":"x\u0000y"}}'); echo "# $r"
n=$(curl -s -H "$H" "$E2B_API_URL/v2/sandboxes" | grep -c sandboxID)
case $r in "400 "*'u0000'*) [ "$n" = 0 ]; ok $? "\\u0000 in metadata: 400, nothing created";; *) ok 1 "\\u0000 in metadata: 400";; esac
r=$(code "$E2B_API_URL/sandboxes" -H "$H" -H 'Content-Type: application/json' -d '{"templateID":"base","envVars":{"E":"a\u0000b"}}'); echo "# $r"
case $r in "400 "*) ok 0 "\\u0000 in envVars: 400";; *) ok 1 "\\u0000 in envVars: 400";; esac

SB=$("$BOXTOP" create --timeout 120)
TOK=$(curl -s -H "$H" "$E2B_API_URL/sandboxes/$SB" | sed -n 's/.*"envdAccessToken": *"\([^"]*\)".*/\1/p')
rpc() { code "$E2B_SANDBOX_URL/$1" -H "E2B-Sandbox-Id: $SB" -H 'E2B-Sandbox-Port: 49983' \
    -H 'Content-Type: application/json' ${TOK:+-H "X-Access-Token: $TOK"} -d "$2"; }
r=$(rpc process.Process/Nope '{}'); echo "# $r"
case $r in "404 "*) ok 0 "unknown Connect procedure (process): 404";; *) ok 1 "unknown Connect procedure (process): 404";; esac
r=$(rpc filesystem.Filesystem/Nope '{}'); echo "# $r"
case $r in "404 "*) ok 0 "unknown Connect procedure (filesystem): 404";; *) ok 1 "unknown Connect procedure (filesystem): 404";; esac
r=$(rpc process.Process/SendSignal '{"process":{"pid":999999},"signal":"SIGNAL_NOPE"}'); echo "# $r"
case $r in "400 "*invalid_argument*) ok 0 "invalid enum: 400 invalid_argument";; *) ok 1 "invalid enum: 400 invalid_argument";; esac
r=$(rpc process.Process/SendInput '{"process":{"pid":999999},"input":{"stdin":"!!*"}}'); echo "# $r"
case $r in "400 "*invalid_argument*) ok 0 "invalid base64: 400 invalid_argument";; *) ok 1 "invalid base64: 400 invalid_argument";; esac

SDK=$abs_top_builddir/tests/node_modules/e2b/dist/index.mjs
r=$(timeout 120 node "$abs_top_srcdir/tests/fault/sdk-killed.mjs" "$SDK" 2>&1 | tail -1); echo "# $r"
case $r in "ok "*) ok 0 "a sandbox killed while a command streams: the SDK says it was killed (TimeoutError)";;
    *) ok 1 "a sandbox killed while a command streams: the SDK says it was killed (TimeoutError)";; esac
exit 0
