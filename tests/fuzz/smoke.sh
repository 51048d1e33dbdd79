#!/bin/sh
# smoke.sh - make fuzz-smoke: run every fuzz target for FUZZ_SECONDS (default 20) with
# libFuzzer on a scratch copy of its seed corpus, two at a time (CI has 2 cores). Fails on
# any finding (crash, leak, timeout, UBSan report) and prints each target's last status line.
srcdir=${abs_top_srcdir:-.}
builddir=${abs_top_builddir:-.}
secs=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-2}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
work=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
first=${FUZZ_PROGS%% *}
if ! "$builddir/$first" -help=1 2>&1 | grep -q 'max_total_time'; then
    echo "fuzz-smoke: $first is not a libFuzzer build; configure with CC=clang --enable-fuzzing" >&2
    echo "(tests/fuzz/README.md)" >&2
    exit 2
fi
run_one() { # run_one PROG: the verdict into $work/NAME.result
    name=${1##*/fuzz_}
    mkdir -p "$work/corpus-$name" "$work/art-$name"
    start=$(date +%s)
    if "$builddir/$1" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$work/art-$name/" -print_final_stats=1 \
        "$work/corpus-$name" "$srcdir/tests/fuzz/corpus/$name" > "$work/$name.log" 2>&1; then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
        echo "ok $name: $runs runs in $(( $(date +%s) - start )) s" > "$work/$name.result"
    else
        { echo "FAIL $name"; tail -40 "$work/$name.log" | sed 's/^/#   /'; } > "$work/$name.result"
        mkdir -p "$builddir/fuzz-findings" && cp "$work/art-$name/"* "$builddir/fuzz-findings/" 2>/dev/null
    fi
}
n=0
for p in $FUZZ_PROGS; do
    run_one "$p" &
    n=$((n + 1))
    [ $((n % jobs)) -eq 0 ] && wait
done
wait
status=0
for p in $FUZZ_PROGS; do
    r=$(cat "$work/${p##*/fuzz_}.result" 2>/dev/null || echo "FAIL ${p##*/fuzz_}: no result")
    echo "$r"
    case $r in ok*) ;; *) status=1 ;; esac
done
echo "fuzz-smoke: $n targets, ${secs} s each: $([ $status = 0 ] && echo 'no findings' || echo 'FINDINGS (see fuzz-findings/)')"
exit $status
