#!/bin/sh
# check-user-note.sh - the one line `make check` prints first when it does not run as root:
# what differs for this user (CI runs as root). Facts only: the subordinate id range in
# /etc/subuid and newuidmap (rt_subid.c), and boxtopd makes cgroups only as root (rt_cgroup.c).
[ "$(id -u)" = 0 ] && exit 0
u=$(id -un)
range=$(awk -F: -v u="$u" -v i="$(id -u)" '($1 == u || $1 == i) && $3 >= 65536 { print $2 "-" $2 + 65535; exit }' /etc/subuid 2>/dev/null)
if [ -n "$range" ] && command -v newuidmap >/dev/null 2>&1; then
    ids="root and the users a template adds are your subordinate ids $range"
else
    ids="no subordinate id range in /etc/subuid with newuidmap: root inside runs as you, templates that add users fail (sudo usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $u; apt-get install uidmap)"
fi
echo "make check as $u, not root (CI runs as root): sandboxes are rootless ($ids); no cgroups, so no memory/cpu/pids limits (the limit tests check that /health says so); a local file no one may read is given to one of your subordinate ids, not chowned."
