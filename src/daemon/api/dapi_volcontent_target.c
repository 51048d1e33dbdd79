/* dapi_volcontent_target.c - what every volume content route shares: the volume and its
 * token, the confined path, the VolumeEntryStat of an entry, errno as an answer, owner ids
 * between sandbox and disk, and removal off the loop. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "boxtop/log.h"
#include "../auth.h"
#include "../envd/confine.h"
#include "../envd/entry.h"
#include "../fsutil.h"
#include "../ids.h"
#include "../volume.h"
#include "dapi_volcontent.h"

/* The volume whose id is capture 0 and whose token is the request's bearer token. No token:
 * 401. A volume that does not exist: 404 "volume not found", as upstream answers a (still
 * valid) token of a deleted volume; ids are random UUIDs, so this tells nothing useful. An
 * existing volume with another token: 401. */
static struct volume *vc_volume(struct daemon *d, struct server_request *req)
{
    server_request_error_code_string(req); /* every answer of these routes, from here on */
    const char *id = server_request_capture(req, 0);
    const char *auth = server_request_header(req, "authorization");
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0 || !auth[7]) {
        server_respond_error(req, 401, "missing volume token (Authorization: Bearer)");
        return NULL;
    }
    struct volume *v = id ? volume_find(d, id) : NULL;
    if (!v) {
        server_respond_error(req, 404, "volume not found");
        return NULL;
    }
    if (!auth_key_matches(v->token, auth + 7)) {
        log_msg(d->log, LOG_INFO, "api: %s /volumecontent from %s: invalid volume token",
                server_request_method(req), server_request_peer(req));
        server_respond_error(req, 401, "invalid volume token");
        return NULL;
    }
    return v;
}

int vc_target_open(struct daemon *d, struct server_request *req, struct vc_target *t)
{
    t->root_fd = -1;
    t->v = vc_volume(d, req);
    if (!t->v) return -1;
    const char *p = server_request_query(req, "path");
    if (!p) p = "";
    if (strlen(p) + 2 > sizeof t->abs) {
        server_respond_error(req, 400, "path too long");
        return -1;
    }
    snprintf(t->abs, sizeof t->abs, "/%s", p);
    denvd_path_clean(t->abs); /* ".." stops at the volume's root, as in Go's path.Clean("/"+p) */
    char data[sizeof t->v->dir + 8];
    snprintf(data, sizeof data, "%s/data", t->v->dir);
    t->root_fd = open(data, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (t->root_fd < 0) {
        server_respond_error(req, 500, "volume data is not readable");
        return -1;
    }
    return 0;
}

long long vc_id_in(long long id, bool group)
{
    if (geteuid() == 0 || id != VOLUME_USER_ID) return id;
    return group ? (long long)getegid() : (long long)geteuid();
}

unsigned vc_id_out(unsigned id, bool group)
{
    if (geteuid() == 0 || id != (group ? getegid() : geteuid())) return id;
    return VOLUME_USER_ID;
}

static const char *type_name(mode_t m)
{
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symlink";
    return "unknown";
}

cJSON *vc_stat_json(int root_fd, const char *abs, int *err)
{
    struct stat st;
    int r = cf_lstat(root_fd, abs, &st);
    if (r < 0) {
        *err = r;
        return NULL;
    }
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        *err = -ENOMEM;
        return NULL;
    }
    const char *slash = strrchr(abs, '/');
    cJSON_AddStringToObject(o, "name", strcmp(abs, "/") == 0 ? "/" : slash + 1);
    cJSON_AddStringToObject(o, "path", abs);
    cJSON_AddStringToObject(o, "type", type_name(st.st_mode));
    cJSON_AddNumberToObject(o, "size", (double)st.st_size);
    cJSON_AddNumberToObject(o, "mode", st.st_mode & 07777);
    cJSON_AddNumberToObject(o, "uid", vc_id_out(st.st_uid, false));
    cJSON_AddNumberToObject(o, "gid", vc_id_out(st.st_gid, true));
    char ts[64];
    denvd_format_timestamp(st.st_atim, ts, sizeof ts);
    cJSON_AddStringToObject(o, "atime", ts);
    denvd_format_timestamp(st.st_mtim, ts, sizeof ts);
    cJSON_AddStringToObject(o, "mtime", ts);
    denvd_format_timestamp(st.st_ctim, ts, sizeof ts);
    cJSON_AddStringToObject(o, "ctime", ts);
    if (S_ISLNK(st.st_mode)) {
        /* the link text as stored (never resolved against the host) */
        char base[256], target[ENVD_PATH_MAX];
        int pfd = cf_open_parent(root_fd, abs, base, sizeof base);
        ssize_t n = pfd >= 0 ? readlinkat(pfd, base, target, sizeof target - 1) : -1;
        if (pfd >= 0) close(pfd);
        if (n >= 0) {
            target[n] = '\0';
            cJSON_AddStringToObject(o, "target", target);
        }
    }
    return o;
}

