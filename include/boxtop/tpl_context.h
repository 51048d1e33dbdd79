/* tpl_context.h - what a COPY step uploads: the files its source names in the build context,
 * as a gzip tar (entries relative to the context directory, like the SDK's node-tar call)
 * and the step's filesHash (SHA-256 of "COPY src dest", then per path sorted: relative path,
 * mode and size as decimal text, and the file's bytes or the link's target — the SDK's
 * calculateFilesHash recipe; the server treats it as an opaque cache key).
 *
 * src is relative to the context; a trailing "*" component matches names in a directory
 * (fnmatch). Symlinks are stored as links, never followed. Refused, naming the path: absolute
 * sources and ones that leave the context, device files, FIFOs and sockets, names with control
 * characters, names or link targets too long for ustar, more than TPL_CONTEXT_MAX_BYTES. */
#ifndef BOXTOP_TPL_CONTEXT_H
#define BOXTOP_TPL_CONTEXT_H

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define TPL_CONTEXT_MAX_BYTES (256u << 20)

int tpl_context_pack(const char *ctx_dir, const char *src, const char *dest, struct buf *tgz,
                     char hash[65], struct error *err);

#endif
