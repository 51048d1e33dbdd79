#!/bin/sh
# replay.sh - TAP: run every fuzz target over its seed corpus (tests/fuzz/corpus/NAME).
srcdir=${abs_top_srcdir:-.}
builddir=${abs_top_builddir:-.}
n=0
for p in $FUZZ_PROGS; do n=$((n + 1)); done
echo "1..$n"
i=0
for p in $FUZZ_PROGS; do
    i=$((i + 1))
    name=${p##*/fuzz_}
    corpus="$srcdir/tests/fuzz/corpus/$name"
    if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
        echo "not ok $i - $name: no seed corpus in tests/fuzz/corpus/$name"
        continue
    fi
    # -runs=0: a libFuzzer build (--enable-fuzzing) then only runs the corpus, as the replay
    # driver of a normal build does; the replay driver ignores the option.
    if out=$("$builddir/$p" -runs=0 "$corpus" 2>&1); then
        echo "ok $i - $name: $(echo "$out" | tail -1)"
    else
        echo "not ok $i - $name"
        echo "$out" | tail -30 | sed 's/^/# /'
    fi
done