int vc_answer_errno(struct server_request *req, int e, const char *abs)
{
    if (e < 0) e = -e;
    switch (e) {
    case ENOENT:
        return server_respond_error(req, 404, "path '%s' not found", abs);
    case ENOTDIR:
        return server_respond_error(req, 404, "path '%s' not found (a parent is not a directory)",
                                    abs);
    case EEXIST:
    case ENOTEMPTY:
        return server_respond_error(req, 409, "path '%s' already exists", abs);
    case EISDIR:
        return server_respond_error(req, 400, "path '%s' is a directory", abs);
    case EXDEV:
    case ELOOP:
        return server_respond_error(req, 400, "path '%s' leads out of the volume", abs);
    case EPERM:
    case EACCES:
        return server_respond_error(req, 403, "permission denied for '%s'", abs);
    case ENOSPC:
    case EDQUOT:
        return server_respond_error(req, 507, "no space left in the volume");
    case ENAMETOOLONG:
        return server_respond_error(req, 400, "path too long");
    default:
        return server_respond_error(req, 500, "cannot access '%s': %s", abs, strerror(e));
    }
}

/* Whether boxtopd may make uid:gid an entry's owner: as root any; rootless only its own uid
 * and one of its groups (chown(2) without CAP_CHOWN). */
static bool can_give(long long uid, long long gid)
{
    if (geteuid() == 0) return true;
    if (uid != (long long)geteuid()) return false;
    if (gid == (long long)getegid()) return true;
    gid_t groups[256];
    int n = getgroups(256, groups);
    for (int i = 0; i < n; i++)
        if ((long long)groups[i] == gid) return true;
    return false;
}

int vc_owner_mode_query(struct server_request *req, long long *uid, long long *gid, long long *mode)
{
    if (dapi_query_int(req, "uid", VOLUME_USER_ID, 0, 0xfffffffeLL, uid) < 0) return -1;
    if (dapi_query_int(req, "gid", VOLUME_USER_ID, 0, 0xfffffffeLL, gid) < 0) return -1;
    *uid = vc_id_in(*uid, false);
    *gid = vc_id_in(*gid, true);
    if (dapi_query_int(req, "mode", -1, 0, 07777, mode) < 0) return -1;
    if (!can_give(*uid, *gid)) { /* refused before anything is created */
        server_respond_error(req, 403, "permission denied: cannot give an entry owner %lld:%lld",
                             *uid, *gid);
        return -1;
    }
    return 0;
}

int vc_remove_later(struct daemon *d, const struct volume *v, int parent_fd, const char *base)
{
    char name[40] = ".vc-rm-", hex[33]; /* .vc-*: swept by volumes_load after a crash */
    if (ids_random_hex(hex, 16) < 0) return -EIO;
    strcat(name, hex);
    int vfd = open(v->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (vfd < 0) return -errno;
    int r = renameat(parent_fd, base, vfd, name) < 0 ? -errno : 0;
    close(vfd);
    if (r < 0) return r;
    char path[sizeof v->dir + 48];
    snprintf(path, sizeof path, "%s/%s", v->dir, name);
    fs_remove_now_or_later(d->rt, path, NULL);
    return 0;
}
