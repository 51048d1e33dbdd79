/* rt_etc.c - the per-sandbox /etc files (hostname, hosts, resolv.conf), for every way of
 * building a root and for a spare's naming (rt_spare.c). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rt_internal.h"

/* The per-sandbox /etc files. hosts: the root's own (the image's, else the host's) plus the
 * sandbox's name. resolv.conf: the host's resolvers as they are now (the network is shared);
 * on the host's root only where it is a symlink (often into /run, which is the sandbox's own
 * there), since the host's file shows through otherwise. */
void rt_etc_texts(const struct rt *rt, const char *id, struct rt_etc *e)
{
    char p[PATH_MAX], base[8192];
    bool image = rt_on_image(rt);
    snprintf(e->hostname, sizeof e->hostname, "%s\n", id);
    if ((image ? rt_path(p, sizeof p, "%s/etc/hosts", rt->base.st.lower)
               : rt_path(p, sizeof p, "/etc/hosts")) < 0 ||
        rt_read_file(p, base, sizeof base) < 0)
        snprintf(base, sizeof base, "%s",
                 image ? "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
                       : "127.0.0.1\tlocalhost\n::1\tlocalhost\n");
    snprintf(e->hosts, sizeof e->hosts, "%s127.0.1.1\t%s\n", base, id);
    struct stat st;
    e->resolv[0] = '\0';
    if ((image || (lstat("/etc/resolv.conf", &st) == 0 && S_ISLNK(st.st_mode))) &&
        rt_read_file("/etc/resolv.conf", e->resolv, sizeof e->resolv) < 0)
        e->resolv[0] = '\0'; /* dangling or unreadable: none */
}
