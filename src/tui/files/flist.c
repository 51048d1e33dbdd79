/* flist.c - directory listings for the file panes (see flist.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/i18n.h"
#include "flist.h"
#include "boxtop/local_error.h"

void fent_free(struct fent *e)
{
    free(e->name);
    free(e->owner);
    free(e->target);
}

void flist_clear(struct flist *l)
{
    for (size_t i = 0; i < l->n; i++)
        fent_free(&l->v[i]);
    free(l->v);
    free(l->idx);
    l->v = NULL;
    l->idx = NULL;
    l->n = l->nidx = 0;
}

void flist_free(struct flist *l)
{
    flist_clear(l);
    free(l->path);
    l->path = NULL;
}

static int set_path(struct flist *l, const char *path)
{
    char *p = strdup(path);
    if (!p) return -1;
    free(l->path);
    l->path = p;
    return 0;
}

static char *owner_name(uid_t uid)
{
    /* getpwuid_r: no static buffer shared with anything else */
    char buf[1024];
    struct passwd pw, *res = NULL;
    char num[32];
    if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res) return strdup(pw.pw_name);
    snprintf(num, sizeof num, "%u", (unsigned)uid);
    return strdup(num);
}

int flist_read_local(struct flist *l, const char *path, struct error *err)
{
    DIR *d = opendir(path);
    if (!d) return local_error(err, LOCAL_LIST, "opendir", path, errno);
    flist_clear(l);
    size_t cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (GROW(l->v, cap, l->n + 1) < 0) {
            rc = error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
            break;
        }
        struct fent *e = &l->v[l->n];
        memset(e, 0, sizeof *e);
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) memset(&st, 0, sizeof st);
        e->name = strdup(de->d_name);
        if (!e->name) continue;
        e->type = S_ISDIR(st.st_mode)   ? FENT_DIR
                  : S_ISREG(st.st_mode) ? FENT_FILE
                  : S_ISLNK(st.st_mode) ? FENT_LINK
                                        : FENT_OTHER;
        e->size = (int64_t)st.st_size;
        e->mode = (uint32_t)(st.st_mode & 07777);
        e->owner = owner_name(st.st_uid);
        e->mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
        if (e->type == FENT_LINK) {
            char t[4096];
            ssize_t n = readlinkat(dirfd(d), de->d_name, t, sizeof t - 1);
            if (n >= 0) {
                t[n] = '\0';
                e->target = strdup(t);
            }
            struct stat ts;
            if (fstatat(dirfd(d), de->d_name, &ts, 0) < 0)
                e->link_broken = 1;
            else if (S_ISDIR(ts.st_mode))
                e->link_dir = 1;
        }
        l->n++;
    }
    closedir(d);
    if (rc == 0 && set_path(l, path) < 0)
        rc = error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    flist_apply(l);
    return rc;
}

/* fresh's entries and path replace l's (l keeps its sort, filter and hidden settings). */
void flist_take(struct flist *l, struct flist *fresh)
{
    flist_clear(l);
    l->v = fresh->v;
    l->n = fresh->n;
    if (fresh->path) {
        free(l->path);
        l->path = fresh->path;
    }
    free(fresh->idx);
    fresh->v = NULL;
    fresh->idx = NULL;
    fresh->path = NULL;
    fresh->n = fresh->nidx = 0;
    flist_apply(l);
}

static int is_dirish(const struct fent *e)
{
    return e->type == FENT_DIR || (e->type == FENT_LINK && e->link_dir);
}

/* qsort has no user pointer in C11: sort an array of (entry, key) pairs instead. */
struct sortitem {
    const struct fent *e;
    size_t i;
    enum flist_sort by;
    int reverse;
};

static int cmp_item(const void *pa, const void *pb)
{
    const struct sortitem *a = pa, *b = pb;
    int da = is_dirish(a->e), db = is_dirish(b->e);
    if (da != db) return db - da; /* directories first, whatever the order */
    int c = 0;
    if (a->by == FSORT_SIZE)
        c = a->e->size < b->e->size ? -1 : a->e->size > b->e->size;
    else if (a->by == FSORT_MTIME)
        c = a->e->mtime_ms < b->e->mtime_ms ? -1 : a->e->mtime_ms > b->e->mtime_ms;
    if (!c) c = strcmp(a->e->name, b->e->name);
    return a->reverse ? -c : c;
}

static int matches(const struct flist *l, const struct fent *e)
{
    if (!l->show_hidden && e->name[0] == '.') return 0;
    if (!l->filter[0]) return 1;
    size_t fl = strlen(l->filter);
    for (const char *p = e->name; *p; p++)
        if (!strncasecmp(p, l->filter, fl)) return 1;
    return 0;
}

void flist_apply(struct flist *l)
{
    free(l->idx);
    l->idx = NULL;
    l->nidx = 0;
    if (!l->n) return;
    struct sortitem *it = malloc(l->n * sizeof *it);
    l->idx = malloc(l->n * sizeof *l->idx);
    if (!it || !l->idx) {
        free(it);
        free(l->idx);
        l->idx = NULL;
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (matches(l, &l->v[i])) it[k++] = (struct sortitem){&l->v[i], i, l->sort, l->reverse};
    qsort(it, k, sizeof *it, cmp_item);
    for (size_t i = 0; i < k; i++)
        l->idx[i] = it[i].i;
    l->nidx = k;
    free(it);
}

const struct fent *flist_at(const struct flist *l, size_t i)
{
    return i < l->nidx ? &l->v[l->idx[i]] : NULL;
}

long flist_find(const struct flist *l, const char *name)
{
    for (size_t i = 0; i < l->nidx; i++)
        if (!strcmp(l->v[l->idx[i]].name, name)) return (long)i;
    return -1;
}

int flist_has(const struct flist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].name, name)) return 1;
    return 0;
}

void fmode_str(char *out, enum fent_type t, uint32_t m)
{
    out[0] = t == FENT_DIR ? 'd' : t == FENT_LINK ? 'l' : t == FENT_OTHER ? '?' : '-';
    const char *rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++)
        out[1 + i] = (m & (0400u >> i)) ? rwx[i] : '-';
    if (m & 04000) out[3] = (m & 0100) ? 's' : 'S';
    if (m & 02000) out[6] = (m & 010) ? 's' : 'S';
    if (m & 01000) out[9] = (m & 01) ? 't' : 'T';
    out[10] = '\0';
}

char *flist_free_name(const struct flist *l, const char *name)
{
    size_t n = strlen(name) + 24;
    char *p = malloc(n);
    if (!p) return NULL;
    for (unsigned i = 1; i < 100000; i++) {
        snprintf(p, n, "%s.%u", name, i);
        if (!flist_has(l, p)) return p;
    }
    free(p);
    return NULL;
}
