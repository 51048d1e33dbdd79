/* denvd_owner.c - a file's host uid/gid as the sandbox names them (EntryInfo owner/group). */
#include "config.h"

#include <stdio.h>

#include "runtime/runtime.h"
#include "denvd_int.h"

void denvd_owner_names(struct denvd_call *c, uid_t uid, gid_t gid, char *owner, size_t on,
                       char *group, size_t gn)
{
    /* Files carry host ids: the sandbox's ids shifted by its base (root's host uid). Show
     * them as the sandbox does: its two users by name, other ids of its range by number,
     * and ids outside the range (host files bound in) as the kernel's overflow ids, which
     * `stat` inside the sandbox shows as nobody/nogroup. */
    uid_t ru, uu;
    gid_t rg, ug;
    const char *home;
    bool have_root = rt_user_ids(c->sbx->rt, "root", &ru, &rg, &home) == 0;
    bool have_user = rt_user_ids(c->sbx->rt, "user", &uu, &ug, &home) == 0;
    if (have_user && uid == uu)
        snprintf(owner, on, "user");
    else if (have_root && uid == ru)
        snprintf(owner, on, "root");
    else if (have_root && ru != 0 && (uid < ru || uid - ru > 65535))
        snprintf(owner, on, "nobody");
    else
        snprintf(owner, on, "%u", (unsigned)(have_root ? uid - ru : uid));
    if (have_user && gid == ug)
        snprintf(group, gn, "user");
    else if (have_root && gid == rg)
        snprintf(group, gn, "root");
    else if (have_root && rg != 0 && (gid < rg || gid - rg > 65535))
        snprintf(group, gn, "nogroup");
    else
        snprintf(group, gn, "%u", (unsigned)(have_root ? gid - rg : gid));
}
