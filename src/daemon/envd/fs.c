/* fs.c - envd's filesystem.Filesystem unary RPCs: Stat, MakeDir, Move, ListDir, Remove.
 * Every path is resolved like envd (home-relative, "~") and then accessed only through the
 * confined helpers of confine.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "confine.h"
#include "entry.h"
#include "denvd_int.h"
#include "rpcmsg.h"
#include "xmeta.h"

#define LISTDIR_MAX_ENTRIES 100000

int denvd_fs_path(struct denvd_call *c, const cJSON *msg, const char *key, char *out,
                  struct denvd_reply *r)
{
    const char *p = NULL;
    struct error err;
    if (!cJSON_IsObject(msg))
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "request: expected an object");
    if (denvd_get_str(msg, key, NULL, &p, &err) < 0)
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
    if (denvd_path_resolve(p ? p : "", c->home, out, ENVD_PATH_MAX, &err) < 0)
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
    return 0;
}

/* EntryInfo, with the file's metadata (xmeta.h) read from the confined path abs. */
static cJSON *entry_json(struct denvd_call *c, const struct denvd_entry *e, const char *abs)
{
    char owner[64], group[64];
    denvd_owner_names(c, e->uid, e->gid, owner, sizeof owner, group, sizeof group);
    cJSON *o = denvd_entry_json(e, owner, group);
    cJSON *md = o && !e->has_target ? xmeta_read(c->root_fd, abs) : NULL;
    if (md) cJSON_AddItemToObject(o, "metadata", md);
    return o;
}

/* Stat-like answer {"entry":EntryInfo} for path. */
static int reply_entry(struct denvd_call *c, const char *path, struct denvd_reply *r)
{
    struct denvd_entry *e = malloc(sizeof *e);
    if (!e) return denvd_reply_error(r, CONNECT_INTERNAL, "out of memory");
    int rc = denvd_entry_stat(c->root_fd, path, e);
    if (rc < 0) {
        free(e);
        char ge[64]; /* envd: os.Lstat's PathError (utils.go entryInfo) */
        denvd_go_errno(rc, ge, sizeof ge);
        if (rc == -ENOENT || rc == -ENOTDIR)
            return denvd_reply_error(r, CONNECT_NOT_FOUND, "file not found: lstat %s: %s", path,
                                     ge);
        return denvd_reply_error(r, denvd_errno_code(rc), "error getting file info: lstat %s: %s",
                                 path, ge);
    }
    cJSON *resp = cJSON_CreateObject();
    cJSON_AddItemToObject(resp, "entry", entry_json(c, e, path));
    free(e);
    return denvd_reply_json(r, resp);
}

static int fs_stat(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    char path[ENVD_PATH_MAX];
    if (denvd_fs_path(c, msg, "path", path, r) < 0) return -1;
    return reply_entry(c, path, r);
}

static int fs_makedir(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    char path[ENVD_PATH_MAX];
    if (denvd_fs_path(c, msg, "path", path, r) < 0) return -1;
    struct stat st;
    int rc = cf_stat(c->root_fd, path, &st);
    if (rc == 0) {
        if (S_ISDIR(st.st_mode))
            return denvd_reply_error(r, CONNECT_ALREADY_EXISTS, "directory already exists: %s",
                                     path);
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT,
                                 "path already exists but it is not a directory: %s", path);
    }
    if (rc != -ENOENT)
        return denvd_reply_error(r, denvd_errno_code(rc), "error getting file info: %s",
                                 strerror(-rc));
    rc = denvd_mkdir_p_priv(c, path, NULL);
    if (rc < 0)
        return denvd_reply_error(r, rc == -ENOTDIR ? CONNECT_INVALID_ARGUMENT : CONNECT_INTERNAL,
                                 "error creating directory: %s", strerror(-rc));
    return reply_entry(c, path, r);
}

