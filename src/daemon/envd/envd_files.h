/* envd_files.h - streaming state machines behind envd's GET/POST /files (files.c). */
#ifndef BOXTOPD_ENVD_FILES_H
#define BOXTOPD_ENVD_FILES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "boxtop/buf.h"

struct envd_call;
struct envd_upload;
struct envd_download;
struct cJSON;

struct envd_upload_req {
    const char *path;             /* "path" query value, NULL when absent */
    const char *content_type;     /* request header, may be NULL */
    const char *content_encoding; /* request header, may be NULL */
    const struct cJSON *metadata; /* checked X-Metadata-* (xmeta.h), NULL = none */
};

/* Start an upload. On failure: -1, *status (400/500/507) and msg. */
int envd_upload_begin(struct envd_call *c, const struct envd_upload_req *req,
                      struct envd_upload **out, int *status, char *msg, size_t msgn);
/* Next body bytes (already de-chunked). -1 once something failed: stop reading, answer
 * with envd_upload_finish(). */
int envd_upload_feed(struct envd_upload *u, const void *data, size_t len);
/* Body complete (or abandoned): *status and the JSON body to send. */
int envd_upload_finish(struct envd_upload *u, int *status, struct buf *body);
int envd_upload_status(const struct envd_upload *u, const char **message);
void envd_upload_free(struct envd_upload *u);

struct envd_download_info {
    char name[256];
    int64_t size;
    bool gzip;
    time_t mtime;
};

int envd_download_open(struct envd_call *c, const char *raw_path, const char *accept_encoding,
                       struct envd_download **out, struct envd_download_info *info, int *status,
                       char *msg, size_t msgn);
/* Fill up to n bytes of body; 0 at the end, -1 on a read error. */
ssize_t envd_download_read(struct envd_download *d, void *out, size_t n);
/* The open regular file when the body is its bytes as they are (no gzip), else -1: the server
 * can then send it with sendfile(2) (issue 22). Still owned by d. */
int envd_download_plain_fd(const struct envd_download *d);
void envd_download_free(struct envd_download *d);

#endif
