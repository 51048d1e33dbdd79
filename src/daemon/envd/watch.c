/* watch.c - envd's directory watching: WatchDir (server stream) and the polling trio
 * CreateWatcher / GetWatcherEvents / RemoveWatcher, on inotify.
 *
 * The inotify fd sits in the server loop. Watches are added through /proc/self/fd/N of a
 * directory opened with the confined open, so a watched path can never name a host
 * directory outside the sandbox. Recursive watches add every subdirectory at start and each
 * directory created or moved in later. Event names are relative to the watched directory,
 * and the types follow fsnotify's mapping (moved-in = CREATE, moved-out = RENAME). Polling
 * watchers keep at most WATCH_QUEUE_MAX events (envd's queue is unbounded; ours drops the
 * oldest rather than grow without bound). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/rand.h>
#include <sys/inotify.h>
#include <sys/stat.h>

#include "boxtop/grow.h"
#include "confine.h"
#include "entry.h"
#include "denvd_int.h"
#include "rpcmsg.h"

#define WATCH_QUEUE_MAX 10000
#define WATCH_DIRS_MAX  8192
#define WATCH_MASK                                                                                 \
    (IN_CREATE | IN_MODIFY | IN_ATTRIB | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ONLYDIR)

struct wdir {
    int wd;
    char *rel; /* "" for the watched directory itself */
};

struct ewatch {
    struct ewatch *next;
    struct denvd_sbx *sbx;
    struct denvd_call call; /* user/home/root for entries */
    char id[32];
    char path[ENVD_PATH_MAX]; /* resolved sandbox path of the watched directory */
    bool recursive, include_entry;
    int ifd;
    struct denvd_fdw *fdw;
    struct wdir *dirs;
    size_t ndirs, cap_dirs;
    /* stream mode */
    struct denvd_conn *conn;
    struct denvd_timer *keepalive, *deadline;
    int64_t keepalive_ms;
    /* polling mode */
    cJSON *events;
    char error[256];
};

static void watch_free(struct ewatch *w)
{
    if (w->fdw)
        denvd_fd_close(w->fdw);
    else if (w->ifd >= 0)
        close(w->ifd);
    for (size_t i = 0; i < w->ndirs; i++)
        free(w->dirs[i].rel);
    free(w->dirs);
    denvd_timer_stop(w->keepalive);
    denvd_timer_stop(w->deadline);
    cJSON_Delete(w->events);
    free(w);
}

static void watch_unlink(struct ewatch *w)
{
    struct ewatch **pp = &w->sbx->watchers;
    while (*pp && *pp != w)
        pp = &(*pp)->next;
    if (*pp) *pp = w->next;
}

static int add_dir(struct ewatch *w, const char *rel)
{
    if (w->ndirs >= WATCH_DIRS_MAX) return -ENOSPC;
    char path[ENVD_PATH_MAX];
    int l = snprintf(path, sizeof path, "%s%s%s", w->path, *rel ? "/" : "", rel);
    if (l >= (int)sizeof path) return -ENAMETOOLONG;
    int fd = cf_open(w->call.root_fd, path, O_PATH | O_DIRECTORY | O_NOFOLLOW, 0);
    if (fd < 0) return fd;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    int wd = inotify_add_watch(w->ifd, proc, WATCH_MASK);
    int e = errno;
    close(fd);
    if (wd < 0) return -e;
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i].wd == wd) return 0; /* already watched (same inode) */
    if (GROW(w->dirs, w->cap_dirs, w->ndirs + 1) < 0) return -ENOMEM;
    struct wdir *nd = w->dirs;
    if (!(nd[w->ndirs].rel = strdup(rel))) return -ENOMEM;
    nd[w->ndirs++].wd = wd;
    if (!w->recursive) return 0;
    /* subdirectories (symlinks are not followed, like fsnotify's recursive walk) */
    int dfd = cf_open(w->call.root_fd, path, O_RDONLY | O_DIRECTORY, 0);
    if (dfd < 0) return 0;
    DIR *d = fdopendir(dfd);
    if (!d) {
        close(dfd);
        return 0;
    }
    struct dirent *de;
    char sub[ENVD_PATH_MAX];
    while ((de = readdir(d)) != NULL) {
        if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < (int)sizeof sub)
            add_dir(w, sub);
    }
    closedir(d);
    return 0;
}

