# boxtopd.sh - the bash twin of boxtopd.mjs, for tests that drive programs in tmux.
# Source it, then:
#   boxtopd_start NAME        start boxtopd on free loopback ports with a temporary state dir;
#                             exports E2B_API_URL, E2B_SANDBOX_URL, E2B_API_KEY (+ HOME,
#                             NODE_OPTIONS, NO_UPDATE_NOTIFIER for the CLI); returns 1 on failure
#   boxtopd_api METHOD PATH [JSON]   curl the platform API with the key; sets
#                             $BOXTOPD_STATUS and $BOXTOPD_BODY (no subshell, so call it bare)
#   boxtopd_json EXPR         read JSON on stdin, print the JS expression EXPR over `j`
#   boxtopd_new_sandbox       POST /sandboxes (template base, 600 s to live); prints its id
#   boxtopd_restart           SIGTERM boxtopd and start it again on the same state dir (new
#                             ports: E2B_API_URL and E2B_SANDBOX_URL exported anew)
#   boxtopd_teardown          kill every sandbox via the API, SIGTERM boxtopd (SIGKILL after
#                             15 s), check that no process of the instance is left; sets
#                             $BOXTOPD_PROBLEMS and returns 1 if there are any (call it bare:
#                             it must `wait` for boxtopd, its child)
#   e2b ARGS...               the pinned official CLI
# plus TAP helpers: tap_plan N, tap_ok COND_STATUS NAME [DIAG], tap_done.

_bx_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${abs_top_srcdir:=$(cd "$_bx_here/../../.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
export abs_top_srcdir abs_top_builddir
BOXTOPD_BIN=${BOXTOPD:-$abs_top_builddir/src/boxtopd}
BOXTOPD_LOGDIR=$abs_top_builddir/tests/integration/logs
if [ -d "$abs_top_builddir/tests/node_modules/e2b" ]; then
    BOXTOP_NODE_MODULES=$abs_top_builddir/tests/node_modules
else
    BOXTOP_NODE_MODULES=$abs_top_srcdir/tests/node_modules
fi
unset E2B_DOMAIN E2B_DEBUG E2B_ACCESS_TOKEN E2B_API_KEY E2B_API_URL E2B_SANDBOX_URL

_tap_n=0
_tap_fail=0
tap_plan() { echo "1..$1"; }
# tap_ok STATUS NAME [DIAGNOSTIC...]: STATUS 0 = pass.
tap_ok() {
    local st=$1 name=$2
    shift 2
    _tap_n=$((_tap_n + 1))
    if [ "$st" = 0 ]; then
        echo "ok $_tap_n - $name"
    else
        _tap_fail=$((_tap_fail + 1))
        echo "not ok $_tap_n - $name"
        local l
        for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
    fi
}

boxtopd_json() { node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{let j;try{j=JSON.parse(s)}catch{process.exit(2)};const v=('"$1"');process.stdout.write(typeof v==="string"?v:JSON.stringify(v))})'; }

boxtopd_new_sandbox() {
    boxtopd_api POST /sandboxes '{"templateID":"base","timeout":600}'
    printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.sandboxID'
}

e2b() { node "$BOXTOP_NODE_MODULES/@e2b/cli/dist/index.js" "$@"; }

boxtopd_start() {
    local name=$1 i
    mkdir -p "$BOXTOPD_LOGDIR"
    BOXTOPD_STATE=$(mktemp -d "${TMPDIR:-/tmp}/boxtopd-$name-XXXXXX")
    BOXTOPD_LOG=$BOXTOPD_LOGDIR/$name.boxtopd.log
    BOXTOPD_CLI_HOME=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-cli-home-XXXXXX")
    BOXTOPD_SEEN_IDS=
    "$BOXTOPD_BIN" --foreground --state-dir "$BOXTOPD_STATE" --api-listen 127.0.0.1:0 \
        --envd-listen 127.0.0.1:0 >"$BOXTOPD_LOG" 2>&1 </dev/null &
    BOXTOPD_PID=$!
    local json=$BOXTOPD_STATE/boxtopd.json info=
    for i in $(seq 1 300); do
        if ! kill -0 "$BOXTOPD_PID" 2>/dev/null; then break; fi
        if [ -s "$json" ] && info=$(boxtopd_json 'j.pid+" "+j.apiUrl+" "+j.sandboxUrl' <"$json") \
            && [ "${info%% *}" = "$BOXTOPD_PID" ]; then
            break
        fi
        info=
        sleep 0.05
    done
    if [ -z "$info" ]; then
        echo "# boxtopd did not write $json within 15 s; log tail:"
        tail -20 "$BOXTOPD_LOG" | sed 's/^/#   /'
        kill -9 "$BOXTOPD_PID" 2>/dev/null
        wait "$BOXTOPD_PID" 2>/dev/null
        rm -rf "$BOXTOPD_STATE" "$BOXTOPD_CLI_HOME"
        BOXTOPD_PID=
        return 1
    fi
    set -- $info
    E2B_API_URL=$2
    E2B_SANDBOX_URL=$3
    E2B_API_KEY=$(cat "$BOXTOPD_STATE/api-key")
    case "$E2B_API_URL $E2B_SANDBOX_URL" in
    http://127.0.0.1:*' 'http://127.0.0.1:*) ;;
    *) echo "# non-loopback URLs in boxtopd.json"; boxtopd_teardown >/dev/null; return 1 ;;
    esac
    export E2B_API_URL E2B_SANDBOX_URL E2B_API_KEY
    export NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1 HOME=$BOXTOPD_CLI_HOME
    export NODE_OPTIONS="--require $_bx_here/loopback-only.cjs"
    printf '%s' "$E2B_API_KEY" | sha256sum | cut -d' ' -f1 >>"$BOXTOPD_LOGDIR/$name.secrets"
    BOXTOPD_NAME=$name
    # A test killed half-way (SIGPIPE, ^C) must not leave its boxtopd behind.
    trap '_bx_on_exit' EXIT
    trap 'exit 130' INT TERM HUP PIPE
    return 0
}

boxtopd_restart() {
    kill -TERM "$BOXTOPD_PID"; wait "$BOXTOPD_PID"
    rm -f "$BOXTOPD_STATE/boxtopd.json"
    "$BOXTOPD_BIN" --foreground --state-dir "$BOXTOPD_STATE" --api-listen 127.0.0.1:0 \
        --envd-listen 127.0.0.1:0 >>"$BOXTOPD_LOG" 2>&1 </dev/null &
    BOXTOPD_PID=$!
    local i info=
    for i in $(seq 1 300); do
        info=$({ boxtopd_json 'j.pid+" "+j.apiUrl+" "+j.sandboxUrl' <"$BOXTOPD_STATE/boxtopd.json"; } 2>/dev/null)
        [ "${info%% *}" = "$BOXTOPD_PID" ] && break
        sleep 0.05
    done
    set -- $info
    export E2B_API_URL=$2 E2B_SANDBOX_URL=$3
}

_bx_on_exit() {
    if [ -n "${BOXTOPD_PID:-}" ]; then boxtopd_teardown >/dev/null 2>&1; fi
    [ -z "${BOXTOPD_EXIT_HOOK:-}" ] || eval "$BOXTOPD_EXIT_HOOK"
}

boxtopd_api() {
    local method=$1 path=$2 body=${3-} out
    out=$(mktemp)
    if [ -n "$body" ]; then
        BOXTOPD_STATUS=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X "$method" \
            -H "X-API-Key: $E2B_API_KEY" -H 'Content-Type: application/json' -H 'Expect:' \
            --data-binary "$body" "$E2B_API_URL$path")
    else
        BOXTOPD_STATUS=$(curl -s -o "$out" -w '%{http_code}' --max-time 30 -X "$method" \
            -H "X-API-Key: $E2B_API_KEY" "$E2B_API_URL$path")
    fi
    BOXTOPD_BODY=$(cat "$out")
    rm -f "$out"
}

