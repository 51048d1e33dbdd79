#!/bin/bash
# test_files.sh - the file browser (issue 8) driven in tmux against a real boxtopd (free
# loopback ports, temporary state dir): a 200 MiB random file, a tree of 1 000 small files and
# hostile names (space, newline, ESC sequence, invalid UTF-8) uploaded and downloaded back with
# every sha256 equal and boxtop's RSS (/proc, sampled during the transfers) under 64 MiB (the
# newline name comes back through a second name in the sandbox, removed afterwards: boxtopd's
# lws cannot read %0A in a query); a directory copy goes on past a file it cannot read (either
# side) and reports how many failed; a file made by `boxtop exec` shows up within 1 s without a
# key; cancel leaves no partial target (also for a newline name, in the sandbox); a permission
# error (writing into /etc) and a full local disk (a 2 MiB tmpfs in a private mount namespace)
# give a clear message while the UI keeps answering.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..23"

tui_boxtopd files 1 23
ID=$(boxtopd_new_sandbox)
bx() { "$BOXTOP" exec "$ID" -- "$@"; }

L=$TMPD/local
mkdir -p "$L/tree" "$L/weird" "$L/back" "$L/full"
head -c $((200 * 1024 * 1024)) /dev/urandom > "$L/big.bin"
for d in $(seq 0 9); do
    mkdir -p "$L/tree/d$d"
    for f in $(seq 0 99); do printf 'file %s/%s %s\n' "$d" "$f" "$RANDOM" > "$L/tree/d$d/f$f.txt"; done
done
chmod 0750 "$L/tree/d3"; chmod 0600 "$L/tree/d3/f1.txt"; chmod 0755 "$L/tree/d4/f2.txt"
printf 'a' > "$L/weird/with space"
printf 'b' > "$L/weird/nl"$'\n'"name"
printf 'c' > "$L/weird/esc"$'\033'"[31mred"
printf 'd' > "$L/weird/bad"$'\xff\xfe'"utf8"
# a directory with a file boxtop cannot read: mode 000 and owned by a uid that is not mapped
# into the TUI's user namespace (there, root's DAC override does not reach it). Not root, the
# file goes to an id of the user's subordinate range (a user namespace mapping it, by
# newuidmap): a file the user's own id owns would be root's in the TUI's namespace.
subid() { awk -F: -v u="$(id -un)" -v i="$(id -u)" '$1 == u || $1 == i { print $2; exit }' "$1"; }
unreadable() { # unreadable FILE: mode 000, owned by 12345 (root) or the range's 12345th id
    if [ "$(id -u)" = 0 ]; then
        chown 12345:12345 "$1" && chmod 000 "$1"
    else
        unshare --map-root-user --map-users="$(subid /etc/subuid),1,65536" \
            --map-groups="$(subid /etc/subgid),1,65536" sh -c 'chown 12345:12345 "$1" && chmod 000 "$1"' sh "$1"
    fi
}
mkdir -p "$L/part"
printf 'one' > "$L/part/a.txt"; printf 'two' > "$L/part/b.txt"; printf 'three' > "$L/part/c.txt"
unreadable "$L/part/b.txt" || echo "# part/b.txt: not made unreadable (not root and no subordinate range?)"
head -c 300000 /dev/urandom > "$L/small.bin"

# digest of a tree: every file's sha256 and mode, by relative name (NUL-separated: names
# with newlines stay exact)
tree_sum() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -n 200 sha256sum | sha256sum | cut -c1-64); }
remote_tree_sum() { bx sh -c "cd '$1' && find . -type f -print0 | sort -z | xargs -0 -n 200 sha256sum | sha256sum | cut -c1-64"; }

# The TUI runs in its own mount namespace with a 2 MiB tmpfs on $L/full (the full disk).
cat > "$TMPD/wrap.sh" <<EOS
#!/bin/sh
mount -t tmpfs -o size=2m tmpfs "$L/full" || exit 99
cd "$L" && exec "${FILES_TUI_BIN:-$abs_top_builddir/src/tui/boxtop-tui}" "\$@"
EOS
chmod +x "$TMPD/wrap.sh"
cat > "$TMPD/unsh.sh" <<EOS
#!/bin/sh
exec unshare -rm "$TMPD/wrap.sh" "\$@"
EOS
chmod +x "$TMPD/unsh.sh"
BOXTOP_TUI=$TMPD/unsh.sh
cd "$L"
tui_start 200 30
tui_wait 'sandboxes|SANDBOX|ID' 15
tui_keys ':'; tui_type "files $ID"; tui_keys Enter
tui_wait 'sandbox: /home/user' 10; ok $? "f/:files opens both panes (sandbox in /home/user)"
tui_wait 'local: '"$L" 2; ok $? "the local pane starts in the current directory"

