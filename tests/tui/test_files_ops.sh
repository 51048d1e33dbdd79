#!/bin/bash
# test_files_ops.sh - the file browser's operations in tmux against a real boxtopd: `f` from
# the sandboxes view, mkdir / rename / delete (with its confirmation) on both sides, the
# pager (text with an ESC sequence shown sanitized, a binary file as hex), `e` editing a
# sandbox file with $EDITOR (uploaded only when changed), the clash dialog's overwrite and
# skip, sort and hidden-file toggles, and a mouse click selecting a row in the other pane.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..16"
tui_boxtopd files-ops 1 16
ID=$(boxtopd_new_sandbox)
bx() { "$BOXTOP" exec "$ID" -- "$@"; }
L=$TMPD/local
mkdir -p "$L"
printf 'local one\n' > "$L/clash.txt"
printf 'alpha\n' > "$L/aaa.txt"
bx sh -c 'printf "line one\nred \033[31mRED\033[0m end\n" > /home/user/notes.txt; printf "remote old\n" > /home/user/clash.txt; head -c 64 /dev/zero > /home/user/zero.bin; touch /home/user/.dot'
cat > "$TMPD/editor.sh" <<'EOS'
#!/bin/sh
printf 'added by editor\n' >> "$1"
EOS
chmod +x "$TMPD/editor.sh"
export EDITOR="$TMPD/editor.sh" VISUAL=
cd "$L"
tui_start 160 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10; ok $? "f on a sandbox opens the file browser"
tui_wait 'notes.txt' 5
sel() { tui_keys '/'; tui_type "$1"; tui_keys Enter; }

# ---- sandbox side: mkdir, rename, delete ----
tui_keys Tab
tui_keys M; tui_type "made dir"; tui_keys Enter
tui_wait 'made dir/' 5 && bx test -d "/home/user/made dir"; ok $? "mkdir in the sandbox"
sel "made"; tui_keys R; tui_keys C-u; tui_type "renamed"; tui_keys Enter
tui_keys '/'; tui_keys Enter
tui_wait 'renamed/' 5 && bx test -d /home/user/renamed; ok $? "rename in the sandbox"
sel renamed; tui_keys D; tui_wait 'Delete renamed' 3; tui_keys y
tui_wait_gone 'renamed/' 5 && ! bx test -e /home/user/renamed; ok $? "delete in the sandbox (after y)"

# ---- pager ----
sel notes.txt; tui_keys v
tui_wait 'line one' 5 && tui_wait 'red .*RED.* end' 1; st=$?
tui_screen_e | grep -q $'\033\\[31mRED' && st=1
ok $st "view a sandbox text file, ESC sequences sanitized"
tui_keys q; tui_wait 'sandbox: /home/user' 3
sel zero.bin; tui_keys v
tui_wait '00000000  00 00 00' 5; ok $? "a binary file is shown as hex"
tui_keys q; tui_wait 'sandbox: /home/user' 3

# ---- edit ----
sel notes.txt; tui_keys e
n=50; while [ $n -gt 0 ] && ! bx grep -q 'added by editor' /home/user/notes.txt; do sleep 0.1; n=$((n-1)); done
bx grep -q 'added by editor' /home/user/notes.txt && bx grep -q 'line one' /home/user/notes.txt
ok $? "e edits a sandbox file in \$EDITOR and uploads the change"
tui_wait 'saved to the sandbox' 5; ok $? "the edit says it was saved"

# ---- hidden files, sort ----
tui_keys '/'; tui_keys Enter
tui_wait_gone '\.dot' 1; st=$?; tui_keys '.'; tui_wait '\.dot' 3 || st=1
ok $st "hidden files are toggled with ."
tui_keys s; tui_wait 'sort: size' 2; ok $? "s changes the sort"

# ---- local side: mkdir, rename, delete ----
tui_keys Tab
tui_keys M; tui_type "ldir"; tui_keys Enter
tui_wait 'ldir/' 3 && [ -d "$L/ldir" ]; ok $? "mkdir locally"
sel ldir; tui_keys R; tui_keys C-u; tui_type "ldir2"; tui_keys Enter
tui_wait 'ldir2/' 3 && [ -d "$L/ldir2" ] && [ ! -e "$L/ldir" ]; ok $? "rename locally"
sel ldir2; tui_keys D; tui_wait 'Delete ldir2' 3; tui_keys n; sleep 0.3
[ -d "$L/ldir2" ]; st=$?; tui_keys D; tui_keys y; sleep 0.5; [ ! -e "$L/ldir2" ] || st=1
ok $st "delete locally only after y"

# ---- clash: skip, then overwrite ----
sel clash.txt; tui_keys c
tui_wait 'exists: o overwrite' 3; tui_keys s; sleep 0.5
[ "$(bx cat /home/user/clash.txt)" = "remote old" ]; ok $? "clash: s skips"
tui_keys c; tui_wait 'exists: o overwrite' 3; tui_keys o
n=50; while [ $n -gt 0 ] && [ "$(bx cat /home/user/clash.txt)" != "local one" ]; do sleep 0.1; n=$((n-1)); done
[ "$(bx cat /home/user/clash.txt)" = "local one" ]; ok $? "clash: o overwrites"

# ---- mouse: a click in the sandbox pane selects that pane and row ----
tui_keys '/'; tui_keys Enter
# row 0 of the list is screen line 5 (header 2 lines, box top, column titles); x in the right half
printf '\033[<0;100;5M\033[<0;100;5m' > "$TMPD/click"
tm send-keys -t t -l "$(cat "$TMPD/click")"
sleep 0.3; tui_keys v
tui_wait 'first 4 MiB|\(text|\(hex' 3; ok $? "a mouse click selects a row in the other pane (v opens it)"
tui_keys q
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
