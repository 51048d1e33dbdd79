/* files.h - envd's plain-HTTP /files endpoint: streamed upload and download, signed URLs.
 *
 * Bodies are streamed between a file descriptor and the network in both directions; a file is
 * never held in memory whole. Upload uses application/octet-stream (envd >= 0.5.7), the body
 * pulled from the fd by the http read callback (with Content-Length when the size is known,
 * chunked otherwise). */
#ifndef BOXTOP_FILES_H
#define BOXTOP_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"
#include "boxtop/envd.h"
#include "boxtop/error.h"

/* Full /files URL for path: [username=..&]path=..[&signature=..[&signature_expiration=..]]
 * (a signature only when sign is set and the target has a token: files_sig.h, expiration
 * FILES_SIG_NO_EXPIRY for none). Values percent-encoded. */
int files_url(const struct envd_target *t, const char *path, bool sign, const char *op,
              int64_t expiration, struct buf *out, struct error *err);

/* The request a transfer sends (pure; for tests). upload selects POST + octet-stream. */
int files_wire_build(const struct envd_target *t, const char *path, bool upload,
                     struct envd_wire *w, struct error *err);

/* Progress: bytes moved so far. */
typedef void (*files_progress_cb)(uint64_t done, void *ud);
/* Called once at the end (err NULL on success) unless the transfer was cancelled. */
typedef void (*files_done_cb)(const struct error *err, void *ud);

struct files_transfer;

/* GET path into fd (written from the current offset). */
struct files_transfer *files_download(struct envd_client *c, const char *path, int fd,
                                      files_progress_cb progress, files_done_cb done, void *ud,
                                      struct error *err);
/* POST fd's contents (from the current offset) to path; size < 0 = unknown (chunked). */
struct files_transfer *files_upload(struct envd_client *c, const char *path, int fd, int64_t size,
                                    files_progress_cb progress, files_done_cb done, void *ud,
                                    struct error *err);
void files_cancel(struct files_transfer *t); /* not from inside its own callbacks */
/* The underlying request (for http_run_until_done). */
struct http_request *files_request(struct files_transfer *t);

#endif
