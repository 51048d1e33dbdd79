#!/bin/bash
# test_files_local_errors.sh - the file browser says local file errors in words a person acts
# on, as boxtop's other errors (`:messages` keeps the call and strerror() as the detail):
# a directory made over an existing file ("it exists already", not "File exists"), and a copy
# from the sandbox into a local directory that was removed under the browser ("its directory
# ... does not exist"). Against a real boxtopd.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..5"
tui_boxtopd files-lerr 1 5
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- sh -c 'printf "note\n" > /home/user/notes.txt'
L=$TMPD/local
mkdir -p "$L/sub"
printf 'alpha\n' > "$L/aaa.txt"
cd "$L" || exit 1
tui_start 200 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10 && tui_wait 'aaa.txt' 5; ok $? "the file browser opens"

# ---- mkdir over an existing file ----
tui_keys M; tui_type "aaa.txt"; tui_keys Enter
tui_wait "cannot make the directory $L/aaa.txt: it exists already" 5
ok $? "mkdir over a file: in words ($(tui_screen | tail -1 | cut -c1-120))"
tui_keys '!'
tui_wait "mkdir $L/aaa.txt: File exists \\(errno 17\\)" 5; ok $? "! keeps the call and strerror"
tui_keys Escape

# ---- a copy into a local directory that went away ----
tui_keys '/'; tui_type sub; tui_keys Enter; tui_keys Enter
tui_wait "local: $L/sub" 5
rm -rf "$L/sub"
tui_keys Tab; tui_keys '/'; tui_type notes; tui_keys Enter; tui_keys c
tui_wait "copy failed: cannot write $L/sub/notes.txt: its directory $L/sub does not exist" 10
ok $? "a copy into a removed directory: in words ($(tui_screen | tail -1 | cut -c1-150))"
tui_keys '!'
tui_wait "open $L/sub/notes.txt: No such file or directory \\(errno 2\\)" 5
ok $? "! keeps the call and strerror"
tui_done