# run.sh's pid: every wrapper above execs, so it is boxtop itself by now
TPID=$(cat "$TMPD/pid")
case $(readlink "/proc/$TPID/exe") in
*boxtop-tui) ;;
*) echo "# pid $TPID is not boxtop-tui: $(readlink "/proc/$TPID/exe")"; TPID= ;;
esac
: > "$TMPD/rss"
( while kill -0 "$TPID" 2>/dev/null; do
      awk '/VmRSS/ {print $2}' "/proc/$TPID/status" >> "$TMPD/rss" 2>/dev/null; sleep 0.05
  done ) &
RSSMON=$!

sel() { # sel NAME: filter the active pane down to NAME (the selection lands on it)
    tui_keys '/'; tui_type "$1"; tui_keys Enter
}
unfilter() { tui_keys '/'; tui_keys Enter; }
wait_idle() { # no transfer running (panel shows no "copying"/"listing")
    n=$(( ${1:-60} * 10 ))
    sleep 0.3
    while [ $n -gt 0 ]; do
        if ! tui_screen | grep -Eq 'copying|listing|modes '; then return 0; fi
        sleep 0.1; n=$((n - 1))
    done
    return 1
}

# ---- uploads ----
sel big.bin; tui_keys c
sel tree; tui_keys c
sel weird; tui_keys c
wait_idle 120; ok $? "uploads finish"
LS=$(tree_sum "$L/tree")
[ "$(bx sha256sum /home/user/big.bin | cut -c1-64)" = "$(sha256sum "$L/big.bin" | cut -c1-64)" ]
ok $? "200 MiB upload: sha256 matches"
[ "$(remote_tree_sum /home/user/tree)" = "$LS" ] && [ "$(bx find /home/user/tree -type f | wc -l)" = 1000 ]
ok $? "1 000-file tree upload: every sha256 matches"
[ "$(bx stat -c %a /home/user/tree/d3 /home/user/tree/d3/f1.txt /home/user/tree/d4/f2.txt | tr '\n' ' ')" = "750 600 755 " ]
ok $? "upload keeps mode bits"
[ "$(remote_tree_sum /home/user/weird)" = "$(tree_sum "$L/weird")" ]
ok $? "hostile names uploaded byte-exact"

# ---- a directory copy goes on past a file it cannot read, and says so ----
sel part; tui_keys c
wait_idle 30
tui_wait 'copy failed: 2 of 3 files copied, errors: 1, the first: cannot read .*part/b\.txt: permission denied \(owner ' 5
st=$?
[ "$(bx cat /home/user/part/a.txt /home/user/part/c.txt)" = onethree ] &&
    [ "$(bx ls -A /home/user/part | tr '\n' ' ')" = "a.txt c.txt " ] || st=1
ok $st "upload of a directory: the unreadable file is reported (2 of 3, the first error), the others arrive"

# ---- the sandbox pane: sanitized names, live update ----
unfilter
tui_keys Tab; sel weird; tui_keys Enter
tui_wait 'sandbox: /home/user/weird' 5 && tui_wait 'esc.*red' 3 && tui_wait 'nl.name' 1 && tui_wait 'with space' 1
st=$?
tui_screen_e | grep -q $'\033\\[31mred' && st=1
ok $st "hostile names shown sanitized (no raw ESC, newline shown as one row)"
tui_keys BSpace
tui_wait 'sandbox: /home/user ' 5
bx touch /home/user/live-made-by-exec
tui_wait 'live-made-by-exec' 1; ok $? "a file made by boxtop exec appears within 1 s, no key pressed"

# ---- downloads into back/ ----
tui_keys Tab; sel back; tui_keys Enter; tui_wait 'local: '"$L/back" 5; tui_keys Tab
sel big.bin; tui_keys c
sel tree; tui_keys c
sel weird; tui_keys c
wait_idle 120; ok $? "downloads finish"
[ "$(sha256sum "$L/back/big.bin" | cut -c1-64)" = "$(sha256sum "$L/big.bin" | cut -c1-64)" ] &&
    [ "$(tree_sum "$L/back/tree")" = "$LS" ] && [ "$(stat -c %a "$L/back/tree/d3/f1.txt")" = 600 ]
ok $? "downloads: every sha256 (and mode) matches"
# every hostile name, one by one (cmp), and nothing else: "with space" sorts after the newline
# name, whose download goes through a second name in the sandbox (lws 4.1 cuts a query at
# %0A), and none of those second names is left there
st=0
for f in "with space" "nl"$'\n'"name" "esc"$'\033'"[31mred" "bad"$'\xff\xfe'"utf8"; do
    cmp -s "$L/weird/$f" "$L/back/weird/$f" || { st=1; echo "# differs or missing: $(printf '%q' "$f")"; }
done
[ "$(find "$L/back/weird" -mindepth 1 -printf x)" = xxxx ] && [ "$(tree_sum "$L/back/weird")" = "$(tree_sum "$L/weird")" ] || st=1
[ "$(bx sh -c 'ls -A /home/user/weird /tmp' | grep -c '^\.boxtop-')" = 0 ] || { st=1; echo "# second names left in the sandbox"; }
# (the file names the sandbox answered with are the ones uploaded above: test 7)
[ $st = 0 ] || echo "# in back/weird: $(ls -b "$L/back/weird" 2>/dev/null | tr '\n' ' ')"
ok $st "hostile names (space, newline, ESC, invalid UTF-8) downloaded byte-exact, no temporary left in the sandbox"
kill $RSSMON 2>/dev/null; wait $RSSMON 2>/dev/null