static const char *dir_rel(struct ewatch *w, int wd)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i].wd == wd) return w->dirs[i].rel;
    return NULL;
}

static void keepalive_fire(void *arg);

static void send_frame(struct ewatch *w, cJSON *msg)
{
    struct buf f = BUF_INIT;
    if (denvd_frame_json(&f, msg) == 0) denvd_conn_write(w->conn, f.data, f.len);
    buf_free(&f);
    denvd_timer_stop(w->keepalive);
    w->keepalive = denvd_timer_start(w->sbx->e, w->keepalive_ms, keepalive_fire, w);
}

static void keepalive_fire(void *arg)
{
    struct ewatch *w = arg;
    w->keepalive = NULL;
    cJSON *m = cJSON_CreateObject();
    cJSON_AddObjectToObject(m, "keepalive");
    send_frame(w, m);
}

static void stream_close(struct ewatch *w, enum connect_code code, const char *msg)
{
    struct buf f = BUF_INIT;
    if (connect_end_stream_append(&f, code, msg, NULL) == 0)
        denvd_conn_write(w->conn, f.data, f.len);
    buf_free(&f);
    struct denvd_conn_owner none = {NULL, NULL, NULL};
    denvd_conn_set_owner(w->conn, &none);
    denvd_conn_finish(w->conn);
    watch_unlink(w);
    watch_free(w);
}

static void emit(struct ewatch *w, const char *name, const char *type, bool with_entry)
{
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "name", name);
    cJSON_AddStringToObject(ev, "type", type);
    if (with_entry && w->include_entry) {
        char path[ENVD_PATH_MAX];
        struct denvd_entry *e = malloc(sizeof *e);
        if (e && snprintf(path, sizeof path, "%s/%s", w->path, name) < (int)sizeof path &&
            denvd_entry_stat(w->call.root_fd, path, e) == 0) {
            char owner[64], group[64];
            denvd_owner_names(&w->call, e->uid, e->gid, owner, sizeof owner, group, sizeof group);
            cJSON_AddItemToObject(ev, "entry", denvd_entry_json(e, owner, group));
        }
        free(e);
    }
    if (w->conn) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddItemToObject(m, "filesystem", ev);
        send_frame(w, m);
        return;
    }
    if (cJSON_GetArraySize(w->events) >= WATCH_QUEUE_MAX) cJSON_DeleteItemFromArray(w->events, 0);
    cJSON_AddItemToArray(w->events, ev);
}

/* Is from (an IN_MOVED_FROM) Remove's rename to a hidden name (fs_remove.c)? Its
 * IN_MOVED_TO comes next in the same read. */
static bool removed(const struct inotify_event *from, const char *next, const char *end)
{
    const struct inotify_event *to = (const struct inotify_event *)next;
    if (next + sizeof *to > end || next + sizeof *to + to->len > end) return false;
    return (to->mask & IN_MOVED_TO) && to->cookie == from->cookie && to->len &&
           strncmp(to->name, RM_HIDDEN_PREFIX, strlen(RM_HIDDEN_PREFIX)) == 0;
}

static void on_inotify(void *arg, int fd, int what)
{
    struct ewatch *w = arg;
    if (what & ENVD_FD_HUP) {
        if (w->conn) {
            stream_close(w, CONNECT_INTERNAL, "watcher error: inotify closed");
            return;
        }
        snprintf(w->error, sizeof w->error, "watcher error: inotify closed");
        w->fdw = NULL;
        w->ifd = -1;
        return;
    }
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    struct denvd_cred cred; /* entries and new subdirectory watches, as the user */
    denvd_cred_enter(&w->call, &cred);
    for (char *p = buf; p < buf + n;) {
        struct inotify_event *ev = (struct inotify_event *)p;
        p += sizeof *ev + ev->len;
        if (ev->mask & IN_Q_OVERFLOW) {
            if (!w->conn)
                snprintf(w->error, sizeof w->error, "watcher error: event queue overflow");
            continue;
        }
        const char *rel = dir_rel(w, ev->wd);
        if (!rel || ev->len == 0) continue;
        char name[ENVD_PATH_MAX];
        if (snprintf(name, sizeof name, "%s%s%s", rel, *rel ? "/" : "", ev->name) >=
            (int)sizeof name)
            continue;
        if (strstr(name, RM_HIDDEN_PREFIX)) continue; /* a tree being deleted (fs_remove.c) */
        if ((ev->mask & IN_MOVED_FROM) && removed(ev, p, buf + n)) {
            emit(w, name, "EVENT_TYPE_REMOVE", false); /* as os.RemoveAll's unlink shows */
            continue;
        }
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
            emit(w, name, "EVENT_TYPE_CREATE", true);
            if ((ev->mask & IN_ISDIR) && w->recursive) add_dir(w, name);
        }
        if (ev->mask & IN_MOVED_FROM) emit(w, name, "EVENT_TYPE_RENAME", false);
        if (ev->mask & IN_ATTRIB) emit(w, name, "EVENT_TYPE_CHMOD", true);
        if (ev->mask & IN_MODIFY) emit(w, name, "EVENT_TYPE_WRITE", true);
        if (ev->mask & IN_DELETE) emit(w, name, "EVENT_TYPE_REMOVE", false);
    }
    denvd_cred_leave(&cred);
}

