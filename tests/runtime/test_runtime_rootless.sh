#!/bin/sh
# The runtime test as an unprivileged user (rootless namespaces) on the same base image: run
# as root (CI), it drops to "nobody" with a private cache and home; the image tarball that
# root's cache holds is hard-linked in (nothing is downloaded again), and a marker is placed
# in a new top-level host directory, which the sandbox must not see.
set -eu
b=${abs_top_builddir:-.}
if [ "$(id -u)" != 0 ]; then
    exec "$b/tests/runtime/test_runtime" "$@" # already unprivileged: rootless as it is
fi
lower=$("$b/src/boxtopd" --build-base 2>&1 | sed -n 's/^base: ready in //p')
[ -n "$lower" ] || { echo "1..1"; echo "not ok 1 - no base image (boxtopd --build-base)"; exit 1; }
dir=$(mktemp -d /tmp/boxtopd-rootless-XXXXXX)
marker=/boxtop-marker-rootless-$$
cleanup() { rm -rf "$dir" "$marker"; }
trap cleanup EXIT INT TERM
chmod 755 "$dir"
ln "$(dirname "$lower")/base.tar" "$dir/base.tar" 2>/dev/null || cp "$(dirname "$lower")/base.tar" "$dir/base.tar"
chmod 644 "$dir/base.tar"
mkdir "$dir/cache" "$dir/home" "$marker"
echo m > "$marker/marker"
chmod -R a+rX "$marker"
chown 65534:65534 "$dir/cache" "$dir/home"
# cd: the unprivileged user may not be able to search the build directory's parents
cd "$dir"
setpriv --reuid=65534 --regid=65534 --clear-groups \
    env HOME="$dir/home" XDG_CACHE_HOME="$dir/cache" BOXTOPD_TEST_BASE_ROOTFS="$dir/base.tar" \
    BOXTOPD_TEST_MARKER="$marker/marker" "$(cd "$b" && pwd)/tests/runtime/test_runtime" "$@"
