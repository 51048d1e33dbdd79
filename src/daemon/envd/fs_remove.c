/* fs_remove.c - envd's filesystem Remove (upstream: os.RemoveAll) without walking a big tree
 * in boxtopd's loop. An agent deleting a build tree of 100 000 files would otherwise hold
 * every other sandbox's API and envd calls for seconds.
 *
 * A missing path, a small file or an empty directory is removed at once, as before. A
 * bigger one is renamed to a hidden name in its own directory (RM_HIDDEN_PREFIX; the same
 * filesystem, so the rename cannot fail for being across mounts), which takes its path away
 * at once, and a child (rt_sandbox_work_start, named boxtopd-rm) deletes it with the user's
 * file credentials, as the loop would have. The call is answered when the child is done, so
 * the caller gets os.RemoveAll's result: success, or the error with what could not be
 * deleted put back at the path. The hidden names are kept in a note of the sandbox's
 * directory until deleted: a boxtopd stopped midway deletes them at its next start
 * (denvd_remove_sweep), also those whose parent was renamed meanwhile (a bounded walk of the
 * writable layer). Snapshots and forks never copy a hidden tree (rt_name_is_rm_hidden). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "runtime/runtime.h"
#include "confine.h"
#include "denvd_int.h"
#include "path.h"

/* Smaller files are unlinked in the loop: freeing a file's extents is ~0.4 ms per MiB. */
#define RM_OFF_LOOP_MIN (16LL << 20)
#define RM_NOTE         "envd-removing"
#define RM_NOTE_MAX     (64 * 1024)

struct denvd_remove {
    struct rt_sandbox *sb;
    denvd_remove_done_fn done; /* NULL: nobody waits (forgotten, or a sweep) */
    void *ud;
    /* for the child: its copy of this struct, the directory as its fd 4 */
    bool cred;
    uid_t uid;
    gid_t gid;
    char base[NAME_MAX + 1];
    char hidden[64];
    char abs[ENVD_PATH_MAX];       /* the hidden name's sandbox path */
    char line[ENVD_PATH_MAX + 64]; /* this removal's line in the note */
};

/* ---- the note of hidden names not deleted yet ---- */

static void note_edit(struct rt_sandbox *sb, const char *add, const char *drop)
{
    char *buf = malloc(RM_NOTE_MAX + 1);
    if (!buf) return;
    ssize_t n = rt_sandbox_note_get(sb, RM_NOTE, buf, RM_NOTE_MAX);
    if (n < 0) n = 0;
    buf[n] = '\0';
    if (drop) {
        char *at = strstr(buf, drop); /* whole lines: each ends in a unique hidden name */
        if (at) memmove(at, at + strlen(drop), strlen(at + strlen(drop)) + 1);
    }
    if (add && strlen(buf) + strlen(add) <= RM_NOTE_MAX) strcat(buf, add);
    rt_sandbox_note_put(sb, RM_NOTE, buf);
    free(buf);
}

/* ---- the child ---- */

static int rm_work(void *arg)
{
    struct denvd_remove *j = arg;
    if (j->cred) { /* the user's file credentials, as denvd_cred_enter gives the loop */
        gid_t g = j->gid;
        if (setgroups(1, &g) < 0) return EPERM;
        setfsgid(j->gid);
        setfsuid(j->uid);
    }
    int rc = cf_remove_at(4, j->hidden);
    if (rc == 0) return 0;
    /* os.RemoveAll leaves what it could not delete at the path */
    renameat2(4, j->hidden, 4, j->base, RENAME_NOREPLACE);
    return -rc > 0 && -rc < 126 ? -rc : EIO;
}

static void rm_done(void *ud, int status)
{
    struct denvd_remove *j = ud;
    if (status >= 0) note_edit(j->sb, NULL, j->line); /* else the sandbox may be gone */
    if (j->done) {
        struct denvd_reply r = {CONNECT_OK, "", BUF_INIT};
        if (status == 0)
            denvd_reply_json(&r, cJSON_CreateObject());
        else
            denvd_reply_error(&r, CONNECT_INTERNAL, "error removing file or directory: %s",
                              status > 0 ? strerror(status) : "interrupted");
        j->done(j->ud, &r);
        buf_free(&r.body);
    }
    free(j);
}

/* Start deleting hidden (in dfd) off the loop; journaled first. 0, or -1: not started. */
static int start_job(struct rt *rt, struct rt_sandbox *sb, struct denvd_remove *j, int dfd)
{
    snprintf(j->line, sizeof j->line, "%u %u %d %s\n", (unsigned)j->uid, (unsigned)j->gid,
             j->cred ? 1 : 0, j->abs);
    j->sb = sb;
    note_edit(sb, j->line, NULL);
    if (rt_sandbox_work_start(rt, sb, "boxtopd-rm", dfd, rm_work, j, rm_done, j) == 0) return 0;
    note_edit(sb, NULL, j->line);
    return -1;
}

