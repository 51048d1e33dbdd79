#!/bin/sh
# bootstrap.sh - install the Debian build dependencies (as root), then configure and build, and
# make boxtopd's sandbox image (Debian bookworm via mmdebstrap, once per machine: cached under
# $XDG_CACHE_HOME/boxtop, else ~/.cache/boxtop), so that src/boxtop starts with it ready.
# Usage: ./bootstrap.sh [configure options...]
set -eu
cd "$(dirname "$0")"

DEPS="build-essential autoconf automake libtool pkg-config autopoint gettext \
libncurses-dev libcurl4-openssl-dev libcjson-dev libvterm-dev libwebsockets-dev \
libssl-dev zlib1g-dev libcmocka-dev tmux nodejs npm uidmap locales man-db mmdebstrap"

missing=""
for p in $DEPS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# nodejs may come from outside Debian (node on PATH is enough).
if command -v node >/dev/null 2>&1; then
    missing=$(echo "$missing" | sed -e 's/ nodejs//' -e 's/ npm//')
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
    else
        echo "bootstrap: missing packages:$missing" >&2
        echo "bootstrap: run as root: apt-get install -y$missing" >&2
        exit 1
    fi
fi

# The German UI test runs with LANG=de_DE.UTF-8; generate the locale when we can.
if [ "$(id -u)" = 0 ] && ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    localedef -i de_DE -f UTF-8 de_DE.UTF-8 || echo "bootstrap: could not generate de_DE.UTF-8" >&2
fi

# make check runs the rootless runtime test as an unprivileged user with a subordinate id range
# (issue 14: a real root inside rootless sandboxes, so sudo works); as root, make that user here
# (useradd gives the range from login.defs, usermod adds one when it did not).
if [ "$(id -u)" = 0 ]; then
    id -u boxtop-rootless >/dev/null 2>&1 ||
        useradd --no-create-home --shell /usr/sbin/nologin boxtop-rootless ||
        echo "bootstrap: could not add the user boxtop-rootless" >&2
    if id -u boxtop-rootless >/dev/null 2>&1 &&
        ! { grep -q '^boxtop-rootless:' /etc/subuid && grep -q '^boxtop-rootless:' /etc/subgid; }; then
        usermod --add-subuids 100000-165535 --add-subgids 100000-165535 boxtop-rootless ||
            echo "bootstrap: could not give boxtop-rootless a subordinate id range" >&2
    fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    autoreconf -fi
fi
if [ ! -f Makefile ]; then
    ./configure "$@"
fi
make -j"$(nproc)"

# The sandbox image: a no-op when the cache has it. A failure is not fatal to the build:
# boxtopd then says why at start (or run it with --base host).
src/boxtopd --build-base || echo "bootstrap: boxtopd's base image could not be built (see above)" >&2