/* Is real (a resolved sandbox path) on one of the sandbox's volumes? In E2B they are NFS mounts,
 * which envd refuses to watch unless asked (watch.go: IsPathOnNetworkMount). */
static bool on_volume(struct denvd_call *c, const char *real)
{
    struct denvd_sandbox_info info;
    memset(&info, 0, sizeof info);
    if (c->e->host.sandbox_get(c->e->host.ud, c->sbx->id, &info) < 0) return false;
    const cJSON *m;
    cJSON_ArrayForEach(m, info.volume_mounts)
    {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(m, "path");
        if (!cJSON_IsString(p) || !p->valuestring || !p->valuestring[0]) continue;
        size_t n = strlen(p->valuestring);
        if (strncmp(real, p->valuestring, n) == 0 && (real[n] == '\0' || real[n] == '/'))
            return true;
    }
    return false;
}

/* Common checks of WatchDir and CreateWatcher; returns the new watcher or NULL + r. */
static struct ewatch *watch_new(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    struct denvd_watch_req req;
    struct error err;
    if (denvd_parse_watch(msg, &req, &err) < 0) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
        return NULL;
    }
    struct ewatch *w = calloc(1, sizeof *w);
    if (!w) {
        denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
        return NULL;
    }
    w->ifd = -1;
    w->sbx = c->sbx;
    w->call = *c;
    w->recursive = req.recursive;
    w->include_entry = req.include_entry;
    char path[ENVD_PATH_MAX];
    if (denvd_path_resolve(req.path, c->home, path, sizeof path, &err) < 0) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
        goto fail;
    }
    int rc = cf_realpath(c->root_fd, path, w->path, sizeof w->path);
    struct stat st;
    if (rc == -ENOENT || rc == -ENOTDIR || (rc == 0 && cf_stat(c->root_fd, w->path, &st) < 0)) {
        char ge[64]; /* envd watch.go: os.Stat's PathError */
        denvd_reply_error(r, CONNECT_NOT_FOUND, "path %s not found: stat %s: %s", path, path,
                          denvd_go_errno(rc == -ENOTDIR ? ENOTDIR : ENOENT, ge, sizeof ge));
        goto fail;
    }
    if (rc < 0) {
        denvd_reply_error(r, CONNECT_INTERNAL, "error resolving path: %s", strerror(-rc));
        goto fail;
    }
    if (!S_ISDIR(st.st_mode)) {
        /* envd wraps a nil error here; Go's fmt prints it so */
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "path %s not a directory: %%!w(<nil>)",
                          path);
        goto fail;
    }
    if (!req.allow_network_mounts && on_volume(c, w->path)) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT,
                          "cannot watch path on network filesystem: %s", path);
        goto fail;
    }
    w->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->ifd < 0) {
        denvd_reply_error(r, CONNECT_INTERNAL, "error creating watcher: %s", strerror(errno));
        goto fail;
    }
    rc = add_dir(w, "");
    if (rc < 0) {
        denvd_reply_error(r, CONNECT_INTERNAL, "error watching %s: %s", path, strerror(-rc));
        goto fail;
    }
    w->fdw = denvd_fd_watch(c->e, w->ifd, on_inotify, w);
    if (!w->fdw) {
        denvd_reply_error(r, CONNECT_INTERNAL, "error watching %s", path);
        goto fail;
    }
    w->next = c->sbx->watchers;
    c->sbx->watchers = w;
    return w;
fail:
    watch_free(w);
    return NULL;
}