_bx_descendants() { # pids below $1
    ps -e -o pid=,ppid= | awk -v root="$1" '
        { parent[$1] = $2 }
        END { for (p in parent) { q = p; while (q in parent && q != 1 && q != 0) { q = parent[q]; if (q == root) { print p; break } } } }'
}

boxtopd_teardown() {
    local problems=() ids id st pids p i
    if [ -n "${BOXTOPD_PID:-}" ] && kill -0 "$BOXTOPD_PID" 2>/dev/null; then
        boxtopd_api GET '/v2/sandboxes?state=running,paused&limit=100'
        ids=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.map(s=>s.sandboxID).join(" ")')
        [ "$BOXTOPD_STATUS" = 200 ] || problems+=("GET /v2/sandboxes → $BOXTOPD_STATUS")
        BOXTOPD_SEEN_IDS="$BOXTOPD_SEEN_IDS $ids"
        for id in $ids; do
            boxtopd_api DELETE "/sandboxes/$id"
            case $BOXTOPD_STATUS in 204 | 404) ;; *) problems+=("DELETE /sandboxes/$id → $BOXTOPD_STATUS") ;; esac
        done
        pids=$(_bx_descendants "$BOXTOPD_PID")
        for id in $BOXTOPD_SEEN_IDS; do
            pids="$pids $(grep -l -- "$id" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3)"
        done
        kill -TERM "$BOXTOPD_PID"
        for i in $(seq 1 150); do kill -0 "$BOXTOPD_PID" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$BOXTOPD_PID" 2>/dev/null; then
            problems+=("boxtopd ignored SIGTERM for 15 s")
            kill -KILL "$BOXTOPD_PID"
        fi
        wait "$BOXTOPD_PID"
        st=$?
        [ "$st" = 0 ] || problems+=("boxtopd exited with status $st after SIGTERM")
        [ ! -e "$BOXTOPD_STATE/boxtopd.json" ] || problems+=("boxtopd.json left after exit")
        sleep 0.3
        local left=()
        for p in $pids; do
            [ "$p" = "$$" ] && continue
            if [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null; then
                left+=("$p($(cat /proc/$p/comm 2>/dev/null))")
                kill -KILL "$p" 2>/dev/null
            fi
        done
        [ ${#left[@]} = 0 ] || problems+=("processes left: ${left[*]}")
        local cg=()
        for id in $BOXTOPD_SEEN_IDS; do
            while IFS= read -r p; do [ -n "$p" ] && cg+=("$p"); done \
                < <(find /sys/fs/cgroup -maxdepth 4 -type d -name "*$id*" 2>/dev/null)
        done
        [ ${#cg[@]} = 0 ] || problems+=("cgroup directories left behind: ${cg[*]}")
    else
        problems+=("boxtopd was not running at teardown")
    fi
    rm -rf "$BOXTOPD_STATE" "$BOXTOPD_CLI_HOME"
    BOXTOPD_PID=
    BOXTOPD_PROBLEMS=$(for p in "${problems[@]}"; do echo "$p"; done)
    [ ${#problems[@]} = 0 ]
}
