# lib.sh - helpers for the tmux-driven TUI tests (sourced). Every test gets its own tmux server
# (-L socket), so nothing else running tmux is touched, and kills only that server at the end.
#
# Usage: tui_start COLSxROWS CMD...   tui_wait TEXT [SECONDS]   tui_screen   tui_keys ...
#        ok COND NAME                  tui_done
# TUI_EXPORTS: shell lines run before boxtop starts (golden.sh fixes the clock with it).

: "${abs_top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${abs_top_srcdir:=$abs_top_builddir}"
BOXTOP_TUI=${BOXTOP_TUI:-$abs_top_builddir/src/tui/boxtop-tui}
TMUX_SOCK="boxtop-t$$"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-tui.XXXXXX")
TESTN=0
FAILED=0

tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

ok() { # ok EXIT_STATUS NAME
    TESTN=$((TESTN + 1))
    if [ "$1" -eq 0 ]; then echo "ok $TESTN - $2"; else
        echo "not ok $TESTN - $2"; FAILED=1
        echo "# screen:"; tui_screen | sed 's/^/#   /'
    fi
}

tui_start() { # tui_start COLS ROWS ARGS... (runs boxtop-tui ARGS in a fresh pane)
    cols=$1 rows=$2; shift 2
    printf '%s\n' "$@" > "$TMPD/args"
    cat > "$TMPD/run.sh" <<EOS
echo \$\$ > "$TMPD/pid"
export TERM=xterm-256color LANG=\${TUI_LANG:-C.UTF-8} LC_ALL=\${TUI_LANG:-C.UTF-8}
export XDG_STATE_HOME=\${XDG_STATE_HOME:-$TMPD/state} # post-mortems stay in the test's dir
${TUI_EXPORTS:-}
exec "$BOXTOP_TUI" "\$@"
EOS
    rm -f "$TMPD/pid" "$TMPD/exit"
    # the pane stays after boxtop exits so the final state can be inspected
    tm new-session -d -s t -x "$cols" -y "$rows" \
        "sh $TMPD/run.sh $* ; echo \$? > $TMPD/exit; echo EXITED; sleep 600"
}

tui_screen() { tm capture-pane -t t -p 2>/dev/null; }
tui_screen_e() { tm capture-pane -t t -p -e 2>/dev/null; }
tui_keys() { tm send-keys -t t "$@"; }
tui_type() { tm send-keys -t t -l "$1"; }
tui_fmt() { tm display-message -t t -p "$1"; }

tui_wait() { # tui_wait REGEX [SECONDS]: 0 when the screen matches
    n=$(( ${2:-5} * 20 ))
    while [ "$n" -gt 0 ]; do
        if tui_screen | grep -Eq -- "$1"; then return 0; fi
        sleep 0.05; n=$((n - 1))
    done
    return 1
}

tui_wait_gone() { # tui_wait_gone REGEX [SECONDS]
    n=$(( ${2:-5} * 20 ))
    while [ "$n" -gt 0 ]; do
        if ! tui_screen | grep -Eq -- "$1"; then return 0; fi
        sleep 0.05; n=$((n - 1))
    done
    return 1
}

# tui_title_safe: no OSC 0 (set title) sequence is on the pane and its title is not "pwned"
# (what the tests' hostile strings try): hostile text was drawn sanitized
tui_title_safe() { ! tui_screen_e | grep -q "$(printf '\033')]0;" && [ "$(tui_fmt '#{pane_title}')" != pwned ]; }
tui_stop() { tm kill-server 2>/dev/null; sleep 0.1; }
tui_done() { tui_stop; rm -rf "$TMPD"; exit 0; }

# tui_boxtopd NAME FIRST LAST: a real boxtopd for this test (boxtopd_start from tests/
# integration/lib/boxtopd.sh, sourced by the caller; its exit also stops tmux and removes
# TMPD); when it does not start, tests FIRST..LAST are "not ok" and the script exits 1.
tui_boxtopd() {
    BOXTOPD_EXIT_HOOK='tui_stop; rm -rf "$TMPD"'
    boxtopd_start "$1" && return 0
    for i in $(seq "$2" "$3"); do echo "not ok $i - boxtopd did not start"; done
    exit 1
}

# fake_cloud_start SCRIPT.js [VAR=VALUE...]: a loopback fake of E2B cloud (tests/tui/SCRIPT.js,
# with those variables) in the background: its pid in FAKE, its port in PORT (waits up to 5 s
# for its "PORT n" line), E2B_API_KEY (a dummy) and E2B_SANDBOX_URL exported for it, and an
# EXIT trap that stops it, tmux and TMPD.
fake_cloud_start() {
    _script=$1
    shift
    : > "$TMPD/fake.out"
    env "$@" node "$abs_top_srcdir/tests/tui/$_script" > "$TMPD/fake.out" 2>&1 &
    FAKE=$!
    trap fake_cloud_cleanup EXIT
    n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
    PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
    export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
    export E2B_SANDBOX_URL="http://127.0.0.1:$PORT"
}
fake_cloud_cleanup() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; tui_stop; rm -rf "$TMPD"; }
