/* envd.h - client of one sandbox's envd: where it is, what to send, what comes back.
 *
 * Three layers, each usable on its own:
 *   1. envd_target: base URL + credentials (connect-rpc.md §1, §4);
 *   2. pure request building (envd_wire_build, envd_msg_*) and response parsing
 *      (envd_proc_event_parse, envd_entry_parse, envd_fs_event_parse) - unit-tested against the
 *      SDK transcripts, no network;
 *   3. asynchronous calls over include/boxtop/http.h: unary RPCs and server streams whose
 *      envelopes go through the incremental Connect decoder (connect.h).
 * Access tokens only ever go into request headers; they never reach an error message. */
#ifndef BOXTOP_ENVD_H
#define BOXTOP_ENVD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/connect.h"
#include "boxtop/error.h"

#define ENVD_PORT              49983
#define ENVD_KEEPALIVE_SECONDS 50 /* Keepalive-Ping-Interval on streams (must be > 0) */
#define ENVD_UNARY_TIMEOUT_MS  60000
/* A stream that delivers nothing (not even a keepalive) for this long is dead. */
#define ENVD_STREAM_IDLE_MS (3 * ENVD_KEEPALIVE_SECONDS * 1000)
/* Answers of unary calls after decoding (gzip): a directory listing of unbounded depth may be
 * big, nothing else is. JSON_MAX_VALUES bounds what the parser builds from them. */
#define ENVD_UNARY_BODY_MAX   ((size_t)4 * 1024 * 1024)
#define ENVD_LISTDIR_BODY_MAX ((size_t)16 * 1024 * 1024)
/* A /files transfer that moves no byte for this long fails (BOXTOP_STALL_S overrides it). */
#define ENVD_FILES_STALL_MS 60000L

struct http;
struct http_request;

/* ---- 1. where envd is ---- */

struct envd_target {
    char *base_url; /* no trailing slash */
    char *sandbox_id;
    char *access_token; /* NULL for an unsecured sandbox */
    char *user;         /* Linux user (Authorization: Basic), NULL = envd's default */
    char *user_agent;
};

/* Base URL: sandbox_url (E2B_SANDBOX_URL) when set and non-empty; else, with debug
 * (E2B_DEBUG), http://localhost:49983; else https://49983-<id>.<domain> (domain NULL or ""
 * means e2b.app). The id must match ^[a-z0-9]+$ and the domain must be a plain host name. */
int envd_target_init(struct envd_target *t, const char *sandbox_id, const char *sandbox_url,
                     const char *domain, bool debug, const char *access_token, const char *user,
                     struct error *err);
void envd_target_free(struct envd_target *t);
/* A restarted local boxtopd serves envd on new ports: point t at the backend's sandbox URL
 * now (a valid E2B_SANDBOX_URL-style base; NULL, "" or invalid leave t as it is). Returns 1
 * when the URL changed. */
int envd_target_follow(struct envd_target *t, const char *sandbox_url);

/* ---- 2. requests ---- */

enum envd_call {
    ENVD_CALL_UNARY = 0,  /* application/json body */
    ENVD_CALL_STREAM = 1, /* application/connect+json, one enveloped message */
};

#define ENVD_WIRE_MAX_HEADERS 12

/* One request ready for http_start. */
struct envd_wire {
    char *url;
    char *headers[ENVD_WIRE_MAX_HEADERS + 1]; /* "Name: value", NULL-terminated */
    struct buf body;
};

/* Build POST <base>/<method> (method like "process.Process/Start") with the headers the SDK
 * sends: Connect-Protocol-Version, Connect-Timeout-Ms (streams, only when timeout_ms > 0),
 * Content-Type, E2b-Sandbox-Id/-Port, Keepalive-Ping-Interval (streams), User-Agent,
 * X-Access-Token, and Authorization: Basic base64("<user>:") when with_user and a user is set. */
int envd_wire_build(const struct envd_target *t, const char *method, enum envd_call kind,
                    bool with_user, const cJSON *msg, long timeout_ms, struct envd_wire *w,
                    struct error *err);
void envd_wire_free(struct envd_wire *w);
/* Header list entry for name (case-insensitive), value part, or NULL. */
const char *envd_wire_header(const struct envd_wire *w, const char *name);

struct envd_start_opts {
    const char *cmd;
    const char *const *args; /* NULL-terminated, may be NULL */
    const char *const *envs; /* "KEY=VALUE", NULL-terminated, may be NULL; later wins */
    const char *cwd;         /* optional */
    bool pty;                /* PTY mode with cols x rows */
    uint16_t cols, rows;
    int stdin_mode;  /* -1 omit, 0 "stdin":false, 1 "stdin":true (non-PTY only) */
    const char *tag; /* optional */
};

