# golden.sh - golden-screen tests in the style of tmux's regress/ (sourced after lib.sh; see
# tests/tui/README.md). boxtop runs in tmux on a recorded session (--replay FILE), the test
# sends keys, and `capture-pane -p` must equal a checked-in tests/tui/screens/NAME.screen.
# The wall clock stands still (fixed_clock.so), TZ is UTC and the locale C.UTF-8, so ages,
# times and graphs draw the same on every run. UPDATE_SCREENS=1 writes the screens instead
# (then review them with git diff and commit them with the change that altered them).
#
#   golden_start COLS ROWS ARGS...   boxtop-tui ARGS with the fixed clock
#   golden NAME [SECONDS]            ok when the screen equals screens/NAME.screen (waits for
#                                    it up to SECONDS, default 5; prints a diff otherwise)
#   GOLDEN_MASK='s|$ID|SANDBOX|g'    a sed script applied to the screen first, for what
#                                    changes per run and is not the view's (ids, temp paths)
#   golden_fake SCRIPT.js [VAR=VALUE...]  a loopback fake of E2B cloud (lib.sh's
#                                    fake_cloud_start), its port masked in GOLDEN_MASK
#   golden_start_fake COLS ROWS REGEX [SECONDS]  golden_start against that fake, back once
#                                    REGEX shows (default 10 s) and the second listing is in

GOLDEN_DIR="$abs_top_srcdir/tests/tui/screens"
GOLDEN_SESSION="$GOLDEN_DIR/session.json"
GOLDEN_CLOCK_MS=1764072000000 # session.json's recordedAt: 2025-11-25 12:00:00 UTC

golden_start() {
    TUI_EXPORTS="export LD_PRELOAD='$abs_top_builddir/tests/tui/fixed_clock.so' BOXTOP_FIXED_CLOCK_MS=$GOLDEN_CLOCK_MS TZ=UTC"
    tui_start "$@"
    TUI_EXPORTS=
}

golden_fake() {
    fake_cloud_start "$@"
    GOLDEN_MASK="s|127.0.0.1:$PORT|FAKE|g"
}

golden_start_fake() {
    golden_start "$1" "$2" --api-url "http://127.0.0.1:$PORT"
    tui_wait "$3" "${4:-10}"
    tui_wait 'starts/min 0' 20 # the second listing: the header's count stops changing
}

golden_screen() { tui_screen | sed "${GOLDEN_MASK:-}"; }

golden() {
    want="$GOLDEN_DIR/$1.screen"
    if [ -n "${UPDATE_SCREENS:-}" ]; then
        sleep 1 # let every fetch land
        golden_screen > "$want"
        ok 0 "$1: screens/$1.screen written (review with git diff)"
        return
    fi
    n=$(( ${2:-5} * 20 ))
    while :; do
        golden_screen > "$TMPD/got.screen"
        if cmp -s "$want" "$TMPD/got.screen" || [ "$n" -le 0 ]; then break; fi
        sleep 0.05; n=$((n - 1))
    done
    cmp -s "$want" "$TMPD/got.screen"; r=$?
    TESTN=$((TESTN + 1))
    if [ $r -eq 0 ]; then echo "ok $TESTN - $1 matches screens/$1.screen"; else
        echo "not ok $TESTN - $1 matches screens/$1.screen (UPDATE_SCREENS=1 rewrites it)"
        FAILED=1
        diff -u "$want" "$TMPD/got.screen" | sed 's/^/# /'
    fi
}
