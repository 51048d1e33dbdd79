/* connect.h - Connect RPC wire codec (JSON codec), shared by the client and boxtopd.
 *
 * There is no C library for the Connect protocol, so it is written here (design.md §4).
 * Pure code: no sockets, no curl, no globals. Covers
 *   - the 5-byte envelope: [flags u8][length u32 big-endian][payload];
 *   - an incremental decoder that yields the same frames for any split of the byte stream
 *     (HTTP chunks and curl callbacks never align with frames);
 *   - the end-stream frame (flag 0x02): {"error":{code,message,details},"metadata":{...}};
 *   - Connect error codes, their names, and the connect-go v1.18.1 code <-> HTTP status tables;
 *   - unary error bodies {"code":"not_found","message":"..."} in both directions.
 * proto3-JSON helpers (below) live in src/proto/connect_json.c. */
#ifndef BOXTOP_CONNECT_H
#define BOXTOP_CONNECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"

#define CONNECT_FLAG_COMPRESSED 0x01u
#define CONNECT_FLAG_END_STREAM 0x02u
#define CONNECT_PREFIX_LEN      5
/* Default guard against absurd lengths from a hostile peer (envd's biggest message is a
 * ListDir answer; a few MiB at most). */
#define CONNECT_MAX_MESSAGE_DEFAULT (16u * 1024u * 1024u)

/* Numeric values are the Connect/gRPC code numbers. */
enum connect_code {
    CONNECT_OK = 0,
    CONNECT_CANCELED = 1,
    CONNECT_UNKNOWN = 2,
    CONNECT_INVALID_ARGUMENT = 3,
    CONNECT_DEADLINE_EXCEEDED = 4,
    CONNECT_NOT_FOUND = 5,
    CONNECT_ALREADY_EXISTS = 6,
    CONNECT_PERMISSION_DENIED = 7,
    CONNECT_RESOURCE_EXHAUSTED = 8,
    CONNECT_FAILED_PRECONDITION = 9,
    CONNECT_ABORTED = 10,
    CONNECT_OUT_OF_RANGE = 11,
    CONNECT_UNIMPLEMENTED = 12,
    CONNECT_INTERNAL = 13,
    CONNECT_UNAVAILABLE = 14,
    CONNECT_DATA_LOSS = 15,
    CONNECT_UNAUTHENTICATED = 16,
};

/* "not_found" etc.; "ok" for CONNECT_OK; NULL for values outside the enum. */
const char *connect_code_name(enum connect_code code);
/* Name -> code; -1 when the name is not a Connect code. */
int connect_code_from_name(const char *name, enum connect_code *out);
/* HTTP status a server answers a unary error with (connect-go v1.18.1). */
int connect_code_http_status(enum connect_code code);
/* Code a client assumes when an error body carries no Connect code (connect-go/connect-es). */
enum connect_code connect_code_from_http_status(long status);
/* How callers branch on it (CLI exit codes). */
enum error_kind connect_code_error_kind(enum connect_code code);

/* A Connect error as it travels in end-stream frames and unary error bodies. */
struct connect_error {
    enum connect_code code;
    char *message;  /* malloc'd, NULL when absent; raw peer text: sanitize before display */
    cJSON *details; /* array as received, or NULL */
};
void connect_error_free(struct connect_error *ce);
/* Fill err from ce: kind from the code, code number, message "<code>: <message>" passed
 * through the display sanitizer (the peer is not trusted). */
int connect_error_to_error(const struct connect_error *ce, struct error *err);

/* Parsed end-stream payload. */
struct connect_end {
    bool has_error;
    struct connect_error error;
    cJSON *metadata; /* object of arrays of strings (trailers), or NULL */
};
void connect_end_free(struct connect_end *end);
/* Parse an end-stream payload ("{}" on success). Hostile input gives -1 + ERROR_PROTOCOL. */
int connect_end_parse(const char *payload, size_t len, struct connect_end *out, struct error *err);

/* Parse a unary error response (status >= 300). The body's string "code" wins; a body that is
 * not a Connect error (proxy JSON {"code":502,...}, text, empty) maps from the HTTP status,
 * keeping a string "message" when there is one. Never fails; out must be freed. */
void connect_error_from_unary(long status, const char *body, size_t len, struct connect_error *out);

/* ---- encoding (client requests, server responses) ---- */

