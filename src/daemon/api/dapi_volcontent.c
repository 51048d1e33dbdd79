/* dapi_volcontent.c - the volume content API's routes (shared checks and shapes:
 * dapi_volcontent_target.c; the upload: dapi_volcontent_upload.c): GET/POST /dir (list, makeDir),
 * GET/PATCH/DELETE /path (getInfo, updateMetadata, remove) and GET /file (readFile, sent from the
 * file with sendfile). Shapes are the SDK's generated VolumeEntryStat
 * ({name,path,type,size,mode,uid,gid,atime,mtime,ctime,target?}); errors are
 * {"code","message"} with code a string ("404", the content API's schema), 404 for a missing
 * path (the SDK's VolumePathNotFoundError). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "../envd/confine.h"
#include "../volume.h"
#include "dapi_volcontent.h"

#define VC_LIST_MAX_DEPTH   64
#define VC_LIST_MAX_ENTRIES 100000 /* one answer stays a few MiB at most */

/* Entries of abs (sorted by name), and of its subdirectories down to depth levels. */
static int list_dir(int root_fd, const char *abs, long long depth, cJSON *arr, size_t *count)
{
    char **names;
    size_t n;
    int rc = cf_list_names(root_fd, abs, NULL, SIZE_MAX, &names, &n);
    if (rc < 0) return rc;
    for (size_t i = 0; i < n && rc == 0 && *count < VC_LIST_MAX_ENTRIES; i++) {
        char child[ENVD_PATH_MAX];
        if (snprintf(child, sizeof child, "%s/%s", strcmp(abs, "/") ? abs : "", names[i]) >=
            (int)sizeof child)
            continue;
        int err = 0;
        cJSON *o = vc_stat_json(root_fd, child, &err);
        if (!o) continue; /* gone meanwhile */
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
        bool dir = strcmp(t->valuestring, "directory") == 0;
        cJSON_AddItemToArray(arr, o);
        (*count)++;
        if (dir && depth > 1) list_dir(root_fd, child, depth - 1, arr, count);
    }
    cf_names_free(names, n);
    return rc;
}

