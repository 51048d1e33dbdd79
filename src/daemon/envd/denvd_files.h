/* denvd_files.h - streaming state machines behind envd's GET/POST /files (denvd_files.c). */
#ifndef BOXTOPD_ENVD_FILES_H
#define BOXTOPD_ENVD_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "boxtop/buf.h"

struct denvd_call;
struct denvd_upload;
struct denvd_download;
struct cJSON;

struct denvd_upload_req {
    const char *path;             /* "path" query value, NULL when absent */
    const char *content_type;     /* request header, may be NULL */
    const char *content_encoding; /* request header, may be NULL */
    const struct cJSON *metadata; /* checked X-Metadata-* (xmeta.h), NULL = none */
};

/* Start an upload. On failure: -1, *status (400/500/507) and msg. */
int denvd_upload_begin(struct denvd_call *c, const struct denvd_upload_req *req,
                       struct denvd_upload **out, int *status, char *msg, size_t msgn);
/* Next body bytes (already de-chunked). -1 once something failed: stop reading, answer
 * with denvd_upload_finish(). */
int denvd_upload_feed(struct denvd_upload *u, const void *data, size_t len);
/* Body complete (or abandoned): *status and the JSON body to send. */
int denvd_upload_finish(struct denvd_upload *u, int *status, struct buf *body);
int denvd_upload_status(const struct denvd_upload *u, const char **message);
/* The open target when the body is the file's bytes as they are (octet-stream, no gzip), else
 * -1: the server may then splice the body into it (issue 22). From then on fed bytes are
 * written at once, unbuffered, so both ways keep their order. Still owned by u. */
int denvd_upload_plain_fd(struct denvd_upload *u);
/* An existing big file is emptied off the loop (rt_truncate_start) after it was opened (by
 * begin or a multipart part): meanwhile its bytes are held in memory, so the glue must read
 * no more of the body while waiting is true, nor finish; fn(ud) runs in the loop once it
 * ended (then check denvd_upload_status). plain_fd is -1 while waiting. */
bool denvd_upload_waiting(const struct denvd_upload *u);
void denvd_upload_on_ready(struct denvd_upload *u, void (*fn)(void *ud), void *ud);
/* A write into that fd failed with errno err: the upload fails as a failed write would. */
void denvd_upload_write_failed(struct denvd_upload *u, int err);
void denvd_upload_free(struct denvd_upload *u);

struct denvd_download_info {
    char name[256];
    int64_t size;
    bool gzip;
    time_t mtime;
};

int denvd_download_open(struct denvd_call *c, const char *raw_path, const char *accept_encoding,
                        struct denvd_download **out, struct denvd_download_info *info, int *status,
                        char *msg, size_t msgn);
/* Fill up to n bytes of body; 0 at the end, -1 on a read error. */
ssize_t denvd_download_read(struct denvd_download *d, void *out, size_t n);
/* The open regular file when the body is its bytes as they are (no gzip), else -1: the server
 * can then send it with sendfile(2) (issue 22). Still owned by d. */
int denvd_download_plain_fd(const struct denvd_download *d);
void denvd_download_free(struct denvd_download *d);

#endif