/* Append one envelope. -EINVAL when len does not fit in 32 bits, -ENOMEM. */
int connect_envelope_append(struct buf *out, unsigned flags, const void *payload, size_t len);
/* Append a JSON error object {"code":..,"message":..} (message omitted when NULL/empty). */
int connect_error_json_append(struct buf *out, enum connect_code code, const char *message);
/* Append a whole end-stream frame: "{}" when code is CONNECT_OK, else the error object;
 * metadata (object of string arrays) is added when non-NULL and non-empty. */
int connect_end_stream_append(struct buf *out, enum connect_code code, const char *message,
                              const cJSON *metadata);

/* ---- incremental decoding ---- */

struct connect_frame {
    unsigned flags;
    const char *data; /* payload, valid only during the callback */
    size_t len;
    const struct connect_end *end; /* parsed, when flags & CONNECT_FLAG_END_STREAM */
};

/* Return 0 to go on, < 0 to stop decoding (the value is returned by connect_decoder_feed). */
typedef int (*connect_frame_cb)(const struct connect_frame *f, void *ud, struct error *err);

struct connect_decoder {
    size_t max_message;
    unsigned char prefix[CONNECT_PREFIX_LEN];
    size_t prefix_len;
    uint32_t need;      /* payload length of the frame being read */
    struct buf payload; /* partial payload when a frame spans feeds */
    bool ended;         /* end-stream frame seen */
    int failed;         /* sticky error code (< 0) */
    uint64_t frames;    /* frames delivered */
};

void connect_decoder_init(struct connect_decoder *d, size_t max_message); /* 0 = default */
void connect_decoder_free(struct connect_decoder *d);
/* Feed bytes; calls cb for every complete frame. After an error every call fails again. */
int connect_decoder_feed(struct connect_decoder *d, const void *data, size_t len,
                         connect_frame_cb cb, void *ud, struct error *err);
/* The peer closed the stream: error when a frame is cut short or no end-stream came. */
int connect_decoder_finish(struct connect_decoder *d, struct error *err);

/* ---- proto3 JSON (the rules of connect-rpc.md §9) ----
 * Writers omit default values (0, false, "", empty bytes, enum 0) unless `always` is set,
 * which is how proto3 `optional` fields with presence are written. 64-bit integers are
 * strings, bytes are padded standard base64, enums are names. Readers accept what protojson
 * accepts: numbers or strings for integers, names or numbers for enums, std or URL base64
 * with or without padding; an absent field reads as its default. Readers return -1 and fill
 * err (ERROR_PROTOCOL, naming path.key) on a wrong type or out-of-range value. */
struct pjson_enum {
    const char *name;
    int value;
};
/* Tables end with {NULL, 0}. */
const char *pjson_enum_name(const struct pjson_enum *tab, int value);
int pjson_enum_value(const struct pjson_enum *tab, const cJSON *item, int *out);

int pjson_add_string(cJSON *obj, const char *key, const char *s, bool always);
int pjson_add_bool(cJSON *obj, const char *key, bool v, bool always);
int pjson_add_uint32(cJSON *obj, const char *key, uint32_t v, bool always);
int pjson_add_int32(cJSON *obj, const char *key, int32_t v, bool always);
int pjson_add_int64(cJSON *obj, const char *key, int64_t v, bool always);
int pjson_add_bytes(cJSON *obj, const char *key, const void *data, size_t len, bool always);
int pjson_add_enum(cJSON *obj, const char *key, const struct pjson_enum *tab, int value,
                   bool always);

int pjson_get_string(const cJSON *obj, const char *path, const char *key, const char **out,
                     struct error *err); /* NULL when absent */
int pjson_get_bool(const cJSON *obj, const char *path, const char *key, bool *out,
                   struct error *err);
int pjson_get_uint32(const cJSON *obj, const char *path, const char *key, uint32_t *out,
                     struct error *err);
int pjson_get_int32(const cJSON *obj, const char *path, const char *key, int32_t *out,
                    struct error *err);
int pjson_get_int64(const cJSON *obj, const char *path, const char *key, int64_t *out,
                    struct error *err);
/* Appends the decoded bytes to out. */
int pjson_get_bytes(const cJSON *obj, const char *path, const char *key, struct buf *out,
                    struct error *err);
int pjson_get_enum(const cJSON *obj, const char *path, const char *key,
                   const struct pjson_enum *tab, int *out, struct error *err);
/* Object member (NULL when absent or null); error when present and not an object. */
int pjson_get_object(const cJSON *obj, const char *path, const char *key, const cJSON **out,
                     struct error *err);
/* Serialize without whitespace into out (appends). */
int pjson_print(struct buf *out, const cJSON *doc);

#endif