static int reply_rc(struct denvd_reply *r, int rc)
{
    if (rc < 0)
        return denvd_reply_error(r, CONNECT_INTERNAL, "error removing file or directory: %s",
                                 strerror(-rc));
    denvd_reply_json(r, cJSON_CreateObject());
    return 0;
}

/* Removal of base in dfd as the user (cred entered): 0 answered in r, 1 started. */
static int remove_in(struct denvd_call *c, int dfd, const char *path, const char *base,
                     const struct denvd_cred *cred, struct denvd_remove **job,
                     struct denvd_reply *r)
{
    struct stat st;
    if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return reply_rc(r, errno == ENOENT ? 0 : cf_remove_at(dfd, base));
    if (!S_ISDIR(st.st_mode) && (long long)st.st_blocks * 512 < RM_OFF_LOOP_MIN)
        return reply_rc(r, cf_remove_at(dfd, base));
    if (S_ISDIR(st.st_mode) && unlinkat(dfd, base, AT_REMOVEDIR) == 0) return reply_rc(r, 0);
    struct rt_sandbox *sb = c->sbx ? c->sbx->rt : NULL;
    struct denvd_remove *j = sb ? calloc(1, sizeof *j) : NULL;
    if (!j) return reply_rc(r, cf_remove_at(dfd, base));
    uint64_t rnd = 0;
    if (getrandom(&rnd, sizeof rnd, GRND_NONBLOCK) != sizeof rnd) rnd ^= (uint64_t)(uintptr_t)j;
    snprintf(j->hidden, sizeof j->hidden, "%s%016" PRIx64, RM_HIDDEN_PREFIX, rnd);
    snprintf(j->base, sizeof j->base, "%s", base);
    char parent[ENVD_PATH_MAX], b[NAME_MAX + 1];
    denvd_path_split(path, parent, sizeof parent, b, sizeof b);
    if (snprintf(j->abs, sizeof j->abs, "%s/%s", strcmp(parent, "/") ? parent : "", j->hidden) >=
            (int)sizeof j->abs ||
        renameat2(dfd, base, dfd, j->hidden, RENAME_NOREPLACE) < 0) {
        free(j); /* a mount point, say: as it always was */
        return reply_rc(r, cf_remove_at(dfd, base));
    }
    j->cred = cred->active;
    j->uid = c->uid;
    j->gid = c->gid;
    j->sb = sb;
    *job = j;
    return 1;
}

/* A job remove_in prepared did not start (no child): its tree deleted here, as the user. */
static int remove_here(struct denvd_call *c, int dfd, struct denvd_remove *j, struct denvd_reply *r)
{
    struct denvd_cred cred;
    denvd_cred_enter(c, &cred);
    int rc = cf_remove_at(dfd, j->hidden);
    if (rc < 0) renameat2(dfd, j->hidden, dfd, j->base, RENAME_NOREPLACE);
    denvd_cred_leave(&cred);
    free(j);
    return reply_rc(r, rc);
}

int denvd_fs_remove(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r,
                    denvd_remove_done_fn done, void *ud, struct denvd_remove **job)
{
    char path[ENVD_PATH_MAX], base[NAME_MAX + 1];
    *job = NULL;
    if (denvd_fs_path(c, msg, "path", path, r) < 0) return 0;
    struct denvd_cred cred;
    denvd_cred_enter(c, &cred);
    int rc, dfd = cf_open_parent(c->root_fd, path, base, sizeof base);
    if (dfd == -ENOENT)
        rc = reply_rc(r, 0);
    else if (dfd < 0)
        rc = reply_rc(r, dfd);
    else if (strcmp(base, ".") == 0) /* never the sandbox root itself */
        rc = reply_rc(r, -EBUSY);
    else
        rc = remove_in(c, dfd, path, base, &cred, job, r);
    denvd_cred_leave(&cred); /* the note is boxtopd's own file */
    if (rc == 1) {
        if (start_job(c->e->host.rt, (*job)->sb, *job, dfd) < 0) {
            rc = remove_here(c, dfd, *job, r);
            *job = NULL;
        }
    }
    if (dfd >= 0) close(dfd);
    if (rc == 1) {
        (*job)->done = done;
        (*job)->ud = ud;
        return 1;
    }
    return 0;
}

void denvd_remove_forget(struct denvd_remove *job)
{
    if (job) job->done = NULL;
}