static void conn_gone(void *arg)
{
    struct ewatch *w = arg;
    w->conn = NULL;
    watch_unlink(w);
    watch_free(w);
}

static void deadline_fire(void *arg)
{
    struct ewatch *w = arg;
    w->deadline = NULL;
    stream_close(w, CONNECT_DEADLINE_EXCEEDED, "context deadline exceeded");
}

int denvd_fs_stream(struct denvd_call *c, const char *method, const cJSON *msg,
                    struct denvd_conn *conn, struct denvd_reply *r)
{
    if (strcmp(method, "WatchDir") != 0)
        return denvd_reply_error(r, CONNECT_UNIMPLEMENTED,
                                 "filesystem.Filesystem/%s is not a stream", method);
    struct denvd_cred cred;
    denvd_cred_enter(c, &cred);
    struct ewatch *w = watch_new(c, msg, r);
    denvd_cred_leave(&cred);
    if (!w) return -1;
    w->conn = conn;
    w->keepalive_ms = (int64_t)c->keepalive_s * 1000;
    struct denvd_conn_owner o = {conn_gone, NULL, w};
    denvd_conn_set_owner(conn, &o);
    if (c->timeout_ms > 0) w->deadline = denvd_timer_start(c->e, c->timeout_ms, deadline_fire, w);
    cJSON *m = cJSON_CreateObject();
    cJSON_AddObjectToObject(m, "start");
    send_frame(w, m);
    return 0;
}

static struct ewatch *find_watcher(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    const char *id = NULL;
    struct error err;
    if (denvd_get_str(msg, "watcherId", "watcher_id", &id, &err) < 0) {
        denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
        return NULL;
    }
    for (struct ewatch *w = c->sbx->watchers; id && w; w = w->next)
        if (!w->conn && strcmp(w->id, id) == 0) return w;
    denvd_reply_error(r, CONNECT_NOT_FOUND, "watcher with id %s not found", id ? id : "");
    return NULL;
}

int denvd_watch_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                      struct denvd_reply *r)
{
    if (strcmp(method, "CreateWatcher") == 0) {
        struct denvd_cred cred;
        denvd_cred_enter(c, &cred);
        struct ewatch *w = watch_new(c, msg, r);
        denvd_cred_leave(&cred);
        if (!w) return -1;
        w->events = cJSON_CreateArray();
        /* "w" + 20 random alphanumerics, like envd's ids */
        static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789";
        unsigned char rnd[20];
        if (RAND_bytes(rnd, sizeof rnd) != 1)
            for (size_t i = 0; i < sizeof rnd; i++)
                rnd[i] = (unsigned char)(++c->e->watcher_seq * 131 + i);
        w->id[0] = 'w';
        for (size_t i = 0; i < sizeof rnd; i++)
            w->id[i + 1] = al[rnd[i] % (sizeof al - 1)];
        w->id[21] = '\0';
        cJSON *resp = cJSON_CreateObject();
        cJSON_AddStringToObject(resp, "watcherId", w->id);
        return denvd_reply_json(r, resp);
    }
    if (strcmp(method, "GetWatcherEvents") == 0) {
        struct ewatch *w = find_watcher(c, msg, r);
        if (!w) return -1;
        if (w->error[0]) return denvd_reply_error(r, CONNECT_INTERNAL, "%s", w->error);
        cJSON *resp = cJSON_CreateObject();
        if (cJSON_GetArraySize(w->events) > 0) {
            cJSON_AddItemToObject(resp, "events", w->events);
            w->events = cJSON_CreateArray();
        }
        return denvd_reply_json(r, resp);
    }
    if (strcmp(method, "RemoveWatcher") == 0) {
        struct ewatch *w = find_watcher(c, msg, r);
        if (!w) return -1;
        watch_unlink(w);
        watch_free(w);
        return denvd_reply_json(r, cJSON_CreateObject());
    }
    return denvd_reply_error(r, CONNECT_NOT_FOUND, "unknown procedure filesystem.Filesystem/%s",
                             method);
}

void denvd_watch_sbx_free(struct denvd_sbx *s)
{
    while (s->watchers) {
        struct ewatch *w = s->watchers;
        s->watchers = w->next;
        if (w->conn) {
            struct denvd_conn_owner none = {NULL, NULL, NULL};
            denvd_conn_set_owner(w->conn, &none);
            denvd_conn_abort(w->conn);
        }
        watch_free(w);
    }
}