static int fs_move(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    char src[ENVD_PATH_MAX], dst[ENVD_PATH_MAX], parent[ENVD_PATH_MAX], base[256];
    if (denvd_fs_path(c, msg, "source", src, r) < 0 ||
        denvd_fs_path(c, msg, "destination", dst, r) < 0)
        return -1;
    struct stat st;
    char ge[64]; /* envd: os.Rename's LinkError (move.go) */
    if (cf_lstat(c->root_fd, src, &st) < 0)
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "source file not found: rename %s %s: %s",
                                 src, dst, denvd_go_errno(ENOENT, ge, sizeof ge));
    denvd_path_split(dst, parent, sizeof parent, base, sizeof base);
    int rc = denvd_mkdir_p_priv(c, parent, NULL);
    if (rc < 0)
        return denvd_reply_error(r, CONNECT_INTERNAL, "error creating destination directory: %s",
                                 strerror(-rc));
    rc = cf_rename(c->root_fd, src, dst);
    if (rc == -ENOENT)
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "source file not found: rename %s %s: %s",
                                 src, dst, denvd_go_errno(rc, ge, sizeof ge));
    if (rc < 0)
        return denvd_reply_error(r, CONNECT_INTERNAL, "error renaming: rename %s %s: %s", src, dst,
                                 denvd_go_errno(rc, ge, sizeof ge));
    return reply_entry(c, dst, r);
}

struct walk {
    struct denvd_call *c;
    cJSON *arr;
    int count;
    int depth;
};

/* List dir (a sandbox path, symlinks already resolved) below shown (the requested path) in
 * lexical depth-first order, like Go's filepath.WalkDir. */
static int walk(struct walk *w, const char *dir, const char *shown, int level)
{
    char **names;
    size_t n;
    /* a tree being removed (fs_remove.c) is gone already; more names than the listing has
     * room left for fail it (-E2BIG) before they are all read, as the count below would */
    int rc = cf_list_names(w->c->root_fd, dir, RM_HIDDEN_PREFIX,
                           (size_t)(LISTDIR_MAX_ENTRIES - w->count), &names, &n);
    if (rc < 0) return rc == -ENOENT ? 0 : rc;
    struct denvd_entry *e = malloc(sizeof *e);
    char *sub = malloc(ENVD_PATH_MAX), *subshown = malloc(ENVD_PATH_MAX);
    if (!e || !sub || !subshown) rc = -ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (++w->count > LISTDIR_MAX_ENTRIES) {
            rc = -E2BIG;
            break;
        }
        int l1 = snprintf(sub, ENVD_PATH_MAX, "%s/%s", strcmp(dir, "/") ? dir : "", names[i]);
        int l2 =
            snprintf(subshown, ENVD_PATH_MAX, "%s/%s", strcmp(shown, "/") ? shown : "", names[i]);
        if (l1 >= ENVD_PATH_MAX || l2 >= ENVD_PATH_MAX) continue;
        if (denvd_entry_stat(w->c->root_fd, sub, e) < 0) continue; /* vanished mid-walk */
        snprintf(e->path, sizeof e->path, "%s", subshown);
        cJSON_AddItemToArray(w->arr, entry_json(w->c, e, sub));
        /* descend into real directories only, never through symlinks */
        if (level < w->depth && e->type == ENVD_FT_DIRECTORY && !e->has_target)
            rc = walk(w, sub, subshown, level + 1);
    }
    cf_names_free(names, n);
    free(e);
    free(sub);
    free(subshown);
    return rc;
}

/* The component filepath.EvalSymlinks stops at (envd dir.go followSymlink): the resolved
 * parent of the first prefix of path that does not exist, plus its name. */
