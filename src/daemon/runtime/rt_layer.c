/* rt_layer.c - copies of a sandbox's writable layer: snapshots and forks.
 *
 * What a sandbox changed lives in DIR/runtime/<id>/upper (full and rootless modes: the
 * overlay's upper directory, whiteouts and opaque markers included) or DIR/runtime/<id>/home
 * (plain mode). Whatever the lower layer is (the host's "/" today, an image later), a copy of
 * that directory on top of the same lower layer is the sandbox's filesystem as it was.
 *
 * Export copies it into a directory of the caller's (a snapshot, a fork's seed) and reports
 * the id base it was written with; a new sandbox is seeded from such a copy before its first
 * boot, shifting owners from the old id base to its own (full mode maps each sandbox to its
 * own range of host ids). The copy keeps modes, owners, times, symlinks, device nodes (the
 * overlay's whiteouts) and extended attributes (trusted.overlay.opaque, user.e2b.*); hard
 * links become separate files. A running sandbox is frozen during its export so that the copy
 * is one point in time.
 *
 * Snapshots and forks copy in a child process (rt_sandbox_copy_start, rt_dir_copy_start; the
 * loop hears when it ended): a layer of gigabytes must not hold every other client. A new
 * sandbox then takes such a copy by a rename (rt_spec.seed_move) instead of a second copy;
 * only full mode's owner shift walks it in the loop (no data is copied). The synchronous
 * export stays for template builds. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "boxtop/log.h"
#include "rt_internal.h"

#define LAYER_DEPTH_MAX 256

struct layer_copy {
    uint32_t from, to; /* owners in [from, from + RT_IDMAP_SIZE) move to the same place at to */
    bool shift;
    int64_t bytes;
    int err; /* first errno */
};

static uid_t shift_id(const struct layer_copy *lc, uid_t id)
{
    if (!lc->shift || id < lc->from || id - lc->from >= RT_IDMAP_SIZE) return id;
    return id - lc->from + lc->to;
}

static void note(struct layer_copy *lc, int e)
{
    if (!lc->err) lc->err = e ? e : EIO;
}

/* Extended attributes of an open file (not of symlinks or devices: the kernel keeps user.*
 * off them and the overlay's markers live on directories). */
static void copy_xattrs(struct layer_copy *lc, int sfd, int dfd)
{
    char names[8192], val[65536];
    ssize_t n = flistxattr(sfd, names, sizeof names);
    for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
        ssize_t vl = fgetxattr(sfd, names + off, val, sizeof val);
        if (vl < 0) continue;
        if (fsetxattr(dfd, names + off, val, (size_t)vl, 0) < 0 && errno != ENOTSUP &&
            errno != EPERM)
            note(lc, errno);
    }
}

static void copy_data(struct layer_copy *lc, int sfd, int dfd, off_t size)
{
    off_t left = size;
    while (left > 0) {
        ssize_t n = copy_file_range(sfd, NULL, dfd, NULL, (size_t)left, 0);
        if (n > 0) {
            left -= n;
            continue;
        }
        if (n == 0) break; /* shrank meanwhile */
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) {
            note(lc, errno);
            return;
        }
        char buf[65536]; /* no copy_file_range between these filesystems: read/write */
        for (;;) {
            ssize_t r = read(sfd, buf, sizeof buf);
            if (r == 0) return;
            if (r < 0) {
                if (errno == EINTR) continue;
                note(lc, errno);
                return;
            }
            for (ssize_t w = 0; w < r;) {
                ssize_t k = write(dfd, buf + w, (size_t)(r - w));
                if (k < 0) {
                    if (errno == EINTR) continue;
                    note(lc, errno);
                    return;
                }
                w += k;
            }
        }
    }
}

static void copy_dir(struct layer_copy *lc, int sdir, int ddir, int depth);

/* The end of a directory's or a file's copy (s and d as opened, either may be -1: the open's
 * errno is noted): d gets the source's owner (shifted), mode and times; both are closed and
 * the source's blocks counted. A refused chown is an error only as root. */
