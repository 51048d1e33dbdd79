/* cred.c - run a file operation with the sandbox user's host ids (see envd_int.h). */
#include "config.h"

#include <grp.h>
#include <unistd.h>
#include <sys/fsuid.h>

#include "envd_int.h"

void envd_cred_enter(const struct envd_call *c, struct envd_cred *save)
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

void envd_cred_leave(struct envd_cred *save)
{
    if (!save->active) return;
    setfsuid(save->fsuid);
    setfsgid(save->fsgid);
    if (setgroups((size_t)save->ngroups, save->groups) < 0)
        setgroups(0, NULL); /* never keep the sandbox's group */
    save->active = false;
}
