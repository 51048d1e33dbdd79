/* rt_stack.c - read-only layers stacked between a sandbox's writable layer and the base image
 * (templates built on boxtopd).
 *
 * A finished template build gives its writable layer away (rt_layer_take): the overlay's
 * upper directory is moved, not copied, to the caller's layer directory. It holds only what
 * the build changed, whiteouts and opaque markers included, so a layer on top of its parent's
 * layers and the image is the build's filesystem. Full mode shifts its owners to the image's
 * id range, the one id range all layers share, so that one idmapped mount per layer gives them
 * to any sandbox. Layers are never written again: overlayfs only reads lower layers, and the
 * idmapped mounts are read-only.
 *
 * A sandbox's stack is rt_spec.lowers, kept in DIR/runtime/<id>/lowers (one directory a line,
 * topmost first) for every later boot. The setup child mounts it with short names relative to
 * the sandbox directory (l0, l1, ... then "lower", the image): the mount options must fit in
 * one page, and absolute paths of 64 layers would not. l<i> is an idmapped mount of the layer
 * (full mode, when the sandbox's id range is not the image's) or a symlink to it. */
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

#define SHIFT_DEPTH_MAX 256

bool rt_can_stack(const struct rt *rt)
{
    return rt_on_image(rt);
}

const char *rt_sandbox_lowers(const struct rt_sandbox *sb)
{
    return sb->lowers ? sb->lowers : "";
}

/* Each line an absolute directory without ':' ',' '\' (overlay option syntax); at most
 * RT_LOWERS_MAX lines. */
static int lowers_check(const char *text, struct error *err)
{
    int n = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == 0 || len >= PATH_MAX || p[0] != '/')
            return error_set(err, ERROR_USAGE, "layer paths must be absolute");
        for (size_t i = 0; i < len; i++)
            if (p[i] == ':' || p[i] == ',' || p[i] == '\\' || (unsigned char)p[i] < 0x20)
                return error_set(err, ERROR_USAGE, "layer path with a reserved character");
        if (++n > RT_LOWERS_MAX)
            return error_set(err, ERROR_USAGE, "more than %d stacked layers", RT_LOWERS_MAX);
        p += len + (nl != NULL);
    }
    return n;
}

int rt_lowers_write(struct rt *rt, struct rt_sandbox *sb, const char *text, struct error *err)
{
    if (!text || !*text) return 0;
    if (!rt_can_stack(rt))
        return error_set(err, ERROR_USAGE, "stacked layers need namespaces and the base image");
    if (lowers_check(text, err) < 0) return -1;
    char p[PATH_MAX];
    if (rt_path(p, sizeof p, "%s/lowers", sb->dir) < 0 ||
        rt_write_file(p, text, strlen(text), 0600) < 0)
        return error_set(err, ERROR_GENERIC, "sandbox %s: lowers: %s", sb->id, strerror(errno));
    free(sb->lowers);
    sb->lowers = strdup(text);
    return 0;
}

void rt_lowers_load(struct rt_sandbox *sb)
{
    char p[PATH_MAX], buf[RT_LOWERS_MAX * (PATH_MAX / 8)];
    free(sb->lowers);
    sb->lowers = NULL;
    ssize_t n;
    if (rt_path(p, sizeof p, "%s/lowers", sb->dir) < 0 ||
        (n = rt_read_file(p, buf, sizeof buf)) <= 0)
        return;
    buf[n < (ssize_t)sizeof buf ? n : (ssize_t)sizeof buf - 1] = '\0';
    sb->lowers = strdup(buf);
}

/* In the setup child, cwd = the sandbox directory: l0..l<n-1> for the layers in "lowers",
 * appended to opts as "l0:l1:...:" (ns >= 0: idmapped through that user namespace). */
int rt_lowers_mount(int ns, char *opts, size_t cap, char *why, size_t n)
{
    char buf[RT_LOWERS_MAX * (PATH_MAX / 8)], name[16];
    ssize_t len = rt_read_file("lowers", buf, sizeof buf);
    if (len <= 0) return 0;
    buf[len < (ssize_t)sizeof buf ? len : (ssize_t)sizeof buf - 1] = '\0';
    int i = 0;
    for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save), i++) {
        if (i >= RT_LOWERS_MAX) return rt_fail(why, n, "too many layers");
        snprintf(name, sizeof name, "l%d", i);
        if (unlink(name) < 0 && errno != ENOENT && rmdir(name) < 0 && errno != ENOENT)
            return rt_fail(why, n, "clear %s", name);
        if (ns >= 0) {
            if (mkdir(name, 0700) < 0) return rt_fail(why, n, "mkdir %s", name);
            if (rt_idmap_mount(ns, line, name, why, n) < 0) return -1;
        } else if (symlink(line, name) < 0) {
            return rt_fail(why, n, "symlink %s", name);
        }
        size_t l = strlen(opts);
        if (l + strlen(name) + 2 >= cap) return rt_fail(why, n, "layer options too long");
        snprintf(opts + l, cap - l, "%s:", name);
    }
    return 0;
}