static int vc_list(struct server_request *req, void *ud)
{
    struct vc_target t;
    if (vc_target_open(ud, req, &t) < 0) return 0;
    long long depth;
    if (dapi_query_int(req, "depth", 1, 1, VC_LIST_MAX_DEPTH, &depth) < 0) goto out;
    struct stat st;
    int r = cf_stat(t.root_fd, t.abs, &st);
    if (r < 0) {
        vc_answer_errno(req, r, t.abs);
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        server_respond_error(req, 400, "path '%s' is not a directory", t.abs);
        goto out;
    }
    cJSON *arr = cJSON_CreateArray();
    size_t count = 0;
    r = arr ? list_dir(t.root_fd, t.abs, depth, arr, &count) : -ENOMEM;
    if (r < 0) {
        cJSON_Delete(arr);
        vc_answer_errno(req, r, t.abs);
    } else {
        server_respond_json(req, 200, arr);
    }
out:
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int answer_stat(struct server_request *req, int root_fd, const char *abs, int status)
{
    int err = 0;
    cJSON *o = vc_stat_json(root_fd, abs, &err);
    if (!o) return vc_answer_errno(req, err, abs);
    return server_respond_json(req, status, o);
}

static int vc_get_info(struct server_request *req, void *ud)
{
    struct vc_target t;
    if (vc_target_open(ud, req, &t) == 0) answer_stat(req, t.root_fd, t.abs, 200);
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int force_query(struct server_request *req, bool *force)
{
    const char *f = server_request_query(req, "force");
    *force = f && (strcmp(f, "true") == 0 || strcmp(f, "1") == 0);
    if (f && !*force && strcmp(f, "false") != 0 && strcmp(f, "0") != 0) {
        server_respond_error(req, 400, "validation error: parameter \"force\" must be a boolean");
        return -1;
    }
    return 0;
}

/* chown/chmod of abs without following a final symlink (a link may point anywhere: its
 * target is never touched; a link's own mode cannot change). 0 or -errno. */
static int apply_meta(int root_fd, const char *abs, long long uid, long long gid, long long mode)
{
    if (uid < 0 && gid < 0 && mode < 0) return 0;
    char base[256];
    int pfd = cf_open_parent(root_fd, abs, base, sizeof base);
    if (pfd < 0) return pfd;
    int r = 0;
    if ((uid >= 0 || gid >= 0) &&
        fchownat(pfd, base, uid >= 0 ? (uid_t)uid : (uid_t)-1, gid >= 0 ? (gid_t)gid : (gid_t)-1,
                 AT_SYMLINK_NOFOLLOW) < 0)
        r = -errno;
    if (r == 0 && mode >= 0) {
        /* O_NOFOLLOW|O_PATH opens the entry itself; fchmod through /proc would follow, so
         * open for reading instead: regular files and directories only */
        int fd = openat(pfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            r = errno == ELOOP ? -EINVAL : -errno;
        } else {
            struct stat st;
            if (fstat(fd, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
                r = -EINVAL;
            else if (fchmod(fd, (mode_t)mode) < 0)
                r = -errno;
            close(fd);
        }
    }
    close(pfd);
    return r;
}

static int vc_make_dir(struct server_request *req, void *ud)
{
    struct vc_target t;
    long long uid, gid, mode;
    bool force;
    if (vc_target_open(ud, req, &t) < 0 || vc_owner_mode_query(req, &uid, &gid, &mode) < 0 ||
        force_query(req, &force) < 0)
        goto out;
    if (strcmp(t.abs, "/") == 0) {
        server_respond_error(req, 409, "path '/' already exists");
        goto out;
    }
    int r, created = 1;
    if (force) { /* parents as needed, an existing directory is fine and left as it is */
        r = cf_mkdir_p(t.root_fd, t.abs, (uid_t)uid, (gid_t)gid, &created);
    } else {
        char base[256];
        int pfd = cf_open_parent(t.root_fd, t.abs, base, sizeof base);
        r = pfd;
        if (pfd >= 0) {
            r = mkdirat(pfd, base, 0755) < 0 ? -errno : 0;
            close(pfd);
        }
    }
    if (r == 0 && created) r = apply_meta(t.root_fd, t.abs, uid, gid, mode);
    if (r < 0)
        vc_answer_errno(req, r == -EINVAL ? -EEXIST : r, t.abs);
    else
        answer_stat(req, t.root_fd, t.abs, 201);
out:
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int body_id(const cJSON *body, const char *name, long long max, long long *out)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(body, name);
    *out = -1;
    if (!x || cJSON_IsNull(x)) return 0;
    if (!cJSON_IsNumber(x) || x->valuedouble < 0 || x->valuedouble > (double)max ||
        x->valuedouble != (double)(long long)x->valuedouble)
        return -1;
    *out = (long long)x->valuedouble;
    return 0;
}

static int vc_update_metadata(struct server_request *req, void *ud)
{
    struct vc_target t;
    cJSON *body = NULL;
    if (vc_target_open(ud, req, &t) < 0 || !(body = dapi_body_object(req, true))) goto out;
    long long uid, gid, mode;
    if (body_id(body, "uid", 0xfffffffeLL, &uid) < 0 ||
        body_id(body, "gid", 0xfffffffeLL, &gid) < 0 || body_id(body, "mode", 07777, &mode) < 0) {
        server_respond_error(req, 400, "uid, gid and mode must be non-negative integers");
        goto out;
    }
    uid = vc_id_in(uid, false);
    gid = vc_id_in(gid, true);
    struct stat st;
    int r = cf_lstat(t.root_fd, t.abs, &st);
    if (r == 0) r = apply_meta(t.root_fd, t.abs, uid, gid, mode);
    if (r == -EINVAL)
        server_respond_error(req, 400, "the mode of '%s' cannot change (not a file or directory)",
                             t.abs);
    else if (r < 0)
        vc_answer_errno(req, r, t.abs);
    else
        answer_stat(req, t.root_fd, t.abs, 200);
out:
    cJSON_Delete(body);
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int vc_remove(struct server_request *req, void *ud)
{
    struct daemon *d = ud;
    struct vc_target t;
    if (vc_target_open(d, req, &t) < 0) goto out;
    if (strcmp(t.abs, "/") == 0) {
        server_respond_error(req, 400, "the volume's root cannot be removed");
        goto out;
    }
    char base[256];
    int pfd = cf_open_parent(t.root_fd, t.abs, base, sizeof base);
    int r = pfd;
    if (pfd >= 0) {
        struct stat st;
        r = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
        if (r == 0 && !S_ISDIR(st.st_mode) && st.st_blocks < (16LL << 20) / 512)
            r = unlinkat(pfd, base, 0) < 0 ? -errno : 0; /* small: at once */
        else if (r == 0)
            r = vc_remove_later(d, t.v, pfd, base); /* a tree or a big file: off the loop */
        close(pfd);
    }
    if (r < 0)
        vc_answer_errno(req, r, t.abs);
    else
        server_respond(req, 204, NULL, NULL, 0);
out:
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int vc_read_file(struct server_request *req, void *ud)
{
    struct vc_target t;
    if (vc_target_open(ud, req, &t) < 0) goto out;
    int fd = cf_open(t.root_fd, t.abs, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
    struct stat st;
    if (fd < 0) {
        vc_answer_errno(req, fd, t.abs);
    } else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        server_respond_error(req, 400, "path '%s' is not a file", t.abs);
    } else if (server_respond_fd(req, 200, "application/octet-stream", fd, 0, st.st_size) < 0) {
        server_respond_error(req, 500, "cannot send '%s'", t.abs);
    }
    if (fd >= 0) close(fd);
out:
    if (t.root_fd >= 0) close(t.root_fd);
    return 0;
}

static int vc_write(struct server_request *req, void *ud)
{
    return dapi_volcontent_write(ud, req);
}

int dapi_volcontent_register(struct daemon *d, struct error *err)
{
    static const struct {
        const char *method, *pattern;
        server_handler_fn fn;
        enum server_body_mode mode;
    } routes[] = {
        {"GET", "/volumecontent/*/dir", vc_list, SERVER_BODY_BUFFER},
        {"POST", "/volumecontent/*/dir", vc_make_dir, SERVER_BODY_BUFFER},
        {"GET", "/volumecontent/*/path", vc_get_info, SERVER_BODY_BUFFER},
        {"PATCH", "/volumecontent/*/path", vc_update_metadata, SERVER_BODY_BUFFER},
        {"DELETE", "/volumecontent/*/path", vc_remove, SERVER_BODY_BUFFER},
        {"GET", "/volumecontent/*/file", vc_read_file, SERVER_BODY_BUFFER},
        {"PUT", "/volumecontent/*/file", vc_write, SERVER_BODY_STREAM},
    };
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        struct server_route r = {.method = routes[i].method,
                                 .pattern = routes[i].pattern,
                                 .handler = routes[i].fn,
                                 .ud = d,
                                 .body_mode = routes[i].mode,
                                 .max_body = 1u << 20};
        if (server_route_add(d->srv, SERVER_VHOST_API, &r) < 0)
            return error_set(err, ERROR_GENERIC, "cannot add route %s", r.pattern);
    }
    return 0;
}