static void first_missing(struct denvd_call *c, const char *path, char *out, size_t n)
{
    char prefix[ENVD_PATH_MAX], parent[ENVD_PATH_MAX];
    struct stat st;
    snprintf(out, n, "%s", path);
    for (const char *p = path + 1;; p++) {
        if (*p != '/' && *p) continue;
        snprintf(prefix, sizeof prefix, "%.*s", (int)(p - path), path);
        if (cf_stat(c->root_fd, prefix, &st) < 0) {
            const char *slash = strrchr(prefix, '/');
            snprintf(parent, sizeof parent, "%.*s", slash == prefix ? 1 : (int)(slash - prefix),
                     prefix);
            char real[ENVD_PATH_MAX];
            if (cf_realpath(c->root_fd, parent, real, sizeof real) < 0) return;
            size_t rl = strlen(real), bl = strlen(slash + 1), at = rl;
            if (rl + 1 + bl >= n) return;
            memcpy(out, real, rl);
            if (strcmp(real, "/") != 0) out[at++] = '/';
            memcpy(out + at, slash + 1, bl + 1);
            return;
        }
        if (!*p) return;
    }
}

static int fs_listdir(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r)
{
    char path[ENVD_PATH_MAX], real[ENVD_PATH_MAX];
    if (denvd_fs_path(c, msg, "path", path, r) < 0) return -1;
    uint32_t depth = 0;
    struct error err;
    if (denvd_get_u32(msg, "depth", NULL, &depth, &err) < 0)
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "%s", err.msg);
    if (depth == 0) depth = 1;
    int rc = cf_realpath(c->root_fd, path, real, sizeof real);
    if (rc == -ENOENT || rc == -ENOTDIR) {
        char missing[ENVD_PATH_MAX], ge[64];
        first_missing(c, path, missing, sizeof missing);
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "path not found: lstat %s: %s", missing,
                                 denvd_go_errno(ENOENT, ge, sizeof ge));
    }
    if (rc == -ELOOP)
        return denvd_reply_error(r, CONNECT_FAILED_PRECONDITION,
                                 "cyclic symlink or chain >255 links at \"%s\"", path);
    if (rc < 0)
        return denvd_reply_error(r, CONNECT_INTERNAL, "error resolving symlink: %s", strerror(-rc));
    struct stat st;
    if (cf_stat(c->root_fd, real, &st) < 0)
        return denvd_reply_error(r, CONNECT_NOT_FOUND, "directory not found: %s", path);
    if (!S_ISDIR(st.st_mode))
        return denvd_reply_error(r, CONNECT_INVALID_ARGUMENT, "path is not a directory: %s", path);
    cJSON *resp = cJSON_CreateObject();
    struct walk w = {c, cJSON_CreateArray(), 0, depth > 64 ? 64 : (int)depth};
    rc = walk(&w, real, path, 1);
    if (rc < 0) {
        cJSON_Delete(w.arr);
        cJSON_Delete(resp);
        return denvd_reply_error(r, CONNECT_INTERNAL, "error reading directory %s: %s", path,
                                 strerror(-rc));
    }
    if (cJSON_GetArraySize(w.arr) > 0) /* proto3: an empty list is omitted */
        cJSON_AddItemToObject(resp, "entries", w.arr);
    else
        cJSON_Delete(w.arr);
    return denvd_reply_json(r, resp);
}

static int fs_dispatch(struct denvd_call *c, const char *method, const cJSON *msg,
                       struct denvd_reply *r)
{
    if (strcmp(method, "Stat") == 0) return fs_stat(c, msg, r);
    if (strcmp(method, "MakeDir") == 0) return fs_makedir(c, msg, r);
    if (strcmp(method, "Move") == 0) return fs_move(c, msg, r);
    if (strcmp(method, "ListDir") == 0) return fs_listdir(c, msg, r);
    return denvd_watch_unary(c, method, msg, r);
}

int denvd_fs_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                   struct denvd_reply *r)
{
    struct denvd_cred cred;
    denvd_cred_enter(c, &cred);
    int rc = fs_dispatch(c, method, msg, r);
    denvd_cred_leave(&cred);
    return rc;
}
