#!/bin/sh
# The runtime test as an unprivileged user (rootless namespaces) on the same base image. Run
# as root (CI), it drops to two users, each with a private cache and home; the image tarball
# that root's cache holds is hard-linked in (nothing is downloaded again), and a marker is
# placed in a new top-level host directory, which the sandbox must not see:
#   1. boxtop-rootless (BOXTOP_ROOTLESS_USER), which has a subordinate id range in
#      /etc/subuid and /etc/subgid (useradd gives one; .ci/run makes the user): the whole test,
#      with a real root inside (`sudo -n id -u` prints 0) mapped by newuidmap/newgidmap;
#   2. nobody, which has no range: boxtopd must say so and how to add one, and sudo fails.
set -eu
b=${abs_top_builddir:-.}
if [ "$(id -u)" != 0 ]; then
    exec "$b/tests/runtime/test_runtime" "$@" # already unprivileged: rootless as it is
fi
ranged=${BOXTOP_ROOTLESS_USER:-boxtop-rootless}
lower=$("$b/src/boxtopd" --build-base 2>&1 | sed -n 's/^base: ready in //p')
[ -n "$lower" ] || { echo "1..1"; echo "not ok 1 - no base image (boxtopd --build-base)"; exit 1; }
if ! id -u "$ranged" >/dev/null 2>&1 || ! grep -q "^$ranged:" /etc/subuid ||
    ! grep -q "^$ranged:" /etc/subgid; then
    echo "1..1"
    echo "not ok 1 - no user $ranged with a subordinate id range (as root: useradd --no-create-home --shell /usr/sbin/nologin $ranged; .ci/run does it)"
    exit 1
fi
if grep -q '^nobody:' /etc/subuid; then
    echo "1..1"; echo "not ok 1 - nobody has a subordinate range: the no-range case needs it without"; exit 1
fi
dir=$(mktemp -d /tmp/boxtopd-rootless-XXXXXX)
marker=/boxtop-marker-rootless-$$
cleanup() { rm -rf "$dir" "$marker"; }
trap cleanup EXIT INT TERM
chmod 755 "$dir"
ln "$(dirname "$lower")/base.tar" "$dir/base.tar" 2>/dev/null || cp "$(dirname "$lower")/base.tar" "$dir/base.tar"
chmod 644 "$dir/base.tar"
mkdir "$marker"
echo m > "$marker/marker"
chmod -R a+rX "$marker"
top=$(cd "$b" && pwd)
# cd: the unprivileged user may not be able to search the build directory's parents
cd "$dir"
# as_user USER SUDO [extra env...]: test_runtime as USER with its own cache and home
as_user() {
    u=$1 sudo=$2
    shift 2
    uid=$(id -u "$u") gid=$(id -g "$u")
    mkdir -p "$dir/$u/cache" "$dir/$u/home"
    chown -R "$uid:$gid" "$dir/$u"
    setpriv --reuid="$uid" --regid="$gid" --clear-groups \
        env HOME="$dir/$u/home" XDG_CACHE_HOME="$dir/$u/cache" PATH="$PATH" \
        BOXTOPD_TEST_BASE_ROOTFS="$dir/base.tar" BOXTOPD_TEST_MARKER="$marker/marker" \
        BOXTOPD_TEST_SUDO="$sudo" "$@" "$top/tests/runtime/test_runtime"
}
# Two TAP streams made one: the second run's numbers continue after the first's.
out1=$dir/tap1 out2=$dir/tap2
rc=0
as_user "$ranged" yes >"$out1" 2>&1 || rc=1
as_user nobody no env BOXTOPD_TEST_SUDO_ONLY=1 >"$out2" 2>&1 || rc=1
n1=$(grep -c '^\(not \)\?ok ' "$out1" || true)
grep -v '^1\.\.' "$out1"
grep -v '^1\.\.' "$out2" | awk -v n="$n1" '
    /^(not )?ok [0-9]+/ { neg = ($1 == "not"); k = $(neg ? 3 : 2) + n; sub(/ok [0-9]+/, "ok " k " [nobody, no range]") }
    { print }'
n2=$(grep -c '^\(not \)\?ok ' "$out2" || true)
echo "1..$((n1 + n2))"
exit $rc
