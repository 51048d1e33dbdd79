/* backend_e2b_peek.h - read the head of a sandbox file (the remote file system's peek, for
 * the viewer; the changes tracker's diffs): a bounded read of envd's /files
 * download, stopped once `max` bytes are in, into an already unlinked temporary file (so
 * nothing is left on disk whatever happens, and the viewer never waits for a whole 3 GB file).
 * A server that honours no Range still sends the whole file: the read is simply cut. */
#ifndef BOXTOP_TUI_BACKEND_E2B_PEEK_H
#define BOXTOP_TUI_BACKEND_E2B_PEEK_H

#include <stddef.h>

#include "boxtop/envd.h"
#include "boxtop/error.h"
#include "boxtop/loop.h"

struct fpeek;

/* The answer, once: fd (owned by the callee; close it) holds the first len bytes at offset 0;
 * more is 1 when the file goes on past them. fd is -1 and err set on failure. */
typedef void (*fpeek_cb)(int fd, size_t len, int more, const struct error *err, void *ud);

/* Start reading path; tmpdir is where the (unlinked) scratch file lives. NULL + err on failure
 * (cb is then never called). */
struct fpeek *fpeek_start(struct loop *loop, struct envd_client *c, const char *path,
                          const char *tmpdir, size_t max, fpeek_cb cb, void *ud, struct error *err);
/* Abandon a read before its answer (cb is not called). NULL is fine. */
void fpeek_cancel(struct fpeek *p);

#endif
