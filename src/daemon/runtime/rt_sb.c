/* rt_sb.c - a sandbox's record in the runtime: allocation, name and directory (with its id
 * base), the list of loaded sandboxes, init.pid, and the fds the host loop watches. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_internal.h"

void rt_watch(struct rt *rt, int fd)
{
    if (fd >= 0 && rt->hooks.watch_fd) rt->hooks.watch_fd(rt->hooks.ud, fd);
}

void rt_unwatch_close(struct rt *rt, int *fd)
{
    if (*fd < 0) return;
    if (rt->hooks.unwatch_fd) rt->hooks.unwatch_fd(rt->hooks.ud, *fd);
    close(*fd);
    *fd = -1;
}

/* sb's name: id, DIR/runtime/<id>, the spec (the caller's pointers dropped: only used while
 * creating). A spare is renamed this way when it is taken. */
int rt_sb_name(struct rt *rt, struct rt_sandbox *sb, const char *id, const struct rt_spec *spec)
{
    snprintf(sb->id, sizeof sb->id, "%s", id);
    if (spec) sb->spec = *spec;
    sb->spec.id = sb->id;
    sb->spec.seed_dir = sb->spec.binds = sb->spec.lowers = NULL;
    if (rt_path(sb->dir, sizeof sb->dir, "%s/%s", rt->rt_dir, sb->id) < 0 ||
        rt_path(sb->home, sizeof sb->home, "%s/home/user", sb->dir) < 0)
        return -1;
    return 0;
}

struct rt_sandbox *rt_sb_alloc(struct rt *rt, const char *id, const struct rt_spec *spec)
{
    struct rt_sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) return NULL;
    sb->rt = rt;
    sb->dir_fd = sb->pidfd = sb->ev_fd = sb->req_fd = sb->root_fd = -1;
    sb->disk.last = -1;
    if (rt_sb_name(rt, sb, id, spec) < 0) {
        free(sb);
        errno = ENAMETOOLONG;
        return NULL;
    }
    return sb;
}

/* Why a sandbox with this id cannot be made now (NULL: it can). */
const char *rt_sb_refused(struct rt *rt, const char *id, enum error_kind *kind)
{
    *kind = ERROR_USAGE;
    if (!rt_id_valid(id)) return "invalid sandbox id";
    *kind = ERROR_CONFLICT;
    for (struct rt_sandbox *s = rt->sandboxes; s; s = s->next)
        if (strcmp(s->id, id) == 0) return "is already loaded";
    return NULL;
}

void rt_sb_free(struct rt_sandbox *sb)
{
    if (sb->dir_fd >= 0) close(sb->dir_fd);
    free(sb->lowers);
    rt_disk_reset(&sb->disk);
    free(sb);
}

void rt_sb_link(struct rt *rt, struct rt_sandbox *sb)
{
    sb->next = rt->sandboxes;
    rt->sandboxes = sb;
}

void rt_sb_unlink(struct rt *rt, struct rt_sandbox *sb)
{
    for (struct rt_sandbox **pp = &rt->sandboxes; *pp; pp = &(*pp)->next) {
        if (*pp == sb) {
            *pp = sb->next;
            return;
        }
    }
}

/* The lowest id slot no other sandbox directory (spares and seeds included) uses. */
int rt_pick_idbase(struct rt *rt, uint32_t *out)
{
    uint32_t n = rt->idmap_slots > 4096 ? 4096 : rt->idmap_slots;
    unsigned char used[4096] = {0};
    DIR *d = opendir(rt->rt_dir);
    if (!d) return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!rt_id_valid(e->d_name) && strncmp(e->d_name, RT_SPARE_PREFIX, 7) != 0 &&
            strncmp(e->d_name, RT_SEED_PREFIX, strlen(RT_SEED_PREFIX)) != 0)
            continue;
        char p[PATH_MAX], buf[128];
        unsigned long v;
        if (rt_path(p, sizeof p, "%s/%s/meta", rt->rt_dir, e->d_name) < 0 ||
            rt_read_file(p, buf, sizeof buf) < 0 || sscanf(buf, "idbase %lu", &v) != 1 ||
            v < rt->idmap_base)
            continue;
        unsigned long slot = (v - rt->idmap_base) / RT_IDMAP_SIZE;
        if (slot < n) used[slot] = 1;
    }
    closedir(d);
    for (uint32_t i = 0; i < n; i++) {
        if (!used[i]) {
            *out = rt->idmap_base + i * RT_IDMAP_SIZE;
            return 0;
        }
    }
    errno = ENOSPC;
    return -1;
}

int rt_sb_write_pid(struct rt_sandbox *sb)
{
    char buf[64], p[PATH_MAX];
    snprintf(buf, sizeof buf, "%d %llu\n", (int)sb->init_pid, sb->init_start);
    if (rt_path(p, sizeof p, "%s/init.pid", sb->dir) < 0) return -1;
    return rt_write_file(p, buf, strlen(buf), 0600);
}

/* A new sandbox's directory with its meta (id base: idbase, or a free one when NULL). 1 = made
 * (sb->dir_fd set), 0 = not made (err set), -1 = made but incomplete (err set; destroy sb). */
int rt_sb_mkdir(struct rt *rt, struct rt_sandbox *sb, const uint32_t *idbase, struct error *err)
{
    if (mkdir(sb->dir, 0711) < 0) {
        int e = errno;
        error_set(err, e == EEXIST ? ERROR_CONFLICT : ERROR_GENERIC, "sandbox %s: %s", sb->id,
                  strerror(e));
        return 0;
    }
    char meta[64];
    sb->dir_fd = open(sb->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (idbase) sb->idbase = *idbase; /* the range its seed was made for (rt_seed_dir) */
    if (sb->dir_fd < 0 || (!idbase && rt_pick_idbase(rt, &sb->idbase) < 0))
        return error_set(err, ERROR_GENERIC, "sandbox %s: %s", sb->id, strerror(errno));
    snprintf(meta, sizeof meta, "idbase %u\n", sb->idbase);
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/meta", sb->dir) < 0 ||
        rt_write_file(p, meta, strlen(meta), 0600) < 0)
        return error_set(err, ERROR_GENERIC, "sandbox %s: meta: %s", sb->id, strerror(errno));
    return 1;
}

/* Written beside and renamed over: a crash never leaves half a value. */
int rt_sandbox_note_put(struct rt_sandbox *sb, const char *name, const char *val)
{
    char p[PATH_MAX], tmp[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/note-%s", sb->dir, name) < 0 ||
        rt_path(tmp, sizeof tmp, "%s/note-%s.tmp", sb->dir, name) < 0 ||
        rt_write_file(tmp, val, strlen(val), 0600) < 0)
        return -1;
    return rename(tmp, p);
}

ssize_t rt_sandbox_note_get(struct rt_sandbox *sb, const char *name, char *buf, size_t n)
{
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/note-%s", sb->dir, name) < 0) return -1;
    return rt_read_file(p, buf, n);
}