/* ------------------------------------------------------------------ rt_layer_take */

struct shift {
    uint32_t from, to;
    int err;
};

static void shift_entry(struct shift *sh, int dfd, const char *name, int depth);

static void shift_dir(struct shift *sh, int fd, int depth)
{
    int dup_fd = dup(fd);
    DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!dp) {
        if (dup_fd >= 0) close(dup_fd);
        if (!sh->err) sh->err = errno;
        return;
    }
    struct dirent *e;
    while ((e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            shift_entry(sh, fd, e->d_name, depth);
    closedir(dp);
}

static uint32_t shifted(const struct shift *sh, uint32_t id)
{
    return id >= sh->from && id - sh->from < RT_IDMAP_SIZE ? id - sh->from + sh->to : id;
}

/* chown clears set-uid/set-gid bits: they are put back. */
static void shift_entry(struct shift *sh, int dfd, const char *name, int depth)
{
    struct stat st;
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return;
    uid_t u = shifted(sh, st.st_uid);
    gid_t g = shifted(sh, st.st_gid);
    if ((u != st.st_uid || g != st.st_gid) && fchownat(dfd, name, u, g, AT_SYMLINK_NOFOLLOW) < 0 &&
        !sh->err)
        sh->err = errno;
    if (!S_ISLNK(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID)))
        fchmodat(dfd, name, st.st_mode & 07777, 0);
    if (!S_ISDIR(st.st_mode)) return;
    if (depth >= SHIFT_DEPTH_MAX) {
        if (!sh->err) sh->err = ELOOP;
        return;
    }
    int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (!sh->err) sh->err = errno;
        return;
    }
    shift_dir(sh, fd, depth + 1);
    close(fd);
}

/* per-sandbox files: every sandbox writes its own */
static const char *const per_sandbox[] = {"etc/hostname", "etc/hosts", "etc/resolv.conf"};

static int unlink_per_sandbox(void *dir)
{
    char p[PATH_MAX];
    for (size_t i = 0; i < sizeof per_sandbox / sizeof per_sandbox[0]; i++)
        if (rt_path(p, sizeof p, "%s/%s", (const char *)dir, per_sandbox[i]) == 0) unlink(p);
    return 0;
}

int rt_layer_take(struct rt *rt, struct rt_sandbox *sb, const char *dir, int64_t *bytes,
                  struct error *err)
{
    if (!rt_can_stack(rt))
        return error_set(err, ERROR_USAGE, "stacked layers need namespaces and the base image");
    if (sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is running", sb->id);
    char up[PATH_MAX];
    if (rt_path(up, sizeof up, "%s/upper", sb->dir) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    if (rename(up, dir) < 0)
        return error_set(err, ERROR_GENERIC, "layer %s: %s", dir, strerror(errno));
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return error_set(err, ERROR_GENERIC, "layer %s: %s", dir, strerror(errno));
    bool denied = false;
    for (size_t i = 0; i < sizeof per_sandbox / sizeof per_sandbox[0]; i++)
        if (unlinkat(fd, per_sandbox[i], 0) < 0 && errno == EACCES) denied = true;
    /* rootless with a range: /etc is root's (rt_imagefs_etc), whose range unlinks them */
    if (denied && rt->mode == RT_MODE_ROOTLESS && rt->sub.ok)
        rt_subid_run(&rt->sub, unlink_per_sandbox, (void *)dir);
    struct shift sh = {.from = sb->idbase, .to = rt->base.lower_base};
    if (rt->mode == RT_MODE_FULL && sh.from != sh.to) {
        struct stat st;
        if (fstat(fd, &st) == 0) {
            uid_t u = shifted(&sh, st.st_uid);
            gid_t g = shifted(&sh, st.st_gid);
            if (fchown(fd, u, g) < 0) sh.err = errno;
        }
        shift_dir(&sh, fd, 0);
    }
    struct rt_disk_walk w = {.last = -1};
    int64_t total;
    do
        total = rt_disk_step(&w, fd);
    while (w.depth > 0);
    rt_disk_reset(&w);
    close(fd);
    if (sh.err) return error_set(err, ERROR_GENERIC, "layer %s: owners: %s", dir, strerror(sh.err));
    *bytes = total;
    return 0;
}
