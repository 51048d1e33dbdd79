#!/bin/bash
# files_tui.sh - `make bench/files_tui`: upload and download throughput of a 1 GiB random file
# through the file browser's transfer engine (bench/files_tui_xfer: what `c` runs in the TUI,
# without the drawing), against curl on the same /files endpoint and the official SDK's
# files.write/files.read (streams), each with its peak RSS; boxtopd on loopback with a
# temporary state dir. Every upload is checked inside the sandbox and every download here
# against the source's sha256.
#
# Like with like: boxtop and curl run BENCH_RUNS times (default 3), interleaved, taking turns
# at going first, and the best of each counts. Every timed step writes a new 1 GiB file that
# is removed before the next step starts, and the dirty pages are synced first: on this VM,
# writing into memory the guest has not touched lately costs up to 10x more (a 4th `cp` of
# 1 GiB in a row without removing the earlier copies took 3-4.4 s instead of 0.4 s), so a
# step that follows other writers' output would be measured against the host, not the tool.
: "${abs_top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${abs_top_builddir:=$abs_top_srcdir}"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
export BOXTOP_NODE_MODULES
SIZE_MB=${BENCH_SIZE_MB:-1024}
RUNS=${BENCH_RUNS:-3}
W=$(mktemp -d "${TMPDIR:-/tmp}/bench-files-tui.XXXXXX")
BOXTOPD_EXIT_HOOK='rm -rf "$W"'
boxtopd_start bench-files-tui || exit 1
boxtopd_api POST /sandboxes '{"templateID":"base","timeout":1800}'
ID=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.sandboxID')
TOK=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.envdAccessToken||""')
head -c $((SIZE_MB * 1024 * 1024)) /dev/urandom > "$W/src.bin"
SUM=$(sha256sum "$W/src.bin" | cut -c1-64)
hdrs=(-H "E2b-Sandbox-Id: $ID" -H "E2b-Sandbox-Port: 49983" -H 'Expect:')
[ -n "$TOK" ] && hdrs+=(-H "X-Access-Token: $TOK")
url() { printf '%s/files?path=%s' "$E2B_SANDBOX_URL" "$1"; }
TO="timeout ${BENCH_STEP_TIMEOUT:-600}" # a stalled transfer must not hang the bench
X="$TO $abs_top_builddir/bench/files_tui_xfer"
# in the sandbox: the uploaded file's sha256, then it is gone (through the sandbox's own view)
remote_check() {
    local got
    got=$($TO "$abs_top_builddir/src/boxtop" exec "$ID" -- "sha256sum $1; rm -f $1" </dev/null |
        cut -c1-64)
    [ "$got" = "$SUM" ] || echo "# CHECKSUM MISMATCH: $1 in the sandbox (upload of $2)"
}
check() { # FILE TOOL
    [ "$(sha256sum "$1" | cut -c1-64)" = "$SUM" ] || echo "# CHECKSUM MISMATCH: $1 (download of $2)"
    rm -f "$1"
}

declare -A T R
run() { # run NAME CMD... (CMD prints "bytes secs rss_kb"); keeps the best time, the worst RSS
    local out
    sync
    out=$("${@:2}") || { echo "# $1 failed or timed out"; return 1; }
    set -- "$1" $out
    if [ -z "${T[$1]}" ] || awk -v a="$3" -v b="${T[$1]}" 'BEGIN { exit !(a < b) }'; then
        T[$1]=$3
    fi
    [ "${4:-0}" -gt "${R[$1]:-0}" ] && R[$1]=$4
    return 0
}
timed() { # CMD... → "bytes secs rss_kb" from /usr/bin/time
    /usr/bin/time -o "$W/time" -f '%e %M' "$@" >/dev/null || return 1
    echo "$((SIZE_MB * 1024 * 1024)) $(tail -1 "$W/time")"
}
up() { # TOOL: one upload to /home/user/u.bin, checked and removed
    case $1 in
    boxtop) run boxtop_up $X up "$W/src.bin" /home/user/u.bin "$ID" ;;
    curl) run curl_up timed $TO curl -sS --fail -X POST "${hdrs[@]}" \
        -H 'Content-Type: application/octet-stream' -T "$W/src.bin" "$(url /home/user/u.bin)" ;;
    esac
    remote_check /home/user/u.bin "$1"
}
down() { # TOOL: one download of /home/user/d.bin, checked and removed
    case $1 in
    boxtop) run boxtop_down $X down "$W/o.bin" /home/user/d.bin "$ID" ;;
    curl) run curl_down timed $TO curl -sS --fail "${hdrs[@]}" -o "$W/o.bin" \
        "$(url /home/user/d.bin)" ;;
    esac
    check "$W/o.bin" "$1"
}

# the download source, written once before anything is timed
curl -sS --fail -o /dev/null -X POST "${hdrs[@]}" -H 'Content-Type: application/octet-stream' \
    -T "$W/src.bin" "$(url /home/user/d.bin)" || echo "# upload of the download source failed"
for ((i = 1; i <= RUNS; i++)); do
    order="boxtop curl"
    [ $((i % 2)) = 0 ] && order="curl boxtop"
    for t in $order; do up "$t"; done
    for t in $order; do down "$t"; done
done
if [ -z "${BENCH_NO_SDK:-}" ]; then
    # one run each: the SDK holds the whole file in memory (1.1 GB peak RSS for 1 GiB)
    run sdk_up $TO node "$abs_top_srcdir/bench/files_tui.mjs" up "$W/src.bin" /home/user/u.bin "$ID"
    remote_check /home/user/u.bin sdk
    run sdk_down $TO node "$abs_top_srcdir/bench/files_tui.mjs" down "$W/o.bin" /home/user/d.bin "$ID"
    check "$W/o.bin" sdk
fi

mbs() { awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { printf "%.0f", (s > 0 ? m / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }'; }
echo "files_tui: ${SIZE_MB} MiB, boxtopd on loopback ($(nproc) cores), best of $RUNS interleaved runs"
printf '%-8s %12s %12s %14s %14s\n' tool 'up MiB/s' 'down MiB/s' 'up peak RSS' 'down peak RSS'
for t in boxtop curl sdk; do
    printf '%-8s %12s %12s %11s kB %11s kB\n' "$t" "$(mbs "${T[${t}_up]}")" "$(mbs "${T[${t}_down]}")" \
        "${R[${t}_up]}" "${R[${t}_down]}"
done
echo "boxtop/curl throughput: up $(ratio "${T[boxtop_up]}" "${T[curl_up]}")  down $(ratio "${T[boxtop_down]}" "${T[curl_down]}")"
echo "boxtop/sdk  throughput: up $(ratio "${T[boxtop_up]}" "${T[sdk_up]}")  down $(ratio "${T[boxtop_down]}" "${T[sdk_down]}")"
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$W"
