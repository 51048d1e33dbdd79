/* tpl_tar.h - checks a COPY step's uploaded archive before anything of it is unpacked.
 *
 * The archive comes from whoever holds the API key (node-tar's output from the SDK, or
 * anything else): gzip is sniffed by its 1f 8b magic (the SDK sends gzip by default, plain tar
 * with gzip:false). Refused, with the entry named: absolute names and ".." components, names
 * or link targets with control characters, device files and FIFOs, hard links that leave the
 * archive, entries reached through a symlink the archive made (the classic "link then write
 * through it" escape), bad checksums, more than TPL_TAR_MAX_BYTES unpacked. Symlinks
 * themselves may point anywhere: they are unpacked inside the build sandbox, whose root is
 * the sandbox's, never the host's. */
#ifndef BOXTOPD_TPL_TAR_H
#define BOXTOPD_TPL_TAR_H

#include <stddef.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define TPL_TAR_MAX_BYTES   (512u << 20)
#define TPL_TAR_MAX_ENTRIES 100000

/* On success out holds the plain (decompressed) tar. */
int tpl_tar_check(const void *data, size_t len, struct buf *out, struct error *err);

#endif
