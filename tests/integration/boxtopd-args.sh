#!/usr/bin/env bash
# boxtopd-args.sh: boxtopd's command line takes long options by their whole name only, as
# boxtop does — a typo or a prefix is refused with exit 2 and the usage (getopt_long alone
# would take a unique prefix), a value never echoed back; whole names still work.
. "$(dirname "$0")/lib/boxtopd.sh"
tap_plan 7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { "$BOXTOPD_BIN" "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

rc=$(run --versio)
[ "$rc" = 2 ] && grep -q "unknown option --versio" "$tmp/err" && grep -q "Usage: boxtopd" "$tmp/err"
tap_ok $? "--versio (a prefix) is refused with exit 2 and the usage" "rc=$rc" "$(cat "$tmp/err")"

rc=$(run --api-l=127.0.0.1:1)
[ "$rc" = 2 ] && grep -q "unknown option --api-l$" "$tmp/err" && ! grep -q "127.0.0.1:1" "$tmp/err"
tap_ok $? "--api-l=VALUE is refused, naming the option without its value" "rc=$rc" "$(cat "$tmp/err")"

rc=$(run --state-d "$tmp/s" --print-env)
[ "$rc" = 2 ] && [ ! -e "$tmp/s" ]
tap_ok $? "--state-d DIR (a prefix with a separate value) is refused before anything is made" "rc=$rc"

rc=$(run --nope)
[ "$rc" = 2 ] && grep -q "Usage: boxtopd" "$tmp/err"
tap_ok $? "an unknown option is refused with the usage" "rc=$rc"

rc=$(run --version)
[ "$rc" = 0 ] && grep -q "^boxtopd " "$tmp/out"
tap_ok $? "--version spelled whole works" "rc=$rc" "$(cat "$tmp/out" "$tmp/err")"

rc=$(run --state-dir "$tmp/s2" --print-env)
[ "$rc" = 0 ] && grep -q "E2B_API_URL=" "$tmp/out"
tap_ok $? "--state-dir DIR --print-env spelled whole works" "rc=$rc" "$(cat "$tmp/err")"

rc=$(run --state-dir="$tmp/s3" --log-level=debug --print-env)
[ "$rc" = 0 ] && grep -q "E2B_API_URL=" "$tmp/out"
tap_ok $? "NAME=VALUE forms spelled whole work" "rc=$rc" "$(cat "$tmp/err")"

[ "$_tap_fail" = 0 ]
