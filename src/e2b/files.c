/* files.c - /files upload and download streamed between a file descriptor and envd.
 *
 * Download: curl's write callbacks (16 KiB pieces, whatever its buffer) are gathered into
 * WRITE_BATCH bytes per write(2) on the caller's fd (error bodies never reach it: http.c
 * collects status >= 400 bodies itself); progress counts bytes written. Upload: the http read
 * callback read(2)s from the fd. Either way memory use is one curl buffer and one batch,
 * whatever the size. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "boxtop/files.h"
#include "boxtop/files_sig.h"
#include "boxtop/http.h"

/* 2 write(2)s per MiB instead of 64: a GiB's download took half the CPU (1.1 s -> 0.6 s) */
#define WRITE_BATCH HTTP_BULK_BUFFER

static int query_add(struct buf *out, const char *name, const char *value, bool *first)
{
    char *esc = curl_easy_escape(NULL, value, (int)strlen(value));
    if (!esc) return -1;
    int rc = buf_printf(out, "%c%s=%s", *first ? '?' : '&', name, esc);
    curl_free(esc);
    *first = false;
    return rc;
}

int files_url(const struct envd_target *t, const char *path, bool sign, const char *op,
              int64_t expiration, struct buf *out, struct error *err)
{
    bool first = true;
    int rc = 0;
    if (!path || !*path) return error_set(err, ERROR_USAGE, "empty path");
    rc |= buf_printf(out, "%s/files", t->base_url);
    if (t->user) rc |= query_add(out, "username", t->user, &first);
    rc |= query_add(out, "path", path, &first);
    if (sign && t->access_token) {
        char sig[FILES_SIG_MAX];
        char exp[32];
        if (files_sig_compute(path, op, t->user, t->access_token, expiration, sig) < 0)
            return error_set(err, ERROR_GENERIC, "cannot sign the URL");
        rc |= query_add(out, "signature", sig, &first);
        if (expiration >= 0) {
            snprintf(exp, sizeof exp, "%" PRId64, expiration);
            rc |= query_add(out, "signature_expiration", exp, &first);
        }
    }
    return rc < 0 ? error_set(err, ERROR_GENERIC, "out of memory") : 0;
}

static int header_add(struct envd_wire *w, size_t *n, const char *name, const char *value)
{
    struct buf h = BUF_INIT;
    if (*n >= ENVD_WIRE_MAX_HEADERS || buf_printf(&h, "%s: %s", name, value) < 0) return -1;
    w->headers[(*n)++] = buf_steal(&h);
    return w->headers[*n - 1] ? 0 : -1;
}

