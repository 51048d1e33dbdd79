/* base64.h - standard (padded) base64 as proto3 JSON and envd signatures use it. */
#ifndef BOXTOP_BASE64_H
#define BOXTOP_BASE64_H

#include <stddef.h>
#include "boxtop/buf.h"

int base64_encode(struct buf *out, const void *in, size_t len); /* appends, padded */
/* Appends decoded bytes; accepts padded or unpadded, std or url alphabet. -EINVAL on junk. */
int base64_decode(struct buf *out, const char *in, size_t len);
size_t base64_encoded_len(size_t n);

#endif
