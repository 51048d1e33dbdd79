/* envd_int.h - internals shared by the envd service files (process, filesystem, watch,
 * files) and the glue that connects them to boxtopd's HTTP server and event loop.
 *
 * Layering: the service files never see the server (server.h). They talk to
 *   - envd_fd_* / envd_timer_*: fds and timers in the server's single loop (envd_loop.c);
 *   - envd_conn_*: one HTTP response being written (envd_conn.c), with a backlog count so a
 *     producer can stop reading its source while the client is slow.
 * Every per-sandbox object hangs off struct envd_sbx, and every sbx off struct envd, so a
 * sandbox that dies takes all its processes, watchers and streams with it. */
#ifndef BOXTOPD_ENVD_INT_H
#define BOXTOPD_ENVD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/connect.h"
#include "boxtop/error.h"
#include "envd.h"
#include "path.h"

struct envd_fdw;
struct envd_timer;
struct envd_conn;
struct eproc;
struct ewatch;

/* Stop reading a source while a client has more than this queued. */
#define ENVD_BACKLOG_HIGH (1u << 20)
#define ENVD_BACKLOG_LOW  (256u << 10)

/* ---- loop plumbing (envd_loop.c) ---- */
enum { ENVD_FD_READ = 1, ENVD_FD_WRITE = 2, ENVD_FD_HUP = 4 };
typedef void (*envd_fd_cb)(void *arg, int fd, int what);
struct envd_fdw *envd_fd_watch(struct envd *e, int fd, envd_fd_cb cb, void *arg);
void envd_fd_want_write(struct envd_fdw *w, bool on);
void envd_fd_pause_read(struct envd_fdw *w, bool paused);
/* Stop watching and close the fd. No callback runs afterwards. */
void envd_fd_close(struct envd_fdw *w);

typedef void (*envd_timer_cb)(void *arg);
struct envd_timer *envd_timer_start(struct envd *e, int64_t ms, envd_timer_cb cb, void *arg);
void envd_timer_stop(struct envd_timer *t); /* NULL is fine; not after it fired */

/* ---- response side (envd_conn.c) ---- */
/* Queue bytes of the body (headers were sent when the stream was opened). */
int envd_conn_write(struct envd_conn *c, const void *p, size_t n);
/* No more body: finish after the queue drains. */
void envd_conn_finish(struct envd_conn *c);
/* Drop the connection without a proper end (a sandbox died). */
void envd_conn_abort(struct envd_conn *c);
size_t envd_conn_backlog(const struct envd_conn *c);
/* The owner of a streaming conn gets told when the client went away or drained. */
struct envd_conn_owner {
    void (*gone)(void *arg);    /* client closed: forget c, it is freed after this */
    void (*drained)(void *arg); /* backlog fell below ENVD_BACKLOG_LOW */
    void *arg;
};
void envd_conn_set_owner(struct envd_conn *c, const struct envd_conn_owner *o);

/* ---- per-sandbox state ---- */
struct envd_sbx {
    struct envd_sbx *next;
    struct envd *e;
    char id[128];
    struct rt_sandbox *rt;
    struct eproc *procs;
    struct ewatch *watchers;
    uint64_t op_seq; /* envd's operation_id counter: one per Start/Connect, from 1 */
};

/* One authenticated, routed request as the services see it. */
struct envd_call {
    struct envd *e;
    struct envd_sbx *sbx;
    int root_fd;
    char user[32];
    uid_t uid;
    gid_t gid;
    char home[ENVD_PATH_MAX];
    bool own_root;      /* root_fd is the sandbox's own root (not plain mode's host "/") */
    int64_t timeout_ms; /* Connect-Timeout-Ms, -1 when absent */
    int keepalive_s;    /* Keepalive-Ping-Interval, default 90 */
};

struct envd {
    struct envd_host host;
    struct envd_sbx *sbxs;
    uint64_t watcher_seq;
};

/* File access as the sandbox user: fsuid/fsgid (and groups) of the user's mapped host ids
 * around each file operation, so the kernel applies the permissions the sandbox itself has.
 * boxtopd runs as root, and the sandbox root contains read-only views of host directories:
 * without this, envd (host root) could read e.g. the host's /etc/shadow through them. It also
 * makes created files belong to the user. No-op when boxtopd is not root. */
struct envd_cred {
    bool active;
    uid_t fsuid;
    gid_t fsgid;
    int ngroups;
    gid_t groups[64];
};
void envd_cred_enter(const struct envd_call *c, struct envd_cred *save);
void envd_cred_leave(struct envd_cred *save);
/* mkdir -p of abs like upstream envd (root in its VM): missing directories are created even
 * where the user may not write, confined to the sandbox root, owned by the user. */
int envd_mkdir_p_priv(const struct envd_call *c, const char *abs, int *created);

struct envd_sbx *envd_sbx_get(struct envd *e, const char *id, struct rt_sandbox *rt);
/* Name of a host uid/gid as the sandbox knows it ("user", "root", or the number). */
void envd_owner_names(struct envd_call *c, uid_t uid, gid_t gid, char *owner, size_t on,
                      char *group, size_t gn);

/* ---- results of a unary call ---- */
struct envd_reply {
    enum connect_code code; /* CONNECT_OK or an error */
    char message[512];
    struct buf body; /* JSON message when OK */
};
int envd_reply_error(struct envd_reply *r, enum connect_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Serialize a response message into r->body and take ownership of msg. */
int envd_reply_json(struct envd_reply *r, cJSON *msg);

/* Append one stream frame with msg (takes ownership) to out. */
int envd_frame_json(struct buf *out, cJSON *msg);

/* ---- services ---- */
/* process.Process */
int envd_process_unary(struct envd_call *c, const char *method, const cJSON *msg,
                       struct envd_reply *r);
/* Start/Connect: on success the stream owns conn and has written its first frame; on failure
 * r holds the error to send as an end-stream frame. */
int envd_process_stream(struct envd_call *c, const char *method, const cJSON *msg,
                        struct envd_conn *conn, struct envd_reply *r);
void envd_process_exited(struct envd_sbx *s, pid_t pid, int exit_code, int signo);
/* The processes a crashed boxtopd left in the sandbox (its init kept them): into the table,
 * once per envd_sbx and boot. Returns how many, -1 when init could not say. */
int envd_process_adopt(struct envd_sbx *s);
void envd_process_sbx_free(struct envd_sbx *s);
void envd_process_sbx_cut(struct envd_sbx *s); /* streams only */

/* filesystem.Filesystem */
int envd_fs_unary(struct envd_call *c, const char *method, const cJSON *msg, struct envd_reply *r);
int envd_fs_stream(struct envd_call *c, const char *method, const cJSON *msg,
                   struct envd_conn *conn, struct envd_reply *r);
int envd_watch_unary(struct envd_call *c, const char *method, const cJSON *msg,
                     struct envd_reply *r);
void envd_watch_sbx_free(struct envd_sbx *s);

/* errno → Connect code for file operations */
enum connect_code envd_errno_code(int err);

#endif
