#!/bin/bash
# test_screen_files.sh - golden screens of the file browser (golden.sh), against a private
# boxtopd (the replay has no sandbox file system): both panes with fixed names, sizes, modes
# and modification times, the transfers panel after a copy, and the pager. The sandbox id and
# the temporary local directory and the API port change per run: GOLDEN_MASK writes them as
# SANDBOX, LOCAL and API (and shortens the border of a line with LOCAL to one ─).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..3"
tui_boxtopd screen-files 1 3
ID=$(boxtopd_new_sandbox)
T='2025-11-25 11:30:00'
"$BOXTOP" exec "$ID" -- sh -c "mkdir -p /home/user/g/src && cd /home/user/g &&
    printf 'line one\nline two\n' > notes.txt && head -c 3000 /dev/zero > zero.bin &&
    printf 'print(1)\n' > src/main.py && chmod 600 zero.bin &&
    touch -d '$T' notes.txt zero.bin src/main.py src . && touch -d '$T' /home/user/g" >/dev/null
L=$TMPD/local
mkdir -p "$L/docs"
printf 'alpha\n' > "$L/aaa.txt"
printf 'hello world\n' > "$L/hello.txt"
chmod 640 "$L/hello.txt"
touch -d "$T" "$L/aaa.txt" "$L/hello.txt" "$L/docs" "$L"
# a finished copy's time (and average rate, from 0.1 s on) depends on the machine: TOOK
GOLDEN_MASK="s|$ID|SANDBOX|g; s|$L|LOCAL|g; s|http://127.0.0.1:[0-9]*|API|g; /LOCAL/s|──*|─|g"
GOLDEN_MASK="$GOLDEN_MASK; s|  in <0\.1s  |  TOOK  |; s|  [0-9.]*[BKMG]/s in [0-9.]*s  |  TOOK  |"
cd "$L"
golden_start 120 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10
tui_keys Tab '/'; tui_type g; tui_keys Enter Enter
tui_wait 'notes.txt' 10
golden files
tui_keys '/'; tui_type notes; tui_keys Enter c
tui_wait 'done' 10
golden files_copied
tui_keys Tab '/'; tui_type hello; tui_keys Enter v
tui_wait 'hello world' 5
golden files_pager
tui_done