static void settle(struct layer_copy *lc, int s, int d, const struct stat *st, uid_t uid, gid_t gid)
{
    if (s >= 0 && d >= 0) {
        struct timespec times[2] = {st->st_atim, st->st_mtim};
        if (fchown(d, uid, gid) < 0 && geteuid() == 0) note(lc, errno);
        fchmod(d, st->st_mode & 07777);
        futimens(d, times);
    } else {
        note(lc, errno);
    }
    if (s >= 0) close(s);
    if (d >= 0) close(d);
    lc->bytes += (int64_t)st->st_blocks * 512;
}

static void copy_entry(struct layer_copy *lc, int sdir, int ddir, const char *name, int depth)
{
    struct stat st;
    if (fstatat(sdir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return; /* vanished */
    uid_t uid = shift_id(lc, st.st_uid);
    gid_t gid = (gid_t)shift_id(lc, st.st_gid);
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    if (S_ISDIR(st.st_mode)) {
        if (depth >= LAYER_DEPTH_MAX) {
            note(lc, ELOOP);
            return;
        }
        if (mkdirat(ddir, name, 0700) < 0 && errno != EEXIST) {
            note(lc, errno);
            return;
        }
        int s = openat(sdir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int d = openat(ddir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s >= 0 && d >= 0) {
            copy_xattrs(lc, s, d);
            copy_dir(lc, s, d, depth + 1);
        }
        settle(lc, s, d, &st, uid, gid);
        return;
    }
    if (S_ISREG(st.st_mode)) {
        int s = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        int d = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (s >= 0 && d >= 0) {
            copy_data(lc, s, d, st.st_size);
            copy_xattrs(lc, s, d);
        }
        settle(lc, s, d, &st, uid, gid);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlinkat(sdir, name, target, sizeof target - 1);
        if (n < 0) return;
        target[n] = '\0';
        if (symlinkat(target, ddir, name) < 0) {
            note(lc, errno);
            return;
        }
    } else if (mknodat(ddir, name, st.st_mode, st.st_rdev) < 0) { /* whiteouts, fifos */
        note(lc, errno);
        return;
    }
    if (fchownat(ddir, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0 && geteuid() == 0) note(lc, errno);
    utimensat(ddir, name, times, AT_SYMLINK_NOFOLLOW);
}

bool rt_name_is_rm_hidden(const char *name)
{
    size_t n = strlen(RT_RM_HIDDEN_PREFIX);
    if (strncmp(name, RT_RM_HIDDEN_PREFIX, n) != 0 || strlen(name + n) != 16) return false;
    return strspn(name + n, "0123456789abcdef") == 16;
}

static void copy_dir(struct layer_copy *lc, int sdir, int ddir, int depth)
{
    int fd = dup(sdir);
    DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dp) {
        if (fd >= 0) close(fd);
        note(lc, errno);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        /* a tree envd's Remove is deleting: gone for the sandbox, and a copy of it would be
         * partial (the deletion goes on meanwhile) */
        if (rt_name_is_rm_hidden(e->d_name)) continue;
        copy_entry(lc, sdir, ddir, e->d_name, depth);
    }
    closedir(dp);
}

/* Copy the directory src (its contents, attributes and owner) to dst, which must not exist. */
static int copy_tree(const char *src, const char *dst, struct layer_copy *lc, struct error *err)
{
    char parent[PATH_MAX];
    if (rt_path(parent, sizeof parent, "%s", dst) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    char *slash = strrchr(parent, '/');
    if (!slash || !slash[1]) return error_set(err, ERROR_GENERIC, "bad destination %s", dst);
    *slash = '\0';
    int sp = open(src, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sp < 0) return error_set(err, ERROR_GENERIC, "copy %s: %s", src, strerror(errno));
    int dp = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dp < 0) {
        close(sp);
        return error_set(err, ERROR_GENERIC, "copy to %s: %s", parent, strerror(errno));
    }
    /* copy_entry wants a parent and a name: src's own parent and name */
    char sparent[PATH_MAX];
    rt_path(sparent, sizeof sparent, "%s", src);
    char *ss = strrchr(sparent, '/');
    int spp = -1;
    if (ss && ss[1]) {
        *ss = '\0';
        spp = open(sparent[0] ? sparent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    }
    if (spp < 0) {
        close(sp);
        close(dp);
        return error_set(err, ERROR_GENERIC, "copy %s: bad source", src);
    }
    if (mkdirat(dp, slash + 1, 0700) < 0) {
        int e = errno;
        close(sp);
        close(dp);
        close(spp);
        return error_set(err, e == EEXIST ? ERROR_CONFLICT : ERROR_GENERIC, "copy to %s: %s", dst,
                         strerror(e));
    }
    copy_entry(lc, spp, dp, ss + 1, 0); /* the directory exists: fills it and sets its attrs */
    close(sp);
    close(dp);
    close(spp);
    if (lc->err)
        return error_set(err, ERROR_GENERIC, "copying the writable layer: %s", strerror(lc->err));
    return 0;
}

static int shift_tree(const char *dir, struct layer_copy *lc);

/* The directory that holds what the sandbox changed, by mode. */
static const char *layer_name(const struct rt *rt)
{
    return rt->mode == RT_MODE_PLAIN ? "home" : "upper";
}

int rt_sandbox_layer_dir(const struct rt_sandbox *sb, char *dir, size_t dn, char *prefix, size_t pn)
{
    if (rt_path(dir, dn, "%s/%s", sb->dir, layer_name(sb->rt)) < 0) return -1;
    if (sb->rt->mode != RT_MODE_PLAIN) return rt_path(prefix, pn, "%s", "");
    return rt_path(prefix, pn, "%s", dir);
}

int rt_sandbox_export(struct rt *rt, struct rt_sandbox *sb, const char *dir, uint32_t *idbase,
                      int64_t *bytes, struct error *err)
{
    char src[PATH_MAX], dst[PATH_MAX];
    if (rt_path(src, sizeof src, "%s/%s", sb->dir, layer_name(rt)) < 0 ||
        rt_path(dst, sizeof dst, "%s/%s", dir, layer_name(rt)) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return error_set(err, ERROR_GENERIC, "%s: %s", dir, strerror(errno));
    bool thaw = false;
    struct error ferr;
    if (sb->running && !sb->frozen && rt_sandbox_freeze(rt, sb, &ferr) == 0) thaw = true;
    struct layer_copy lc = {0};
    int rc = copy_tree(src, dst, &lc, err);
    if (thaw && rt_sandbox_thaw(rt, sb, &ferr) < 0 && rc == 0)
        rc = error_set(err, ERROR_GENERIC, "%s", ferr.msg);
    if (rc < 0) {
        rt_rm_rf(dst);
        return -1;
    }
    *idbase = sb->idbase;
    *bytes = lc.bytes;
    return 0;
}

/* Before the first boot of sb: its writable layer from spec->seed_dir, copied or (move)
 * renamed. Files that name the old sandbox (/etc/hostname, /etc/hosts as prepared) are
 * dropped so that the preparation writes them for the new one. */
int rt_layer_seed(struct rt *rt, struct rt_sandbox *sb, const char *seed_dir, uint32_t seed_idbase,
                  bool move, struct error *err)
{
    char src[PATH_MAX], dst[PATH_MAX];
    if (rt_path(src, sizeof src, "%s/%s", seed_dir, layer_name(rt)) < 0 ||
        rt_path(dst, sizeof dst, "%s/%s", sb->dir, layer_name(rt)) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    struct layer_copy lc = {.from = seed_idbase,
                            .to = sb->idbase,
                            .shift = rt->mode != RT_MODE_ROOTLESS && seed_idbase != sb->idbase};
    if (move) {
        /* the caller's private copy: taken whole. A seed (rt_seed_dir) was written for sb's
         * id range already (rt_sb_mkdir took it); anything else has its owners shifted here */
        uint32_t made_for;
        if (rt_seed_idbase(seed_dir, &made_for) == 0 && made_for == sb->idbase) lc.shift = false;
        if (rename(src, dst) < 0)
            return error_set(err, ERROR_GENERIC, "seeding the sandbox: %s", strerror(errno));
        char meta[PATH_MAX];
        if (rt_path(meta, sizeof meta, "%s/meta", seed_dir) == 0) unlink(meta);
        if (lc.shift && shift_tree(dst, &lc) < 0)
            return error_set(err, ERROR_GENERIC, "seeding the sandbox: %s", strerror(lc.err));
    } else if (copy_tree(src, dst, &lc, err) < 0) {
        return error_prefix(err, "seeding the sandbox");
    }
    if (rt->mode != RT_MODE_PLAIN) {
        static const char *const named[] = {"etc/hostname", "etc/hosts"};
        for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
            char p[PATH_MAX];
            if (rt_path(p, sizeof p, "%s/%s", dst, named[i]) == 0) unlink(p);
        }
    }
    return 0;
}

/* Owners of a tree moved from one id base to another, in place (a seed taken by rename). */
static void shift_dir(struct layer_copy *lc, int dfd, int depth)
{
    DIR *dp = fdopendir(dfd);
    if (!dp) {
        close(dfd);
        note(lc, errno);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        if (fstatat(dirfd(dp), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        if (fchownat(dirfd(dp), e->d_name, shift_id(lc, st.st_uid), (gid_t)shift_id(lc, st.st_gid),
                     AT_SYMLINK_NOFOLLOW) < 0)
            note(lc, errno);
        else if (!S_ISLNK(st.st_mode) && (st.st_mode & 06000)) /* chown drops set-id bits */
            fchmodat(dirfd(dp), e->d_name, st.st_mode & 07777, 0);
        if (!S_ISDIR(st.st_mode)) continue;
        if (depth >= LAYER_DEPTH_MAX) {
            note(lc, ELOOP);
            continue;
        }
        int sub = openat(dirfd(dp), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub >= 0) shift_dir(lc, sub, depth + 1);
    }
    closedir(dp);
}

static int shift_tree(const char *dir, struct layer_copy *lc)
{
    struct stat st;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) < 0) {
        note(lc, errno);
        if (fd >= 0) close(fd);
        return -1;
    }
    if (fchown(fd, shift_id(lc, st.st_uid), (gid_t)shift_id(lc, st.st_gid)) < 0) note(lc, errno);
    shift_dir(lc, fd, 0);
    return lc->err ? -1 : 0;
}

/* ---- copies in a child process ---- */

#define COPY_DIRS_MAX 100

struct copy_job {
    struct rt *rt;
    char sb_id[RT_ID_MAX + 1]; /* the frozen source sandbox, "" for a directory */
    char src[PATH_MAX];
    char (*dst)[PATH_MAX]; /* n destinations: DIR/<layer> of each caller's directory */
    uint32_t from;         /* the source's id base */
    uint32_t *to;          /* each destination's: a seed's own, else from (no shift) */
    int n;
    rt_copy_done_fn done;
    void *ud;
};

/* What the child reports: the first error, and the bytes of one copy. */
struct copy_report {
    int err;
    int64_t bytes;
    char where[600];
};

static void job_free(struct copy_job *j)
{
    free(j->dst);
    free(j->to);
    free(j);
}

static int copy_work(void *arg, int report_fd)
{
    struct copy_job *j = arg;
    struct copy_report r = {0};
    for (int i = 0; i < j->n && !r.err; i++) {
        struct layer_copy lc = {.from = j->from,
                                .to = j->to[i],
                                .shift = j->rt->mode != RT_MODE_ROOTLESS && j->to[i] != j->from};
        struct error err;
        if (copy_tree(j->src, j->dst[i], &lc, &err) < 0) {
            r.err = lc.err ? lc.err : EIO;
            snprintf(r.where, sizeof r.where, "%s", err.msg);
        }
        r.bytes = lc.bytes;
    }
    for (size_t w = 0; w < sizeof r;) { /* fits the pipe: never blocks */
        ssize_t k = write(report_fd, (char *)&r + w, sizeof r - w);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        w += (size_t)k;
    }
    return r.err ? 1 : 0;
}

static struct rt_sandbox *sb_by_id(struct rt *rt, const char *id)
{
    for (struct rt_sandbox *sb = rt->sandboxes; sb; sb = sb->next)
        if (!sb->stopping && strcmp(sb->id, id) == 0) return sb;
    return NULL;
}

static void copy_done(struct rt *rt, void *ud, int status, const char *report, size_t len)
{
    struct copy_job *j = ud;
    struct rt_sandbox *sb = j->sb_id[0] ? sb_by_id(rt, j->sb_id) : NULL;
    struct copy_report r = {0};
    struct error err = {0};
    if (sb && --sb->copies == 0 && sb->copy_froze) {
        sb->copy_froze = false;
        unlinkat(sb->dir_fd, "copy-frozen", 0);
        if (sb->running && rt_sandbox_thaw(rt, sb, &err) < 0 && rt->lg)
            log_msg(rt->lg, LOG_ERROR, "after copying %s: %s", sb->id, err.msg);
    }
    memset(&err, 0, sizeof err);
    if (len == sizeof r) memcpy(&r, report, sizeof r);
    if (rt->closing)
        error_set(&err, ERROR_GENERIC, "boxtopd stopped before the copy was complete");
    else if (j->sb_id[0] && !sb)
        error_set(&err, ERROR_NOT_FOUND, "sandbox %s was removed while its files were copied",
                  j->sb_id);
    else if (status < 0)
        error_set(&err, ERROR_GENERIC, "the copy was killed (signal %d)", -status);
    else if (status != 0 || len != sizeof r || r.err)
        error_set(&err, ERROR_GENERIC, "copying the writable layer: %s",
                  r.where[0] ? r.where : "the copy failed");
    j->done(j->ud, r.bytes, err.kind == ERROR_NONE ? NULL : &err);
    job_free(j);
}

/* A job copying src (owners based at from) into dirs[i]/<layer>: a seed (rt_seed_dir) gets
 * its owners for its own id range; any other dirs[i] is made here (0700, must be new). On
 * failure the dirs made here are removed again. */
static struct copy_job *job_new(struct rt *rt, const char *src, uint32_t from,
                                const char *const *dirs, int n, rt_copy_done_fn done, void *ud,
                                struct error *err)
{
    if (n < 1 || n > COPY_DIRS_MAX) {
        error_set(err, ERROR_USAGE, "1 to %d copies", COPY_DIRS_MAX);
        return NULL;
    }
    struct copy_job *j = calloc(1, sizeof *j);
    if (j) j->dst = calloc((size_t)n, sizeof *j->dst);
    if (j) j->to = calloc((size_t)n, sizeof *j->to);
    if (!j || !j->dst || !j->to) {
        if (j) job_free(j);
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    j->rt = rt;
    j->n = n;
    j->from = from;
    j->done = done;
    j->ud = ud;
    bool *made = calloc((size_t)n, sizeof *made);
    int rc = made && rt_path(j->src, sizeof j->src, "%s", src) == 0 ? 0 : -1;
    if (rc < 0) error_set(err, ERROR_GENERIC, made ? "path too long" : "out of memory");
    for (int i = 0; rc == 0 && i < n; i++) {
        if (rt_path(j->dst[i], sizeof j->dst[i], "%s/%s", dirs[i], layer_name(rt)) < 0) {
            rc = error_set(err, ERROR_GENERIC, "path too long");
        } else if (rt_seed_idbase(dirs[i], &j->to[i]) < 0) {
            j->to[i] = from;
            if (mkdir(dirs[i], 0700) < 0)
                rc = error_set(err, ERROR_GENERIC, "%s: %s", dirs[i], strerror(errno));
            else
                made[i] = true;
        }
    }
    if (rc < 0) {
        for (int i = 0; made && i < n; i++)
            if (made[i]) rmdir(dirs[i]);
        job_free(j);
        j = NULL;
    }
    free(made);
    return j;
}

/* Not started: the directories the job made go again (a seed keeps its meta: the caller's) */
static int job_start(struct rt *rt, struct copy_job *j, const char *const *dirs,
                     struct rt_sandbox *sb, struct error *err)
{
    struct rt_child *c = rt_child_start(rt, "boxtopd-copy", copy_work, j, copy_done, j);
    if (!c) {
        int e = errno;
        for (int k = 0; k < j->n; k++)
            rmdir(dirs[k]);
        job_free(j);
        return error_set(err, ERROR_GENERIC, "cannot start the copy: %s", strerror(e));
    }
    if (sb) rt_child_reads(c, sb);
    return 0;
}

int rt_seed_dir(struct rt *rt, char *out, size_t n, struct error *err)
{
    uint32_t idbase;
    char meta[PATH_MAX], text[64];
    if (rt->closing) return error_set(err, ERROR_CONFLICT, "boxtopd is stopping");
    for (int tries = 0;; tries++) {
        if (rt_path(out, n, "%s/" RT_SEED_PREFIX "%d-%u", rt->rt_dir, (int)getpid(),
                    rt->trash_seq++) < 0)
            return error_set(err, ERROR_GENERIC, "path too long");
        if (mkdir(out, 0700) == 0) break;
        if (errno != EEXIST || tries > 100)
            return error_set(err, ERROR_GENERIC, "%s: %s", out, strerror(errno));
    }
    /* the meta makes the next pick see this range as used */
    if (rt_pick_idbase(rt, &idbase) < 0 || rt_path(meta, sizeof meta, "%s/meta", out) < 0) {
        int e = errno;
        rmdir(out);
        return error_set(err, ERROR_GENERIC, "seed: %s", strerror(e));
    }
    snprintf(text, sizeof text, "idbase %u\n", idbase);
    if (rt_write_file(meta, text, strlen(text), 0600) < 0) {
        int e = errno;
        unlink(meta);
        rmdir(out);
        return error_set(err, ERROR_GENERIC, "seed: %s", strerror(e));
    }
    return 0;
}

int rt_seed_idbase(const char *dir, uint32_t *out)
{
    char meta[PATH_MAX], buf[64];
    unsigned long v;
    const char *leaf = strrchr(dir, '/');
    if (!leaf || strncmp(leaf + 1, RT_SEED_PREFIX, strlen(RT_SEED_PREFIX)) != 0) return -1;
    if (rt_path(meta, sizeof meta, "%s/meta", dir) < 0 || rt_read_file(meta, buf, sizeof buf) < 0 ||
        sscanf(buf, "idbase %lu", &v) != 1 || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

int rt_sandbox_copy_start(struct rt *rt, struct rt_sandbox *sb, const char *const *dirs, int n,
                          uint32_t *idbase, rt_copy_done_fn done, void *ud, struct error *err)
{
    char src[PATH_MAX];
    if (rt->closing) return error_set(err, ERROR_CONFLICT, "boxtopd is stopping");
    if (rt_path(src, sizeof src, "%s/%s", sb->dir, layer_name(rt)) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    struct copy_job *j = job_new(rt, src, sb->idbase, dirs, n, done, ud, err);
    if (!j) return -1;
    snprintf(j->sb_id, sizeof j->sb_id, "%s", sb->id);
    /* one point in time: frozen until the last copy of it ends (copy_done); a marker tells a
     * restarted boxtopd to thaw it should this one die meanwhile (rt_sandbox_open) */
    bool froze = false;
    struct error ferr;
    if (sb->running && !sb->frozen && rt_sandbox_freeze(rt, sb, &ferr) == 0) {
        froze = true;
        int fd = openat(sb->dir_fd, "copy-frozen", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd >= 0) close(fd);
    }
    if (job_start(rt, j, dirs, sb, err) < 0) {
        if (froze) {
            unlinkat(sb->dir_fd, "copy-frozen", 0);
            rt_sandbox_thaw(rt, sb, &ferr);
        }
        return -1;
    }
    sb->copies++;
    if (froze) sb->copy_froze = true;
    *idbase = sb->idbase;
    return 0;
}

int rt_dir_copy_start(struct rt *rt, const char *seed_dir, uint32_t idbase, const char *const *dirs,
                      int n, rt_copy_done_fn done, void *ud, struct error *err)
{
    char src[PATH_MAX];
    if (rt->closing) return error_set(err, ERROR_CONFLICT, "boxtopd is stopping");
    if (rt_path(src, sizeof src, "%s/%s", seed_dir, layer_name(rt)) < 0)
        return error_set(err, ERROR_GENERIC, "path too long");
    uint32_t made_for;
    if (rt_seed_idbase(seed_dir, &made_for) == 0) idbase = made_for; /* its owners' range */
    struct copy_job *j = job_new(rt, src, idbase, dirs, n, done, ud, err);
    return j ? job_start(rt, j, dirs, NULL, err) : -1;
}

bool rt_sandbox_copying(const struct rt_sandbox *sb)
{
    return sb->copies > 0;
}
