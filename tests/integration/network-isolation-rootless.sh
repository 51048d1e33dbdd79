#!/bin/sh
# network-isolation.mjs with boxtopd rootless: run as root (CI), the whole node test and its
# boxtopd drop to boxtop-rootless (BOXTOP_ROOTLESS_USER, a user with a subordinate id range;
# .ci/run makes it), whose sandboxes' network namespaces belong to their user namespaces. The
# base image tarball root's cache holds is hard-linked in (nothing is downloaded). Logs are
# copied back to tests/integration/logs. Run unprivileged, network-isolation.sh is rootless
# already: this runs it as it is.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
s=${abs_top_srcdir:-$(cd "$here/../.." && pwd)}
b=${abs_top_builddir:-$s}
[ "$(id -u)" = 0 ] || exec "$here/network-isolation.sh"
u=${BOXTOP_ROOTLESS_USER:-boxtop-rootless}
if ! id -u "$u" >/dev/null 2>&1 || ! grep -q "^$u:" /etc/subuid || ! grep -q "^$u:" /etc/subgid; then
    echo "1..1"
    echo "not ok 1 - no user $u with a subordinate id range (as root: useradd --no-create-home --shell /usr/sbin/nologin $u; .ci/run does it)"
    exit 1
fi
lower=$("$b/src/boxtopd" --build-base 2>&1 | sed -n 's/^base: ready in //p')
[ -n "$lower" ] || { echo "1..1"; echo "not ok 1 - no base image (boxtopd --build-base)"; exit 1; }
dir=$(mktemp -d /tmp/boxtopd-netns-rootless-XXXXXX)
cleanup() {
    mkdir -p "$b/tests/integration/logs"
    cp "$dir"/build/tests/integration/logs/* "$b/tests/integration/logs/" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
chmod 755 "$dir"
ln "$(dirname "$lower")/base.tar" "$dir/base.tar" 2>/dev/null || cp "$(dirname "$lower")/base.tar" "$dir/base.tar"
chmod 644 "$dir/base.tar"
mkdir -p "$dir/build/tests/integration/logs" "$dir/home" "$dir/cache"
chown -R "$(id -u "$u"):$(id -g "$u")" "$dir/build" "$dir/home" "$dir/cache"
cd "$dir"
# the build tree is the sources' (node_modules, boxtopd); only logs go to the user's copy
setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" --clear-groups \
    env HOME="$dir/home" XDG_CACHE_HOME="$dir/cache" PATH="$PATH" abs_top_srcdir="$s" \
    abs_top_builddir="$dir/build" BOXTOPD="$b/src/boxtopd" \
    BOXTOP_NETNS_BASE_ROOTFS="$dir/base.tar" \
    sh "$here/lib/tap-node.sh" network-isolation.mjs
