# lib.sh - helpers for the hostile-backend tests (sourced after tests/tui/lib.sh): a fake E2B
# per mode (fake_hostile.js), and runs of the CLI with their exit code, time and peak RSS.
#
#   fake_start MODE      starts the fake, sets PORT and URL (stopped by fake_stop / cleanup)
#   cli_run SECS ARGS... runs boxtop ARGS against the fake: $RC, $SECS_TOOK, $RSS_KB, and
#                        $TMPD/out, $TMPD/err; killed after SECS (RC 124 then)
#   rss_kb PID           the peak RSS (VmHWM) of a running process, in KiB
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
FAKE_JS="$abs_top_srcdir/tests/hostile/fake_hostile.js"
RSS_MAX_KB=$((256 * 1024))
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
unset E2B_DOMAIN E2B_ACCESS_TOKEN

fake_start() {
    fake_stop
    : > "$TMPD/fake.out"
    node "$FAKE_JS" "$1" > "$TMPD/fake.out" 2>&1 &
    FAKE=$!
    n=200; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
    PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
    URL="http://127.0.0.1:$PORT"
    export E2B_SANDBOX_URL="$URL"
}
fake_stop() {
    [ -n "$FAKE" ] && kill "$FAKE" 2>/dev/null && wait "$FAKE" 2>/dev/null
    FAKE=
}
# what the fake saw: /_stats (request counts per path, streams opened)
fake_stats() { curl -s "$URL/_stats"; }

rss_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# A regression must not take the machine down with it: cap the address space, except under
# ASan (which reserves terabytes of it).
vlimit() {
    if ldd "$BOXTOP" 2>/dev/null | grep -q libasan || [ -n "$BOXTOP_NO_VLIMIT" ]; then :; else
        ulimit -v 4194304; fi
}

cli_run() { # cli_run SECS ARGS...
    limit=$1; shift
    t0=$(date +%s%N)
    rm -f "$TMPD/rss"
    if [ -x /usr/bin/time ]; then
        # GNU time: the exact peak of its child (timeout), which includes boxtop's
        ( vlimit; exec /usr/bin/time -o "$TMPD/rss" -f %M timeout -s KILL "$limit" \
            "$BOXTOP" --api-url "$URL" "$@" ) > "$TMPD/out" 2> "$TMPD/err"
        RC=$?
        RSS_KB=$(tail -1 "$TMPD/rss" 2>/dev/null)
        case $RSS_KB in '' | *[!0-9]*) RSS_KB=999999999 ;; esac
    else
        ( vlimit; exec timeout -s KILL "$limit" "$BOXTOP" --api-url "$URL" "$@" ) \
            > "$TMPD/out" 2> "$TMPD/err" &
        pid=$!
        RSS_KB=0
        # VmHWM is a high-water mark: the last reading is the peak (but for the last 20 ms)
        while kill -0 "$pid" 2>/dev/null; do
            for p in $(pgrep -P "$pid"); do r=$(rss_kb "$p"); [ -n "$r" ] && RSS_KB=$r; done
            sleep 0.02
        done
        wait "$pid"; RC=$?
    fi
    [ "$RC" -eq 137 ] && RC=124 # killed at the time limit
    SECS_TOOK=$(( ($(date +%s%N) - t0) / 1000000000 ))
}

# ok_run NAME REGEX [EXPECTED_RC]: the run ended in time, below the RSS bound, with the
# message on stderr (and the exit code, when given)
ok_run() {
    good=0
    [ "$RC" -ne 124 ] || good=1
    [ "$RSS_KB" -lt "$RSS_MAX_KB" ] || good=1
    [ -z "$2" ] || grep -Eq -- "$2" "$TMPD/err" || good=1
    [ -z "$3" ] || [ "$RC" -eq "$3" ] || good=1
    ok $good "$1 (exit $RC, ${SECS_TOOK}s, peak RSS $((RSS_KB / 1024)) MiB)"
    [ $good -eq 0 ] || { echo "# stderr:"; head -c 2000 "$TMPD/err" | sed 's/^/#   /'; }
}