/* Messages (caller owns the result; NULL on bad input or ENOMEM). */
cJSON *envd_msg_start(const struct envd_start_opts *o);
cJSON *envd_msg_process(uint32_t pid); /* {"process":{"pid":N}}: Connect, CloseStdin */
cJSON *envd_msg_send_input(uint32_t pid, bool pty, const void *data, size_t len);
cJSON *envd_msg_update(uint32_t pid, uint16_t cols, uint16_t rows);
cJSON *envd_msg_signal(uint32_t pid, int signo); /* SIGTERM or SIGKILL only */
cJSON *envd_msg_path(const char *path);          /* Stat, MakeDir, Remove */
cJSON *envd_msg_list_dir(const char *path, uint32_t depth);
cJSON *envd_msg_move(const char *source, const char *destination);
cJSON *envd_msg_watch_dir(const char *path, bool recursive, bool include_entry);

/* ---- 2'. responses ---- */

enum envd_proc_kind {
    ENVD_PROC_START,
    ENVD_PROC_DATA,
    ENVD_PROC_END,
    ENVD_PROC_KEEPALIVE,
};

enum envd_output { ENVD_OUT_STDOUT, ENVD_OUT_STDERR, ENVD_OUT_PTY };

struct envd_proc_event {
    enum envd_proc_kind kind;
    uint32_t pid;            /* START */
    enum envd_output output; /* DATA */
    const char *data;        /* DATA: decoded bytes (valid until the next parse/free) */
    size_t len;
    int32_t exit_code;  /* END: 0 when omitted; -1 when killed */
    bool exited;        /* END: true iff the process exited normally */
    const char *status; /* END: "exit status 1", "signal: killed", or NULL */
    const char *error;  /* END: optional */
};

/* Owns what a parsed event points into. */
struct envd_parse {
    cJSON *root;
    struct buf bytes;
};
void envd_parse_free(struct envd_parse *p);

/* Parse one Start/Connect stream message {"event":{...}}. Unknown event kinds are errors. */
int envd_proc_event_parse(const char *json, size_t len, struct envd_proc_event *ev,
                          struct envd_parse *keep, struct error *err);
/* From the END fields: the exit code a shell reports (0..255; 128+n for signal n). */
int envd_proc_exit_status(const struct envd_proc_event *end);
/* The signal number behind the text after "signal: " in a Go ProcessState ("killed",
 * "aborted (core dumped)", "signal 34"); 0 when it names none. */
int envd_signal_number(const char *s);

enum envd_file_type {
    ENVD_FILE_UNSPECIFIED = 0,
    ENVD_FILE_FILE = 1,
    ENVD_FILE_DIRECTORY = 2,
    ENVD_FILE_SYMLINK = 3,
};

struct envd_entry {
    char *name;
    char *path;
    enum envd_file_type type;
    int64_t size;
    uint32_t mode; /* permission bits */
    char *permissions;
    char *owner;
    char *group;
    int64_t mtime_ms;     /* 0 when absent */
    char *symlink_target; /* NULL when absent */
};

struct envd_entries {
    struct envd_entry *v;
    size_t n;
};

int envd_entry_parse(const cJSON *o, const char *path, struct envd_entry *e, struct error *err);
void envd_entry_free(struct envd_entry *e);
/* {"entries":[...]} (ListDir) or {} when empty. */
int envd_entries_parse(const cJSON *resp, struct envd_entries *out, struct error *err);
void envd_entries_free(struct envd_entries *es);

/* {"entry":{...}}: Stat, MakeDir and Move responses. */
int envd_entry_response_parse(const cJSON *resp, struct envd_entry *e, struct error *err);

/* process.List: {"processes":[{"config":{cmd,args,envs,cwd},"pid":N,"tag":"..."}]} or {}. */
struct envd_process_info {
    uint32_t pid;
    char *tag; /* NULL when absent */
    char *cmd;
    char **args; /* NULL-terminated (never NULL itself) */
    char *cwd;   /* NULL when absent */
};
struct envd_processes {
    struct envd_process_info *v;
    size_t n;
};
int envd_processes_parse(const cJSON *resp, struct envd_processes *out, struct error *err);
void envd_processes_free(struct envd_processes *ps);

enum envd_fs_kind { ENVD_FS_START, ENVD_FS_EVENT, ENVD_FS_KEEPALIVE };
enum envd_fs_op {
    ENVD_FS_OP_UNSPECIFIED = 0,
    ENVD_FS_OP_CREATE = 1,
    ENVD_FS_OP_WRITE = 2,
    ENVD_FS_OP_REMOVE = 3,
    ENVD_FS_OP_RENAME = 4,
    ENVD_FS_OP_CHMOD = 5,
};
struct envd_fs_event {
    enum envd_fs_kind kind;
    const char *name; /* relative to the watched dir (valid until the parse is freed) */
    enum envd_fs_op op;
};
int envd_fs_event_parse(const char *json, size_t len, struct envd_fs_event *ev,
                        struct envd_parse *keep, struct error *err);

/* ---- 3. calls ---- */

