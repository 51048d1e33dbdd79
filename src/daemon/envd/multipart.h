/* multipart.h - streaming multipart/form-data parser for envd's POST /files.
 *
 * Hand-written instead of lws_spa: lws_spa hands file data to its callback in small pieces
 * but needs the whole body to come through lws's own body path, which in lws 4.1.6 does not
 * de-chunk request bodies (libs-notes §4), and the SDK always sends chunked uploads. This
 * parser takes bytes as they arrive, in any split, and never buffers more than one header
 * block (bounded) plus one delimiter's worth of body bytes. */
#ifndef BOXTOPD_ENVD_MULTIPART_H
#define BOXTOPD_ENVD_MULTIPART_H

#include <stddef.h>

#include "boxtop/error.h"

#define MP_BOUNDARY_MAX 70
#define MP_HEADER_MAX   8192
#define MP_FIELD_MAX    4096

struct mp_part {
    char name[256];              /* form field name ("" when absent) */
    char filename[MP_FIELD_MAX]; /* filename parameter, "" when absent */
    int has_filename;
};

struct mp_callbacks {
    void *ud;
    /* Each returns 0 to go on, or a negative code to stop parsing (mp_feed returns it). */
    int (*part_begin)(void *ud, const struct mp_part *part);
    int (*part_data)(void *ud, const void *data, size_t len);
    int (*part_end)(void *ud);
};

enum mp_state {
    MP_PREAMBLE,
    MP_AFTER_DELIM, /* saw a delimiter: "--" ends, padding + CRLF starts headers */
    MP_AFTER_DASH,
    MP_AFTER_CR,
    MP_HEADERS,
    MP_BODY,
    MP_EPILOGUE,
    MP_FAILED,
};

struct mp_parser {
    struct mp_callbacks cb;
    enum mp_state state;
    char delim[MP_BOUNDARY_MAX + 5]; /* "\r\n--" + boundary */
    size_t dlen;
    size_t match; /* delimiter bytes matched so far (held back) */
    char hdr[MP_HEADER_MAX];
    size_t hlen;
    struct mp_part part;
};

/* Extract the boundary parameter of a Content-Type value into out. -1 + err when absent or
 * invalid (RFC 2046: 1..70 chars from the bchars set). */
int mp_boundary_from_content_type(const char *ctype, char *out, size_t n, struct error *err);

int mp_init(struct mp_parser *p, const char *boundary, const struct mp_callbacks *cb,
            struct error *err);
/* Feed the next bytes of the body. Returns 0, a callback's negative code, or -1 + err on
 * malformed input. */
int mp_feed(struct mp_parser *p, const void *data, size_t len, struct error *err);
/* The body ended: 0 when the closing delimiter was seen, else -1 + err (truncated). */
int mp_finish(struct mp_parser *p, struct error *err);

/* Parse one header line's parameter (e.g. name= / filename= of Content-Disposition).
 * Exposed for tests. Returns 1 found, 0 absent, -1 malformed. */
int mp_header_param(const char *value, const char *param, char *out, size_t n);

#endif
