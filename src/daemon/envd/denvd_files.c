/* denvd_files.c - envd's /files: streaming upload (multipart or octet-stream, optionally gzip) and
 * streaming download (optionally gzip), confined to the sandbox root.
 *
 * Both directions are pull/push state machines driven by the HTTP glue, so boxtopd never
 * holds more than one read buffer of a file: uploads are written to disk as each body piece
 * arrives (the glue stops reading the socket while it is busy), downloads are read from disk
 * only when the socket can take more. gzip uses zlib in both directions. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "confine.h"
#include "denvd_files.h"
#include "denvd_int.h"
#include "multipart.h"
#include "runtime/runtime.h"
#include "xmeta.h"

#define INFLATE_CHUNK (64 * 1024)
#define WRITE_BUF     (256 * 1024) /* lws hands over ~4 KiB pieces: batch them per write(2) */
/* An existing file with at least this much on disk is truncated by a child (rt_truncate_start):
 * the kernel frees its extents inside the truncating call, ~400 ms for 1 GiB, which would hold
 * the loop and every other client. Smaller ones are opened with O_TRUNC as before. */
#define TRUNC_OFF_LOOP_MIN (16LL << 20)

/* One running truncation; outlives an upload freed meanwhile (u = NULL then). */
struct up_trunc {
    struct denvd_upload *u;
};

struct denvd_upload {
    struct denvd_call call;
    bool multipart;
    bool gzip;
    z_stream zs;
    bool zs_ready;
    struct mp_parser *mp;
    char path_q[ENVD_PATH_MAX]; /* path query, "" when absent */
    bool has_path_q;
    int fd;     /* file being written, -1 between files */
    char *wbuf; /* pending bytes for fd */
    size_t wlen;
    bool skipping_part; /* a multipart part that is not named "file" */
    int status;         /* HTTP status of the first error, 0 while fine */
    char message[512];
    cJSON *written;  /* response array */
    cJSON *metadata; /* for every file of this upload ({} = none) */
    int nfiles;
    /* the file being truncated off the loop: its bytes wait in held until that ended */
    struct up_trunc *trunc; /* non-NULL while it runs */
    int pend_fd;            /* that file's fd: u->fd, or owned here once the part ended */
    bool pend_close;        /* its part ended meanwhile: close it after */
    struct buf held;
    void (*on_ready)(void *ud);
    void *ready_ud;
};

