#!/bin/sh
# boxtopd --build-base for a user who is not root: mmdebstrap (here tests/runtime/fake-mmdebstrap,
# which does what its unshare mode does with ids and $TMPDIR, without a mirror) must be able to
# make its chroot in the temporary directory boxtopd gives it. Run as root (CI), the build runs
# as boxtop-rootless (BOXTOP_ROOTLESS_USER), which has a subordinate id range; run as another
# user, as that user (who then needs a range in /etc/subuid and /etc/subgid).
set -u
b=${abs_top_builddir:-.}
s=${abs_top_srcdir:-.}
top=$(cd "$b" && pwd)
src=$(cd "$s" && pwd)
echo "1..3"
dir=$(mktemp -d /tmp/boxtopd-basebuild-XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
chmod 755 "$dir"
mkdir "$dir/bin" "$dir/cache"
cp "$src/tests/runtime/fake-mmdebstrap" "$dir/bin/mmdebstrap"
chmod 755 "$dir/bin/mmdebstrap"
run=
if [ "$(id -u)" = 0 ]; then
    u=${BOXTOP_ROOTLESS_USER:-boxtop-rootless}
    chown "$u" "$dir/cache"
    run="setpriv --reuid=$(id -u "$u") --regid=$(id -g "$u") --clear-groups"
fi
# cd: the user may not be able to search the build directory's parents
out=$(cd "$dir" && $run env HOME="$dir/cache" XDG_CACHE_HOME="$dir/cache" PATH="$dir/bin:$PATH" \
    "$top/src/boxtopd" --build-base 2>&1)
lower=$(printf '%s\n' "$out" | sed -n 's/^base: ready in //p')
if [ -n "$lower" ]; then
    echo "ok 1 - the base image is built with mmdebstrap working as a subordinate root"
else
    echo "not ok 1 - no base image:"
    printf '%s\n' "$out" | tail -5 | sed 's/^/# /'
fi
if [ -n "$lower" ] && [ -f "$lower/etc/passwd" ]; then
    echo "ok 2 - the image holds what mmdebstrap made"
else
    echo "not ok 2 - $lower/etc/passwd is missing"
fi
left=$(find "$dir/cache" -name 'mmdebstrap.*' 2>/dev/null | head -1)
if [ -z "$left" ] && ! [ -e "$(dirname "${lower:-$dir/x/y}")/tmp" ]; then
    echo "ok 3 - mmdebstrap's temporary directory is gone after the build"
else
    echo "not ok 3 - left behind: ${left:-$(dirname "$lower")/tmp}"
fi