/* Delete the hidden tree at abs (a sandbox path) off the loop, journaled again. */
static void sweep_start(struct rt *rt, struct rt_sandbox *sb, const char *abs, unsigned uid,
                        unsigned gid, bool cred)
{
    const char *name = strrchr(abs, '/') + 1;
    char base[NAME_MAX + 1];
    int dfd = cf_open_parent(rt_root_fd(sb), abs, base, sizeof base);
    if (dfd < 0) return;
    struct denvd_remove *j = calloc(1, sizeof *j);
    if (j) {
        j->cred = cred && geteuid() == 0;
        j->uid = uid;
        j->gid = gid;
        snprintf(j->hidden, sizeof j->hidden, "%s", name);
        snprintf(j->base, sizeof j->base, "%s", name); /* nothing to put back */
        snprintf(j->abs, sizeof j->abs, "%s", abs);
        if (start_job(rt, sb, j, dfd) < 0) free(j);
    }
    close(dfd);
}

/* One line of the note: "uid gid cred /path/.boxtopd-rm-…", restarted as it was. */
static void sweep_line(struct rt *rt, struct rt_sandbox *sb, const char *line)
{
    unsigned uid, gid;
    int cred, at = 0;
    if (sscanf(line, "%u %u %d %n", &uid, &gid, &cred, &at) != 3 || !at || line[at] != '/') return;
    const char *abs = line + at;
    const char *name = strrchr(abs, '/') + 1;
    if (!rt_name_is_rm_hidden(name) || strlen(abs) >= ENVD_PATH_MAX)
        return; /* not a name this file gives: never delete it */
    sweep_start(rt, sb, abs, uid, gid, cred != 0);
}

/* ---- hidden trees the note cannot find ---- */

/* A line names the hidden tree by its path at the time; when a parent was renamed between a
 * crash and the restart (the sandbox's processes live on), the tree is elsewhere. The
 * sandbox's writable layer holds every hidden tree (it was renamed there), so a walk of it
 * finds them; bounded, as the layer may be big, and run only when the note had lines. */
#define SWEEP_WALK_ENTRIES 200000
#define SWEEP_WALK_DEPTH   64

struct sweep_walk {
    struct rt *rt;
    struct rt_sandbox *sb;
    const char *known; /* the note as it was: hidden names restarted by their lines */
    long left;
    char path[ENVD_PATH_MAX]; /* the sandbox path of the directory walked */
};

static void walk_dir(struct sweep_walk *w, int fd, int depth)
{
    int dup_fd = dup(fd);
    DIR *dp = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!dp) {
        if (dup_fd >= 0) close(dup_fd);
        return;
    }
    size_t len = strlen(w->path);
    struct dirent *e;
    while (w->left > 0 && (e = readdir(dp))) {
        w->left--;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        bool hidden = rt_name_is_rm_hidden(e->d_name);
        if (hidden && (e->d_type == DT_CHR || strstr(w->known, e->d_name)))
            continue; /* an overlay whiteout, or restarted by its line */
        if (!hidden && (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)) continue;
        if (snprintf(w->path + len, sizeof w->path - len, "/%s", e->d_name) >=
            (int)(sizeof w->path - len))
            continue;
        if (hidden) {
            sweep_start(w->rt, w->sb, w->path, 0, 0, false); /* boxtopd's own: no user known */
        } else if (depth < SWEEP_WALK_DEPTH) {
            int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                walk_dir(w, sub, depth + 1);
                close(sub);
            }
        }
        w->path[len] = '\0';
    }
    closedir(dp);
}

static void sweep_walk(struct rt *rt, struct rt_sandbox *sb, const char *known)
{
    struct sweep_walk *w = calloc(1, sizeof *w);
    char dir[PATH_MAX];
    if (!w || rt_sandbox_layer_dir(sb, dir, sizeof dir, w->path, sizeof w->path) < 0) {
        free(w);
        return;
    }
    w->rt = rt;
    w->sb = sb;
    w->known = known;
    w->left = SWEEP_WALK_ENTRIES;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        if (strcmp(w->path, "/") == 0) w->path[0] = '\0';
        walk_dir(w, fd, 0);
        close(fd);
    }
    free(w);
}

void denvd_remove_sweep(struct denvd_sbx *s)
{
    if (!s->rt || rt_root_fd(s->rt) < 0) return;
    char *buf = malloc(RM_NOTE_MAX + 1);
    if (!buf) return;
    ssize_t n = rt_sandbox_note_get(s->rt, RM_NOTE, buf, RM_NOTE_MAX);
    if (n > 0) {
        buf[n] = '\0';
        rt_sandbox_note_put(s->rt, RM_NOTE, ""); /* each restarted job notes itself again */
        for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
            sweep_line(s->e->host.rt, s->rt, l);
        /* the note now names exactly the trees restarted by their lines; the walk finds the
         * others (a line whose path is gone) */
        n = rt_sandbox_note_get(s->rt, RM_NOTE, buf, RM_NOTE_MAX);
        buf[n > 0 ? n : 0] = '\0';
        sweep_walk(s->e->host.rt, s->rt, buf);
    }
    free(buf);
}