# ---- a download of a directory goes on past a file the sandbox user cannot read ----
bx sh -c 'mkdir /home/user/rpart && cd /home/user/rpart && printf one > a.txt && printf two > b.txt && printf three > c.txt && chmod 000 b.txt'
sel rpart; tui_wait 'rpart/' 5; tui_keys c
wait_idle 30
tui_wait 'copy failed: 2 of 3 files copied, errors: 1, the first: download .*rpart/b\.txt: .*([Dd]enied|[Ff]orbidden|[Pp]ermission)' 5
st=$?
[ "$(cat "$L/back/rpart/a.txt" "$L/back/rpart/c.txt")" = onethree ] &&
    [ "$(ls -A "$L/back/rpart" | tr '\n' ' ')" = "a.txt c.txt " ] || st=1
ok $st "download of a directory: the unreadable file is reported (2 of 3, the first error), the others arrive"
unfilter

MAXRSS=$(sort -n "$TMPD/rss" | tail -1)
echo "# peak RSS of boxtop during the transfers: ${MAXRSS} kB over $(wc -l < "$TMPD/rss") samples"
[ -n "$MAXRSS" ] && [ "$MAXRSS" -lt 65536 ]; ok $? "RSS stays under 64 MiB (peak ${MAXRSS} kB)"

# ---- cancel mid-transfer: the download of big.bin again, renamed by the clash dialog ----
sel big.bin; tui_keys c
tui_wait 'exists: o overwrite' 3
tui_keys r t x
tui_wait '↓ cancelled' 5
st=$?
sleep 0.5
[ ! -e "$L/back/big.bin.1" ] && ! ls -a "$L/back" | grep -q '\.part$' || st=1
ok $st "cancel leaves no partial target"

# ---- cancel while a newline name downloads: nothing left here or in the sandbox ----
tui_keys t
bx sh -c 'cp /home/user/big.bin "/home/user/bignl
x.bin"'
sel bignl; tui_wait 'bignl.x\.bin' 5; tui_keys c t x
tui_wait '↓ cancelled' 5
st=$?
for i in $(seq 1 30); do
    [ "$(bx sh -c 'ls -A /home/user /tmp' | grep -c '^\.boxtop-')" = 0 ] && break
    sleep 0.1
done
[ "$(bx sh -c 'ls -A /home/user /tmp' | grep -c '^\.boxtop-')" = 0 ] || { st=1; echo "# left in the sandbox: $(bx sh -c 'ls -Ab /home/user /tmp' | grep '^\.boxtop-')"; }
ls -A "$L/back" | grep -Eq '^bignl|\.part$' && st=1
ok $st "cancel of a newline-named download leaves nothing behind, here or in the sandbox"

# ---- permission error in the sandbox (/etc as user) ----
tui_keys t
unfilter
tui_keys BSpace; tui_keys BSpace; tui_wait 'sandbox: / ' 5; tui_wait 'etc/' 5; sel etc; tui_keys Enter
tui_wait 'sandbox: /etc' 5; tui_wait 'passwd' 5
tui_keys Tab; tui_keys BSpace; tui_wait 'local: '"$L"' ' 5; tui_wait 'small.bin' 5; sel small.bin; tui_keys c
# (an earlier transfer's FAILED row is on screen already: wait for this copy's own message)
tui_wait '[Cc]opy failed: .*([Dd]enied|[Ff]orbidden|[Pp]ermission)' 10
ok $? "a permission error in the sandbox gives a clear message"

# ---- full local disk ----
tui_keys Tab; unfilter; tui_keys BSpace; tui_wait 'sandbox: / ' 5; tui_wait 'home/' 5; sel home; tui_keys Enter
tui_wait 'user/' 5; sel user; tui_keys Enter; tui_wait 'sandbox: /home/user ' 5; tui_wait 'big.bin' 5
tui_keys Tab; unfilter; sel full; tui_keys Enter; tui_wait 'local: '"$L/full" 5; tui_keys Tab
sel big.bin; tui_keys c
tui_wait 'copy failed: .*(No space|space)' 15; ok $? "a full local disk gives a clear message"
[ -z "$(ls -A "$L/full")" ]; ok $? "nothing left on the full disk"
tui_keys Tab; tui_wait 'local: ' 2
tui_keys '?'; tui_wait 'transfers panel' 3; st=$?; tui_keys Escape
ok $st "the UI keeps answering after the errors"

tui_keys Escape; tui_keys Escape; tui_keys q
tui_wait EXITED 10; ok $? "boxtop exits cleanly"
tui_stop
boxtopd_teardown; ok $? "boxtopd stopped, nothing left ($BOXTOPD_PROBLEMS)"
rm -rf "$TMPD"
exit $FAILED
