/* flist_envd.c - envd answers as file-pane entries (see flist_envd.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "files/flist_envd.h"

/* The permission bits of an ls-style string's last nine characters ("Lrwxrwxrwx" -> 0777);
 * 0 for anything shorter. */
static uint32_t perms_bits(const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n < 9) return 0;
    p += n - 9;
    uint32_t m = 0;
    for (int i = 0; i < 9; i++)
        if (p[i] != '-' && p[i] != 'S' && p[i] != 'T') m |= 0400u >> i;
    return m;
}

int fent_set_envd(struct fent *e, const struct envd_entry *s)
{
    memset(e, 0, sizeof *e);
    if (!s->name || !s->name[0] || strchr(s->name, '/') || !strcmp(s->name, ".") ||
        !strcmp(s->name, ".."))
        return -1; /* hostile or useless names never become paths */
    if (!(e->name = strdup(s->name))) return -1;
    e->type = s->type == ENVD_FILE_DIRECTORY ? FENT_DIR
              : s->type == ENVD_FILE_SYMLINK ? FENT_LINK
              : s->type == ENVD_FILE_FILE    ? FENT_FILE
                                             : FENT_OTHER;
    e->size = s->size;
    e->mode = s->mode & 07777;
    e->owner = strdup(s->owner ? s->owner : "");
    e->mtime_ms = s->mtime_ms;
    if (s->symlink_target) e->target = strdup(s->symlink_target);
    /* envd reports a link's own type; a link to a directory lists as a directory in E2B,
     * so a symlink_target on a directory entry marks a followable link. */
    if (s->type == ENVD_FILE_DIRECTORY && s->symlink_target) {
        e->type = FENT_LINK;
        e->link_dir = 1;
    }
    /* a dangling link: envd could not stat its target, so no type and no mode; its
     * symlinkTarget is then the link's own path (not where it points) and its permissions
     * string ("Lrwxrwxrwx") holds the link's own bits. */
    if (s->type == ENVD_FILE_UNSPECIFIED && s->symlink_target) {
        e->type = FENT_LINK;
        e->link_broken = 1;
        e->mode = perms_bits(s->permissions);
        if (s->path && !strcmp(s->symlink_target, s->path)) {
            free(e->target);
            e->target = NULL;
        }
    }
    return 0;
}

int flist_set_envd(struct flist *l, const char *path, const struct envd_entries *es,
                   struct error *err)
{
    struct flist fresh = {0};
    if (es->n && !(fresh.v = calloc(es->n, sizeof *fresh.v)))
        return error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    for (size_t i = 0; i < es->n; i++)
        if (fent_set_envd(&fresh.v[fresh.n], &es->v[i]) == 0) fresh.n++;
    if (!(fresh.path = strdup(path))) {
        flist_free(&fresh);
        return error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    }
    flist_take(l, &fresh);
    return 0;
}
