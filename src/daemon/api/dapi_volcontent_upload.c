/* dapi_volcontent_upload.c - PUT /volumecontent/{id}/file (the SDK's Volume.writeFile): the
 * body streams into a temporary file beside the volume's data (DIR/volumes/<id>/.vc-up-*,
 * the same filesystem, never seen by sandboxes or listings; spliced from the socket where it
 * can be, written as each piece arrives otherwise), which then replaces the target by rename,
 * so a reader never sees half a file and a failed upload leaves the old one. Missing parent
 * directories are created; an existing directory is not replaced (400). An old file of
 * 16 MiB or more is moved out and deleted off the loop. Answers the new VolumeEntryStat. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cJSON.h>

#include "../envd/confine.h"
#include "../ids.h"
#include "../volume.h"
#include "dapi_volcontent.h"

#define OLD_FILE_OFF_LOOP_BLOCKS ((16LL << 20) / 512)

struct vc_upload {
    struct daemon *d;
    char vid[37]; /* the volume may be deleted meanwhile: looked up again at the end */
    int root_fd, parent_fd, vol_fd, fd;
    char abs[ENVD_PATH_MAX];
    char base[256];
    char tmp[48]; /* temporary name in vol_fd, "" once renamed or removed */
    long long uid, gid, mode;
};

static void up_free(struct vc_upload *u)
{
    if (u->fd >= 0) close(u->fd);
    if (u->tmp[0] && u->vol_fd >= 0) unlinkat(u->vol_fd, u->tmp, 0);
    if (u->vol_fd >= 0) close(u->vol_fd);
    if (u->parent_fd >= 0) close(u->parent_fd);
    if (u->root_fd >= 0) close(u->root_fd);
    free(u);
}

static void up_close(struct server_request *req, void *ud)
{
    (void)req;
    up_free(ud);
}

static int up_data(struct server_request *req, const char *data, size_t len, void *ud)
{
    struct vc_upload *u = ud;
    while (len > 0) {
        ssize_t n = write(u->fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            vc_answer_errno(req, n < 0 ? errno : ENOSPC, u->abs);
            return 1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int up_sunk(struct server_request *req, size_t n, int err, void *ud)
{
    (void)n;
    if (!err) return 0;
    vc_answer_errno(req, err, ((struct vc_upload *)ud)->abs);
    return 1;
}

static void up_end(struct server_request *req, int status, void *ud)
{
    struct vc_upload *u = ud;
    if (server_responded(req)) return;
    if (status < 0) {
        server_respond_error(req, 400, "error reading request body");
        return;
    }
    struct volume *v = volume_find(u->d, u->vid);
    if (!v) {
        server_respond_error(req, 404, "volume was deleted");
        return;
    }
    int r = 0;
    if (u->mode >= 0 && fchmod(u->fd, (mode_t)u->mode) < 0) r = -errno;
    if (r == 0 && fchown(u->fd, (uid_t)u->uid, (gid_t)u->gid) < 0) r = -errno;
    struct stat st;
    if (r == 0 && fstatat(u->parent_fd, u->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(st.st_mode))
            r = -EISDIR; /* made meanwhile */
        else if (S_ISREG(st.st_mode) && st.st_blocks >= OLD_FILE_OFF_LOOP_BLOCKS)
            r = vc_remove_later(u->d, v, u->parent_fd, u->base);
    }
    if (r == 0) r = renameat(u->vol_fd, u->tmp, u->parent_fd, u->base) < 0 ? -errno : 0;
    if (r < 0) {
        vc_answer_errno(req, r, u->abs);
        return;
    }
    u->tmp[0] = '\0';
    int err = 0;
    cJSON *o = vc_stat_json(u->root_fd, u->abs, &err);
    if (!o)
        vc_answer_errno(req, err, u->abs);
    else
        server_respond_json(req, 200, o);
}

int dapi_volcontent_write(struct daemon *d, struct server_request *req)
{
    struct vc_target t;
    struct vc_upload *u = NULL;
    if (vc_target_open(d, req, &t) < 0) goto fail;
    u = calloc(1, sizeof *u);
    if (!u) {
        server_respond_error(req, 500, "out of memory");
        goto fail;
    }
    *u = (struct vc_upload){.d = d, .root_fd = t.root_fd, .parent_fd = -1, .vol_fd = -1, .fd = -1};
    t.root_fd = -1;
    snprintf(u->vid, sizeof u->vid, "%s", t.v->id);
    snprintf(u->abs, sizeof u->abs, "%s", t.abs);
    if (vc_owner_mode_query(req, &u->uid, &u->gid, &u->mode) < 0) goto fail;
    if (strcmp(u->abs, "/") == 0) {
        server_respond_error(req, 400, "path '/' is a directory");
        goto fail;
    }
    char parent[ENVD_PATH_MAX], base[256];
    denvd_path_split(u->abs, parent, sizeof parent, base, sizeof base);
    int r = cf_mkdir_p(u->root_fd, parent, (uid_t)u->uid, (gid_t)u->gid, NULL);
    if (r >= 0) r = u->parent_fd = cf_open_parent(u->root_fd, u->abs, u->base, sizeof u->base);
    struct stat st;
    if (r >= 0 && fstatat(u->parent_fd, u->base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(st.st_mode))
        r = -EISDIR;
    char hex[33];
    if (r >= 0 && ids_random_hex(hex, 16) < 0) r = -EIO;
    if (r >= 0 && (u->vol_fd = open(t.v->dir, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) r = -errno;
    if (r >= 0) {
        snprintf(u->tmp, sizeof u->tmp, ".vc-up-%s", hex);
        u->fd =
            openat(u->vol_fd, u->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (u->fd < 0) {
            r = -errno;
            u->tmp[0] = '\0';
        }
    }
    if (r < 0) {
        vc_answer_errno(req, r, u->abs);
        goto fail;
    }
    server_request_set_close_cb(req, up_close, u);
    server_request_set_body_cb(req, up_data, up_end, u);
    server_request_set_body_fd(req, u->fd, up_sunk);
    return 0;
fail:
    if (t.root_fd >= 0) close(t.root_fd);
    if (u) up_free(u);
    return 0;
}