static int up_fail(struct denvd_upload *u, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int up_fail(struct denvd_upload *u, int status, const char *fmt, ...)
{
    if (u->status == 0) {
        u->status = status;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(u->message, sizeof u->message, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int flush_file(struct denvd_upload *u);

static bool holding(const struct denvd_upload *u)
{
    return u->trunc && u->fd >= 0 && u->fd == u->pend_fd;
}

static int close_file(struct denvd_upload *u)
{
    if (u->fd < 0) return 0;
    if (holding(u)) { /* closed when the truncation ended (trunc_ready) */
        int rc = flush_file(u);
        u->pend_close = true;
        u->fd = -1;
        return rc;
    }
    if (flush_file(u) < 0) {
        close(u->fd);
        u->fd = -1;
        return -1;
    }
    int rc = close(u->fd);
    u->fd = -1;
    return rc < 0 ? up_fail(u, 500, "error writing file: %s", strerror(errno)) : 0;
}

static int write_fd(struct denvd_upload *u, int fd, const void *data, size_t len);

/* The truncation of u->pend_fd ended: its held bytes go in, then the glue hears. */
static void trunc_ready(void *ud, int err)
{
    struct up_trunc *t = ud;
    struct denvd_upload *u = t->u;
    free(t);
    if (!u) return;
    u->trunc = NULL;
    if (err)
        up_fail(u, err == ENOSPC ? 507 : 500, "error truncating file: %s", strerror(err));
    else if (u->held.len)
        write_fd(u, u->pend_fd, u->held.data, u->held.len);
    buf_free(&u->held);
    if (u->pend_close && close(u->pend_fd) < 0)
        up_fail(u, 500, "error writing file: %s", strerror(errno));
    u->pend_close = false;
    u->pend_fd = -1;
    if (u->on_ready) u->on_ready(u->ready_ud);
}

/* fd was opened without O_TRUNC: empty it, off the loop when possible. */
static int truncate_target(struct denvd_upload *u, int fd)
{
    struct up_trunc *t = malloc(sizeof *t);
    if (t) {
        t->u = u;
        if (rt_truncate_start(u->call.e ? u->call.e->host.rt : NULL, fd, trunc_ready, t) == 0) {
            u->trunc = t;
            u->pend_fd = fd;
            return 0;
        }
        free(t);
    }
    return ftruncate(fd, 0); /* no child: as O_TRUNC would */
}

/* Open the target of one file (raw path as sent, resolved against home). */
static int open_target_as_user(struct denvd_upload *u, const char *raw)
{
    char path[ENVD_PATH_MAX], parent[ENVD_PATH_MAX], base[256];
    struct error err;
    if (denvd_path_resolve(raw, u->call.home, path, sizeof path, &err) < 0)
        return up_fail(u, 400, "error resolving path: %s", err.msg);
    cJSON *it;
    cJSON_ArrayForEach(it, u->written)
    {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");
        if (cJSON_IsString(p) && strcmp(p->valuestring, path) == 0)
            return up_fail(u, 400,
                           "you cannot upload multiple files to the same path '%s' in one "
                           "upload request, only the first specified file was uploaded",
                           path);
    }
    denvd_path_split(path, parent, sizeof parent, base, sizeof base);
    int rc = denvd_mkdir_p_priv(&u->call, parent, NULL);
    if (rc < 0)
        return up_fail(u, rc == -ENOSPC ? 507 : 500, "error ensuring directories: %s",
                       strerror(-rc));
    struct stat st;
    bool exists = cf_stat(u->call.root_fd, path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) return up_fail(u, 400, "path is a directory: %s", path);
    /* the same file (inode: links, owner, mode) emptied, as O_TRUNC does; one at a time */
    bool late = exists && S_ISREG(st.st_mode) &&
                (long long)st.st_blocks * 512 >= TRUNC_OFF_LOOP_MIN && !u->trunc;
    int fd = cf_open(u->call.root_fd, path, O_WRONLY | O_CREAT | (late ? 0 : O_TRUNC), 0666);
    if (fd < 0)
        return up_fail(u,
                       fd == -ENOSPC                     ? 507
                       : fd == -EISDIR                   ? 400
                       : (fd == -EACCES || fd == -EPERM) ? 403
                                                         : 500,
                       "error opening file: %s", strerror(-fd));
    if (fchown(fd, u->call.uid, u->call.gid) < 0) {
        int e = errno;
        close(fd);
        return up_fail(u, 500, "error changing file ownership: %s", strerror(e));
    }
    int mr = xmeta_write_fd(fd, u->metadata); /* the set is replaced: none clears it */
    if (mr < 0 && !(mr == -ENOTSUP && cJSON_GetArraySize(u->metadata) == 0)) {
        close(fd);
        return up_fail(u, mr == -ENOSPC || mr == -EDQUOT ? 507 : 500,
                       "error setting file metadata: %s", strerror(-mr));
    }
    if (late && truncate_target(u, fd) < 0) {
        int e = errno;
        close(fd);
        return up_fail(u, 500, "error truncating file: %s", strerror(e));
    }
    u->fd = fd;
    cJSON *ent = cJSON_CreateObject();
    cJSON_AddStringToObject(ent, "path", path);
    cJSON_AddStringToObject(ent, "name", strcmp(path, "/") ? base : "/");
    cJSON_AddStringToObject(ent, "type", "file");
    if (cJSON_GetArraySize(u->metadata) > 0)
        cJSON_AddItemToObject(ent, "metadata", cJSON_Duplicate(u->metadata, 1));
    cJSON_AddItemToArray(u->written, ent);
    u->nfiles++;
    return 0;
}

/* Directories and the file are made with the sandbox user's ids (denvd_cred_*). */
static int open_target(struct denvd_upload *u, const char *raw)
{
    struct denvd_cred cred;
    denvd_cred_enter(&u->call, &cred);
    int rc = open_target_as_user(u, raw);
    denvd_cred_leave(&cred);
    return rc;
}

static int write_failed(struct denvd_upload *u, int err)
{
    return up_fail(u, err == ENOSPC || err == EDQUOT ? 507 : 500,
                   err == ENOSPC ? "not enough disk space available" : "error writing file: %s",
                   strerror(err));
}

static int write_fd(struct denvd_upload *u, int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return write_failed(u, errno);
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_raw(struct denvd_upload *u, const void *data, size_t len)
{
    if (!holding(u)) return write_fd(u, u->fd, data, len);
    /* the glue reads no more while this waits: held is about one body piece (inflated) */
    if (buf_append(&u->held, data, len) < 0) return up_fail(u, 500, "out of memory");
    return 0;
}

static int flush_file(struct denvd_upload *u)
{
    if (u->fd < 0 || u->wlen == 0) return 0;
    int rc = write_raw(u, u->wbuf, u->wlen);
    u->wlen = 0;
    return rc;
}

static int write_all(struct denvd_upload *u, const void *data, size_t len)
{
    if (!u->wbuf) return write_raw(u, data, len);
    if (u->wlen + len > WRITE_BUF && flush_file(u) < 0) return -1;
    if (len >= WRITE_BUF) return write_raw(u, data, len);
    memcpy(u->wbuf + u->wlen, data, len);
    u->wlen += len;
    return 0;
}

/* ---- multipart callbacks ---- */

static int mp_begin(void *ud, const struct mp_part *part)
{
    struct denvd_upload *u = ud;
    if (strcmp(part->name, "file") != 0) {
        u->skipping_part = true;
        return 0;
    }
    u->skipping_part = false;
    if (u->has_path_q) {
        if (u->nfiles > 0)
            return up_fail(u, 400,
                           "you cannot upload multiple files to the same path '%s' in one "
                           "upload request, only the first specified file was uploaded",
                           u->path_q);
        return open_target(u, u->path_q);
    }
    if (!part->has_filename || !part->filename[0])
        return up_fail(u, 400, "error getting multipart custom part file name: missing");
    return open_target(u, part->filename);
}

static int mp_data(void *ud, const void *d, size_t n)
{
    struct denvd_upload *u = ud;
    if (u->skipping_part || u->fd < 0) return 0;
    return write_all(u, d, n);
}

static int mp_end(void *ud)
{
    struct denvd_upload *u = ud;
    if (u->skipping_part) return 0;
    return close_file(u);
}

/* ---- upload ---- */

int denvd_upload_begin(struct denvd_call *c, const struct denvd_upload_req *req,
                       struct denvd_upload **out, int *status, char *msg, size_t msgn)
{
    *out = NULL;
    struct denvd_upload *u = calloc(1, sizeof *u);
    if (!u) {
        *status = 500;
        snprintf(msg, msgn, "out of memory");
        return -1;
    }
    u->call = *c;
    u->fd = -1;
    u->pend_fd = -1;
    u->wbuf = malloc(WRITE_BUF); /* NULL: unbuffered writes */
    u->written = cJSON_CreateArray();
    u->metadata = req->metadata ? cJSON_Duplicate(req->metadata, 1) : cJSON_CreateObject();
    if (req->path && req->path[0]) {
        u->has_path_q = true;
        snprintf(u->path_q, sizeof u->path_q, "%s", req->path);
    }
    const char *ct = req->content_type ? req->content_type : "";
    char media[128];
    size_t ml = strcspn(ct, ";");
    snprintf(media, sizeof media, "%.*s", (int)(ml < sizeof media ? ml : sizeof media - 1), ct);
    for (size_t i = strlen(media); i > 0 && (media[i - 1] == ' ' || media[i - 1] == '\t'); i--)
        media[i - 1] = '\0';
    if (req->content_encoding && req->content_encoding[0] &&
        strcasecmp(req->content_encoding, "identity") != 0) {
        if (strcasecmp(req->content_encoding, "gzip") != 0) {
            up_fail(u, 400, "unsupported Content-Encoding: %s", req->content_encoding);
            goto fail;
        }
        u->gzip = true;
        if (inflateInit2(&u->zs, 15 + 16) != Z_OK) {
            up_fail(u, 500, "error initialising gzip decoder");
            goto fail;
        }
        u->zs_ready = true;
    }
    if (strcasecmp(media, "application/octet-stream") == 0) {
        if (!u->has_path_q) {
            up_fail(u, 400, "path query parameter is required for application/octet-stream");
            goto fail;
        }
        if (open_target(u, u->path_q) < 0) goto fail;
    } else if (strncasecmp(media, "multipart/", 10) == 0) {
        char boundary[MP_BOUNDARY_MAX + 1];
        struct error err;
        if (mp_boundary_from_content_type(ct, boundary, sizeof boundary, &err) < 0) {
            up_fail(u, 400, "error parsing multipart form: %s", err.msg);
            goto fail;
        }
        u->multipart = true;
        u->mp = malloc(sizeof *u->mp);
        struct mp_callbacks cb = {u, mp_begin, mp_data, mp_end};
        if (!u->mp || mp_init(u->mp, boundary, &cb, &err) < 0) {
            up_fail(u, 400, "error parsing multipart form: %s", u->mp ? err.msg : "no memory");
            goto fail;
        }
    } else {
        up_fail(u, 400,
                "unsupported content type: %s, expected multipart/form-data or "
                "application/octet-stream",
                ct);
        goto fail;
    }
    *out = u;
    return 0;
fail:
    *status = u->status;
    snprintf(msg, msgn, "%s", u->message);
    denvd_upload_free(u);
    return -1;
}

static int consume(struct denvd_upload *u, const void *data, size_t len)
{
    if (!u->multipart) return write_all(u, data, len);
    struct error err;
    int rc = mp_feed(u->mp, data, len, &err);
    if (rc == -1 && u->status == 0)
        return up_fail(u, 400, "error parsing multipart form: %s", err.msg);
    return rc < 0 ? -1 : 0;
}

int denvd_upload_feed(struct denvd_upload *u, const void *data, size_t len)
{
    if (u->status) return -1;
    if (!u->gzip) return consume(u, data, len);
    unsigned char out[INFLATE_CHUNK];
    u->zs.next_in = (unsigned char *)(uintptr_t)data;
    u->zs.avail_in = (uInt)len;
    while (u->zs.avail_in > 0) {
        u->zs.next_out = out;
        u->zs.avail_out = sizeof out;
        int zr = inflate(&u->zs, Z_NO_FLUSH);
        size_t got = sizeof out - u->zs.avail_out;
        if (got && consume(u, out, got) < 0) return -1;
        if (zr == Z_STREAM_END) {
            if (u->zs.avail_in > 0) /* trailing bytes after the gzip member */
                return up_fail(u, 400, "error decompressing request body: trailing data");
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR)
            return up_fail(u, 400, "error decompressing request body: %s",
                           u->zs.msg ? u->zs.msg : "invalid gzip data");
        if (zr == Z_BUF_ERROR && got == 0) break;
    }
    return 0;
}

int denvd_upload_finish(struct denvd_upload *u, int *status, struct buf *body)
{
    if (u->status == 0 && u->gzip) {
        /* drain what zlib still holds, and insist on a complete member */
        unsigned char out[INFLATE_CHUNK];
        int zr;
        do {
            u->zs.next_in = NULL;
            u->zs.avail_in = 0;
            u->zs.next_out = out;
            u->zs.avail_out = sizeof out;
            zr = inflate(&u->zs, Z_FINISH);
            size_t got = sizeof out - u->zs.avail_out;
            if (got && consume(u, out, got) < 0) break;
            if (got == 0) break;
        } while (zr == Z_OK || zr == Z_BUF_ERROR);
        if (u->status == 0 && zr != Z_STREAM_END)
            up_fail(u, 400, "error decompressing request body: unexpected end of gzip data");
    }
    if (u->status == 0 && u->multipart) {
        struct error err;
        if (mp_finish(u->mp, &err) < 0)
            up_fail(u, 400, "error parsing multipart form: %s", err.msg);
    }
    if (u->status == 0) close_file(u);
    if (u->status) {
        *status = u->status;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "code", u->status);
        cJSON_AddStringToObject(e, "message", u->message);
        pjson_print(body, e);
        cJSON_Delete(e);
        return -1;
    }
    *status = 200;
    pjson_print(body, u->written);
    return 0;
}

int denvd_upload_status(const struct denvd_upload *u, const char **message)
{
    if (message) *message = u->message;
    return u->status;
}

bool denvd_upload_waiting(const struct denvd_upload *u)
{
    return u->trunc != NULL;
}

void denvd_upload_on_ready(struct denvd_upload *u, void (*fn)(void *ud), void *ud)
{
    u->on_ready = fn;
    u->ready_ud = ud;
}

int denvd_upload_plain_fd(struct denvd_upload *u)
{
    if (u->trunc || u->multipart || u->gzip || u->fd < 0 || u->status || flush_file(u) < 0)
        return -1;
    free(u->wbuf); /* unbuffered from now on */
    u->wbuf = NULL;
    return u->fd;
}

void denvd_upload_write_failed(struct denvd_upload *u, int err)
{
    write_failed(u, err);
}

void denvd_upload_free(struct denvd_upload *u)
{
    if (!u) return;
    if (u->trunc) u->trunc->u = NULL; /* the child goes on with its own copy of the fd */
    if (u->pend_close) close(u->pend_fd);
    buf_free(&u->held);
    if (u->fd >= 0) close(u->fd);
    free(u->wbuf);
    if (u->zs_ready) inflateEnd(&u->zs);
    free(u->mp);
    cJSON_Delete(u->written);
    cJSON_Delete(u->metadata);
    free(u);
}

/* ---- download ---- */

struct denvd_download {
    int fd;
    bool gzip;
    z_stream zs;
    bool zs_ready;
    bool eof, done;
    int64_t size;
};

int denvd_download_open(struct denvd_call *c, const char *raw_path, const char *accept_encoding,
                        struct denvd_download **out, struct denvd_download_info *info, int *status,
                        char *msg, size_t msgn)
{
    char path[ENVD_PATH_MAX];
    struct error err;
    *out = NULL;
    if (denvd_path_resolve(raw_path ? raw_path : "", c->home, path, sizeof path, &err) < 0) {
        *status = 400;
        snprintf(msg, msgn, "error resolving path: %s", err.msg);
        return -1;
    }
    int fd = cf_open(c->root_fd, path, O_RDONLY, 0);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = fd < 0 ? -fd : errno;
        if (fd >= 0) close(fd);
        *status = (e == ENOENT || e == ENOTDIR) ? 404 : (e == EACCES || e == EPERM) ? 403 : 500;
        if (*status == 404)
            snprintf(msg, msgn, "path '%s' does not exist", path);
        else
            snprintf(msg, msgn, "error opening file '%s': %s", path, strerror(e));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        *status = 400;
        snprintf(msg, msgn, "path '%s' is a directory", path);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        *status = 400;
        snprintf(msg, msgn, "path '%s' is not a regular file", path);
        return -1;
    }
    struct denvd_download *d = calloc(1, sizeof *d);
    if (!d) {
        close(fd);
        *status = 500;
        snprintf(msg, msgn, "out of memory");
        return -1;
    }
    d->fd = fd;
    d->size = (int64_t)st.st_size;
    /* gzip when the client lists it with a non-zero q (undici sends "gzip, deflate") */
    if (accept_encoding) {
        const char *g = strcasestr(accept_encoding, "gzip");
        if (g && !strstr(g, "q=0,") && !(strstr(g, "q=0") && !strstr(g, "q=0."))) d->gzip = true;
    }
    if (d->gzip) {
        if (deflateInit2(&d->zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            denvd_download_free(d);
            *status = 500;
            snprintf(msg, msgn, "error initialising gzip encoder");
            return -1;
        }
        d->zs_ready = true;
    }
    const char *slash = strrchr(path, '/');
    snprintf(info->name, sizeof info->name, "%.255s", slash ? slash + 1 : path);
    info->size = d->size;
    info->gzip = d->gzip;
    info->mtime = st.st_mtim.tv_sec;
    *out = d;
    return 0;
}

int denvd_download_plain_fd(const struct denvd_download *d)
{
    return d->gzip ? -1 : d->fd;
}

ssize_t denvd_download_read(struct denvd_download *d, void *out, size_t n)
{
    if (d->done) return 0;
    if (!d->gzip) {
        for (;;) {
            ssize_t r = read(d->fd, out, n);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) d->done = true;
            return r < 0 ? -1 : r;
        }
    }
    d->zs.next_out = out;
    d->zs.avail_out = (uInt)n;
    unsigned char in[INFLATE_CHUNK];
    while (d->zs.avail_out > 0) {
        if (d->zs.avail_in == 0 && !d->eof) {
            ssize_t r = read(d->fd, in, sizeof in);
            if (r < 0 && errno == EINTR) continue;
            if (r < 0) return -1;
            if (r == 0) d->eof = true;
            /* in[] lives on this stack frame: consume it all before returning */
            d->zs.next_in = in;
            d->zs.avail_in = (uInt)r;
        }
        int zr = deflate(&d->zs, d->eof ? Z_FINISH : Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            d->done = true;
            break;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) return -1;
        if (d->zs.avail_in > 0 && d->zs.avail_out == 0) {
            /* output full with input left: keep the input by rewinding the file */
            off_t back = (off_t)d->zs.avail_in;
            if (lseek(d->fd, -back, SEEK_CUR) < 0) return -1;
            d->eof = false;
            d->zs.avail_in = 0;
            d->zs.next_in = NULL;
        }
    }
    return (ssize_t)(n - d->zs.avail_out);
}

void denvd_download_free(struct denvd_download *d)
{
    if (!d) return;
    if (d->fd >= 0) close(d->fd);
    if (d->zs_ready) deflateEnd(&d->zs);
    free(d);
}
