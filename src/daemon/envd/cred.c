/* cred.c - run a file operation with the sandbox user's host ids (see denvd_int.h). */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <unistd.h>
#include <sys/fsuid.h>

#include "confine.h"
#include "denvd_int.h"

void denvd_cred_enter(const struct denvd_call *c, struct denvd_cred *save)
{
    save->active = false;
    if (geteuid() != 0 || c->uid == 0) return;
    save->ngroups = getgroups(64, save->groups);
    if (save->ngroups < 0) save->ngroups = 0;
    gid_t g = c->gid;
    if (setgroups(1, &g) < 0) return;
    save->fsgid = (gid_t)setfsgid(c->gid);
    save->fsuid = (uid_t)setfsuid(c->uid);
    save->active = true;
}

void denvd_cred_leave(struct denvd_cred *save)
{
    if (!save->active) return;
    setfsuid(save->fsuid);
    setfsgid(save->fsgid);
    if (setgroups((size_t)save->ngroups, save->groups) < 0)
        setgroups(0, NULL); /* never keep the sandbox's group */
    save->active = false;
}

/* Upstream envd is root inside its VM, so a write to /0/x as the default user creates /0
 * (then chowns it to the user). Here the sandbox's "/" belongs to nobody the sandbox maps,
 * so the missing directories are made with boxtopd's own privileges for this one step -
 * still confined to the sandbox root by openat2 (confine.h), and only directories. Not in
 * plain mode, whose root is the host's "/". */
int denvd_mkdir_p_priv(const struct denvd_call *c, const char *abs, int *created)
{
    if (!c->own_root || geteuid() != 0) return cf_mkdir_p(c->root_fd, abs, c->uid, c->gid, created);
    uid_t pu = (uid_t)setfsuid(0);
    gid_t pg = (gid_t)setfsgid(0);
    int rc = cf_mkdir_p(c->root_fd, abs, c->uid, c->gid, created);
    setfsgid(pg);
    setfsuid(pu);
    if (rc == -EOVERFLOW) {
        /* a volume is an idmapped mount (rt_binds.c) whose map has no root: there the
         * directories are made as the user, as the user could with mkdir -p */
        struct denvd_cred cred;
        denvd_cred_enter(c, &cred);
        rc = cf_mkdir_p(c->root_fd, abs, c->uid, c->gid, created);
        denvd_cred_leave(&cred);
    }
    return rc;
}
