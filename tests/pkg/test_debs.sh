#!/usr/bin/env bash
# test_debs.sh (issue 22): build the Debian packages from a copy of the tree (dpkg-buildpackage
# writes into the tree it runs in, so never the developer's), check lintian reports no error
# and the packages depend on the shared libraries, then unpack them into a throwaway root and
# run the installed boxtop --version and boxtopd --print-env. Slow (a full build): in .ci/run,
# not in make check. Needs dpkg-dev, debhelper and lintian.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/boxtop-debs-XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else fail=1; echo "not ok $n - $2"; shift 2; printf '%s\n' "$@" | sed 's/^/# /'; fi; }
echo "1..7"

# Tracked and new (not ignored) files only: no build outputs of the developer's tree.
mkdir "$work/boxtop"
(cd "$src" && git ls-files -co --exclude-standard -z | xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
    tar --null -T - -cf -) | tar -xf - -C "$work/boxtop"
t0=$(date +%s)
(cd "$work/boxtop" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1
ok $? "dpkg-buildpackage -us -uc -b ($(($(date +%s) - t0)) s)" "$(tail -20 "$work/build.log")"

boxtop_deb=$(ls "$work"/boxtop_*.deb 2>/dev/null | head -1)
boxtopd_deb=$(ls "$work"/boxtopd_*.deb 2>/dev/null | head -1)
[ -n "$boxtop_deb" ] && [ -n "$boxtopd_deb" ]
ok $? "packages boxtop and boxtopd built" "$(ls "$work")"

changes=$(ls "$work"/*.changes 2>/dev/null | head -1)
lintian --fail-on error "$changes" >"$work/lintian.log" 2>&1
ok $? "lintian reports no error ($(grep -c '^E:' "$work/lintian.log") E, $(grep -c '^W:' "$work/lintian.log") W)" "$(grep '^E:' "$work/lintian.log")"
grep '^[EW]:' "$work/lintian.log" | sed 's/^/# /'

d1=$(dpkg-deb -f "$boxtop_deb" Depends) d2=$(dpkg-deb -f "$boxtopd_deb" Depends)
grep -q 'libncursesw[0-9]* (' <<<"$d1" && grep -q 'libcurl[0-9]* (' <<<"$d1" &&
    grep -q 'libvterm[0-9]* (' <<<"$d1" && grep -q 'libwebsockets[0-9]* (' <<<"$d2"
ok $? "Depends come from the shared libraries (shlibs)" "boxtop: $d1" "boxtopd: $d2"
echo "# boxtop Depends: $d1"
echo "# boxtopd Depends: $d2"

root=$work/root
dpkg -x "$boxtop_deb" "$root" && dpkg -x "$boxtopd_deb" "$root"
ok $? "dpkg -x both packages into a throwaway root" 
ver=$("$root/usr/bin/boxtop" --version 2>&1)
[[ $ver == "boxtop $(dpkg-deb -f "$boxtop_deb" Version | sed 's/-[^-]*$//')" ]]
ok $? "installed boxtop --version: $ver"
env=$(HOME=$work/home "$root/usr/bin/boxtopd" --state-dir "$work/state" --print-env 2>&1)
grep -q '^export E2B_API_URL=http://127\.0\.0\.1:' <<<"$env" && grep -q '^export E2B_API_KEY=e2b_[0-9a-f]\{40\}$' <<<"$env"
ok $? "installed boxtopd --print-env" "$(sed 's/e2b_[0-9a-f]*/e2b_…/' <<<"$env")"
exit $fail