struct envd_client {
    struct http *http; /* not owned */
    struct envd_target target;
    long stream_idle_ms;   /* watchdog for streams; 0 = ENVD_STREAM_IDLE_MS */
    long files_stall_ms;   /* /files: no byte for this long fails; 0 = ENVD_FILES_STALL_MS */
    bool multipart_upload; /* envd < 0.5.7: /files uploads as multipart/form-data */
};

/* "0.5.7" >= maj.min.patch; an absent or unparsable version counts as new enough. */
bool envd_version_at_least(const char *version, int maj, int min, int patch);

/* Set up c for one sandbox (envd_target_init) and register the token as a secret with h so
 * that http never prints it. */
int envd_client_init(struct envd_client *c, struct http *h, const char *sandbox_id,
                     const char *sandbox_url, const char *domain, bool debug,
                     const char *access_token, const char *user, struct error *err);
void envd_client_free(struct envd_client *c);

struct api;
struct sandbox;
/* Blocking (runs the loop) platform API connect for sandbox id: fills out (sandbox_free it)
 * with envd_access_token, domain and envd_version. For the command line. */
int envd_sandbox_lookup(struct api *a, const char *id, struct sandbox *out, struct error *err);

/* resp is the parsed JSON response (NULL on error); err NULL on success. */
typedef void (*envd_unary_cb)(const cJSON *resp, const struct error *err, void *ud);
/* One stream message (the raw JSON payload). Return < 0 to cancel the stream with err. */
typedef int (*envd_msg_cb)(const char *json, size_t len, void *ud, struct error *err);
/* The stream ended: err NULL after a clean end-stream frame. Called exactly once unless the
 * stream was cancelled with envd_stream_cancel(); the stream is already freed when it runs,
 * so forget the handle there. */
typedef void (*envd_end_cb)(const struct error *err, void *ud);

/* Unary call; takes ownership of msg. Returns the http request or NULL + err. */
struct http_request *envd_unary(struct envd_client *c, const char *method, bool with_user,
                                cJSON *msg, envd_unary_cb cb, void *ud, struct error *err);

struct envd_stream;
/* Server stream; takes ownership of msg. timeout_ms 0 = no Connect-Timeout-Ms. */
struct envd_stream *envd_stream_open(struct envd_client *c, const char *method, bool with_user,
                                     cJSON *msg, long timeout_ms, envd_msg_cb on_msg,
                                     envd_end_cb on_end, void *ud, struct error *err);
/* Silent (no on_end); frees s. Safe from inside on_msg/on_event callbacks. */
void envd_stream_cancel(struct envd_stream *s);

/* Process streams with typed events. */
typedef int (*envd_proc_cb)(const struct envd_proc_event *ev, void *ud, struct error *err);
struct envd_stream *envd_process_start(struct envd_client *c, const struct envd_start_opts *o,
                                       envd_proc_cb on_event, envd_end_cb on_end, void *ud,
                                       struct error *err);
struct envd_stream *envd_process_connect(struct envd_client *c, uint32_t pid, envd_proc_cb on_event,
                                         envd_end_cb on_end, void *ud, struct error *err);
typedef int (*envd_fs_cb)(const struct envd_fs_event *ev, void *ud, struct error *err);
struct envd_stream *envd_fs_watch_dir(struct envd_client *c, const char *path, bool recursive,
                                      envd_fs_cb on_event, envd_end_cb on_end, void *ud,
                                      struct error *err);

/* Unary RPCs (thin wrappers over envd_unary). */
struct http_request *envd_process_send_input(struct envd_client *c, uint32_t pid, bool pty,
                                             const void *data, size_t len, envd_unary_cb cb,
                                             void *ud, struct error *err);
struct http_request *envd_process_update(struct envd_client *c, uint32_t pid, uint16_t cols,
                                         uint16_t rows, envd_unary_cb cb, void *ud,
                                         struct error *err);
struct http_request *envd_process_signal(struct envd_client *c, uint32_t pid, int signo,
                                         envd_unary_cb cb, void *ud, struct error *err);
struct http_request *envd_process_close_stdin(struct envd_client *c, uint32_t pid, envd_unary_cb cb,
                                              void *ud, struct error *err);
struct http_request *envd_process_list(struct envd_client *c, envd_unary_cb cb, void *ud,
                                       struct error *err);
struct http_request *envd_fs_stat(struct envd_client *c, const char *path, envd_unary_cb cb,
                                  void *ud, struct error *err);
struct http_request *envd_fs_list_dir(struct envd_client *c, const char *path, uint32_t depth,
                                      envd_unary_cb cb, void *ud, struct error *err);
struct http_request *envd_fs_make_dir(struct envd_client *c, const char *path, envd_unary_cb cb,
                                      void *ud, struct error *err);
struct http_request *envd_fs_move(struct envd_client *c, const char *source,
                                  const char *destination, envd_unary_cb cb, void *ud,
                                  struct error *err);
struct http_request *envd_fs_remove(struct envd_client *c, const char *path, envd_unary_cb cb,
                                    void *ud, struct error *err);

#endif
