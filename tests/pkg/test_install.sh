#!/usr/bin/env bash
# test_install.sh (issue 22): `make install DESTDIR=tmp` puts every file where Debian's tools
# look for it, and `make uninstall` removes exactly those files (the tree is empty after).
set -u
: "${abs_top_builddir:=$(cd "$(dirname "$0")/../.." && pwd)}"
echo "1..4"
dest=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-install-XXXXXX")
trap 'rm -rf "$dest"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else fail=1; echo "not ok $n - $2"; shift 2; printf '# %s\n' "$@"; fi; }
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$abs_top_builddir" prefix=/usr "$@" DESTDIR="$dest" >"$dest.log" 2>&1; }

mk install
ok $? "make install DESTDIR" "$(tail -5 "$dest.log")"
got=$(cd "$dest" && find . \( -type f -o -type l \) | sort)
want=$(sort <<'LIST'
./usr/bin/boxtop
./usr/bin/boxtopd
./usr/lib/systemd/user/boxtopd.service
./usr/libexec/boxtop/boxtopd-init
./usr/share/bash-completion/completions/boxtop
./usr/share/bash-completion/completions/boxtopd
./usr/share/fish/vendor_completions.d/boxtop.fish
./usr/share/fish/vendor_completions.d/boxtopd.fish
./usr/share/locale/de/LC_MESSAGES/boxtop.mo
./usr/share/man/man1/boxtop.1
./usr/share/man/man8/boxtopd.8
./usr/share/zsh/site-functions/_boxtop
LIST
)
[ "$got" = "$want" ]
ok $? "installed files are exactly the expected ones" "got:" $got "want:" $want
grep -qx 'ExecStart=/usr/bin/boxtopd --foreground' "$dest/usr/lib/systemd/user/boxtopd.service" &&
    grep -qx 'KillSignal=SIGTERM' "$dest/usr/lib/systemd/user/boxtopd.service"
ok $? "the user unit runs the installed boxtopd and stops it with SIGTERM"
mk uninstall
left=$(cd "$dest" && find . \( -type f -o -type l \) | sort)
[ -z "$left" ]
ok $? "make uninstall removes every installed file" "left:" $left
rm -f "$dest.log"
exit $fail
