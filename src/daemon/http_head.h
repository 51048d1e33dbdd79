/* http_head.h - strict parser for an HTTP/1.1 request head (request line and header fields).
 *
 * boxtopd reads its own requests (server.c): libwebsockets 4.1 ended the request line at a
 * decoded %0D/%0A, collapsed "//", and could not take large chunked bodies. This parser sees
 * the raw head and nothing else; the body framing is server.c's (chunked.h).
 *
 * Accepted (RFC 9112): optional leading empty lines; "METHOD SP origin-form SP HTTP/1.x" CRLF;
 * "name: value" CRLF fields (name = token, lowercased here; value trimmed of spaces and tabs);
 * an empty line. Refused with a status and a static reason: bare LF or CR, obsolete line
 * folding, spaces before the colon, controls in the target, anything but origin-form ("/…"),
 * malformed or NUL percent-escapes in the path (400), HTTP versions other than 1.0/1.1 (505).
 * A NUL byte inside a header value becomes 0x7f: no id, key or token holds it, so the value
 * stays invalid for every C caller instead of being cut short. The path is percent-decoded
 * (CR and LF included) with "." and ".." segments resolved; empty segments ("//") are kept,
 * so they match no route. The query stays raw (query.h decodes it). */
#ifndef BOXTOPD_HTTP_HEAD_H
#define BOXTOPD_HTTP_HEAD_H

#include <stddef.h>

#define HTTP_HEAD_MAX        32768 /* bytes of request head; beyond: 431 */
#define HTTP_HEAD_MAX_FIELDS 256

struct http_field {
    char *name; /* lowercase */
    char *value;
};

struct http_head {
    char method[16];
    char *path;  /* decoded, dot segments resolved */
    char *query; /* raw text after '?', "" when none */
    int minor;   /* HTTP/1.<minor>: 0 or 1 */
    struct http_field *fields;
    size_t n_fields;
};

/* Length of the head at the start of buf (through its empty line), 0 while incomplete. */
size_t http_head_end(const char *buf, size_t len);

/* Parse the head (len from http_head_end). Returns 0, or the HTTP status to refuse with and
 * *why a static message. h is always safe to free afterwards. */
int http_head_parse(struct http_head *h, const char *buf, size_t len, const char **why);
void http_head_free(struct http_head *h);

/* The first field named lname (lowercase), or NULL. */
const char *http_head_get(const struct http_head *h, const char *lname);
/* How many fields are named lname. */
size_t http_head_count(const struct http_head *h, const char *lname);

#endif