static int wire_build(const struct envd_target *t, const char *path, const char *content_type,
                      struct envd_wire *w, struct error *err)
{
    memset(w, 0, sizeof *w);
    struct buf url = BUF_INIT;
    if (files_url(t, path, false, NULL, FILES_SIG_NO_EXPIRY, &url, err) < 0) {
        buf_free(&url);
        return -1;
    }
    w->url = buf_steal(&url);
    size_t n = 0;
    char port[16];
    snprintf(port, sizeof port, "%d", ENVD_PORT);
    int rc = 0;
    if (content_type) rc |= header_add(w, &n, "Content-Type", content_type);
    rc |= header_add(w, &n, "E2b-Sandbox-Id", t->sandbox_id);
    rc |= header_add(w, &n, "E2b-Sandbox-Port", port);
    rc |= header_add(w, &n, "User-Agent", t->user_agent);
    if (t->access_token) rc |= header_add(w, &n, "X-Access-Token", t->access_token);
    if (rc < 0 || !w->url) {
        envd_wire_free(w);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

int files_wire_build(const struct envd_target *t, const char *path, bool upload,
                     struct envd_wire *w, struct error *err)
{
    return wire_build(t, path, upload ? "application/octet-stream" : NULL, w, err);
}

/* envd < 0.5.7 only takes multipart/form-data: the file goes in one part named "file",
 * framed by a preamble and an epilogue around the streamed bytes. */
static int multipart_frame(const char *path, struct buf *pre, struct buf *post, char *ctype,
                           size_t n, struct error *err)
{
    unsigned char rnd[16];
    char boundary[64];
    if (strpbrk(path, "\"\\\r\n"))
        return error_set(err, ERROR_USAGE, "this envd version cannot take that file name");
    if (RAND_bytes(rnd, sizeof rnd) != 1)
        return error_set(err, ERROR_GENERIC, "no random bytes for the multipart boundary");
    int k = snprintf(boundary, sizeof boundary, "boxtop");
    for (size_t i = 0; i < sizeof rnd; i++)
        k += snprintf(boundary + k, sizeof boundary - (size_t)k, "%02x", rnd[i]);
    snprintf(ctype, n, "multipart/form-data; boundary=%s", boundary);
    buf_printf(pre,
               "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
               "Content-Type: application/octet-stream\r\n\r\n",
               boundary, path);
    buf_printf(post, "\r\n--%s--\r\n", boundary);
    if (!pre->data || !post->data) return error_set(err, ERROR_GENERIC, "out of memory");
    return 0;
}

struct files_transfer {
    struct envd_client *c;
    struct http_request *req;
    int fd;
    uint64_t done_bytes;
    files_progress_cb progress;
    files_done_cb done;
    void *ud;
    bool upload;
    int io_errno; /* local read/write failure */
    char *wbuf;   /* download: bytes not yet written */
    size_t wlen;
    /* multipart upload: pre, then the file, then post */
    struct buf pre, post;
    size_t pre_off, post_off;
    bool file_eof;
};

static void transfer_free(struct files_transfer *t)
{
    buf_free(&t->pre);
    buf_free(&t->post);
    free(t->wbuf);
    free(t);
}

static int write_out(struct files_transfer *t, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(t->fd, data, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            t->io_errno = w < 0 ? errno : EIO;
            return -1;
        }
        data += w;
        len -= (size_t)w;
        t->done_bytes += (uint64_t)w;
    }
    if (t->progress) t->progress(t->done_bytes, t->ud);
    return 0;
}

static int flush_batch(struct files_transfer *t)
{
    size_t n = t->wlen;
    t->wlen = 0;
    return n ? write_out(t, t->wbuf, n) : 0;
}

static int download_data(struct http_request *req, const char *data, size_t len, void *ud)
{
    (void)req;
    struct files_transfer *t = ud;
    if (!t->wbuf) return write_out(t, data, len);
    if (t->wlen + len > WRITE_BATCH && flush_batch(t) < 0) return -1;
    if (len >= WRITE_BATCH) return write_out(t, data, len);
    memcpy(t->wbuf + t->wlen, data, len);
    t->wlen += len;
    return 0;
}

static ssize_t upload_read(char *buf, size_t n, void *ud)
{
    struct files_transfer *t = ud;
    if (t->pre_off < t->pre.len) {
        size_t k = t->pre.len - t->pre_off < n ? t->pre.len - t->pre_off : n;
        memcpy(buf, t->pre.data + t->pre_off, k);
        t->pre_off += k;
        return (ssize_t)k;
    }
    if (t->file_eof) {
        size_t k = t->post.len - t->post_off < n ? t->post.len - t->post_off : n;
        if (k) memcpy(buf, t->post.data + t->post_off, k);
        t->post_off += k;
        return (ssize_t)k;
    }
    for (;;) {
        ssize_t r = read(t->fd, buf, n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            t->io_errno = errno;
            return -1;
        }
        t->done_bytes += (uint64_t)r;
        if (t->progress && r > 0) t->progress(t->done_bytes, t->ud);
        if (r == 0 && t->post.len) {
            t->file_eof = true;
            return upload_read(buf, n, ud);
        }
        return r;
    }
}

static void transfer_done(struct http_request *req, struct http_result *res, void *ud)
{
    (void)req;
    struct files_transfer *t = ud;
    struct error err;
    const struct error *out = NULL;
    error_clear(&err);
    if (!t->io_errno) flush_batch(t); /* what arrived is kept, as it was before batching */
    if (t->io_errno) {
        error_set(&err, ERROR_GENERIC, "%s: %s",
                  t->upload ? "reading local file" : "writing local file", strerror(t->io_errno));
        err.code = -t->io_errno; /* the caller, who knows the path, says it in words */
        out = &err;
    } else if (res->status != 200) {
        if (res->status == 0) {
            err = res->err;
        } else {
            /* envd's /files errors are {"code":<int>,"message":"..."}; http.c maps them. */
            http_error_from_response(&err, res->status, res->body.data, res->body.len);
            if (res->status == 502) err.kind = ERROR_NOT_FOUND;
        }
        if (err.kind == ERROR_NONE) error_set(&err, ERROR_NETWORK, "transfer failed");
        out = &err;
    }
    files_done_cb cb = t->done;
    void *cud = t->ud;
    transfer_free(t);
    if (cb) cb(out, cud);
}

static struct files_transfer *transfer_start(struct envd_client *c, const char *path, int fd,
                                             bool upload, int64_t size, files_progress_cb progress,
                                             files_done_cb done, void *ud, struct error *err)
{
    struct envd_wire w;
    struct files_transfer *t = calloc(1, sizeof *t);
    if (!t) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    *t = (struct files_transfer){
        .c = c, .fd = fd, .progress = progress, .done = done, .ud = ud, .upload = upload};
    if (!upload) t->wbuf = malloc(WRITE_BATCH); /* NULL: one write(2) per piece */
    char ctype[128] = "application/octet-stream";
    if (upload && c->multipart_upload &&
        multipart_frame(path, &t->pre, &t->post, ctype, sizeof ctype, err) < 0) {
        transfer_free(t);
        return NULL;
    }
    if (wire_build(&c->target, path, upload ? ctype : NULL, &w, err) < 0) {
        transfer_free(t);
        return NULL;
    }
    if (upload && size >= 0 && t->post.len) size += (int64_t)(t->pre.len + t->post.len);
    struct http_opts o = {
        .method = upload ? "POST" : "GET",
        .url = w.url,
        .headers = (const char *const *)w.headers,
        .on_done = transfer_done,
        .ud = t,
        .timeout_ms = 0,               /* big files take as long as they take, */
        .stall_ms = c->files_stall_ms, /* but a server that stops sending fails */
        .bulk = 1,
    };
    if (upload) {
        o.read_cb = upload_read;
        o.read_ud = t;
        o.body_size = size;
    } else {
        o.on_data = download_data;
    }
    t->req = http_start(c->http, &o, err);
    envd_wire_free(&w);
    if (!t->req) {
        transfer_free(t);
        return NULL;
    }
    return t;
}

struct files_transfer *files_download(struct envd_client *c, const char *path, int fd,
                                      files_progress_cb progress, files_done_cb done, void *ud,
                                      struct error *err)
{
    return transfer_start(c, path, fd, false, -1, progress, done, ud, err);
}

struct files_transfer *files_upload(struct envd_client *c, const char *path, int fd, int64_t size,
                                    files_progress_cb progress, files_done_cb done, void *ud,
                                    struct error *err)
{
    return transfer_start(c, path, fd, true, size < 0 ? -1 : size, progress, done, ud, err);
}

void files_cancel(struct files_transfer *t)
{
    if (!t) return;
    http_cancel(t->req);
    transfer_free(t);
}

struct http_request *files_request(struct files_transfer *t)
{
    return t ? t->req : NULL;
}
