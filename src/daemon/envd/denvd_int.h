/* denvd_int.h - internals shared by the envd service files (process, filesystem, watch,
 * files) and the glue that connects them to boxtopd's HTTP server and event loop.
 *
 * Layering: the service files never see the server (server.h). They talk to
 *   - denvd_fd_* / denvd_timer_*: fds and timers in the server's single loop (denvd_loop.c);
 *   - denvd_conn_*: one HTTP response being written (denvd_conn.c), with a backlog count so a
 *     producer can stop reading its source while the client is slow.
 * Every per-sandbox object hangs off struct denvd_sbx, and every sbx off struct envd, so a
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
#include "denvd.h"
#include "path.h"
#include "runtime/runtime.h"

struct denvd_fdw;
struct denvd_timer;
struct denvd_conn;
struct eproc;
struct ewatch;

/* Stop reading a source while a client has more than this queued. */
#define ENVD_BACKLOG_HIGH (1u << 20)
#define ENVD_BACKLOG_LOW  (256u << 10)

/* ---- loop plumbing (denvd_loop.c) ---- */
enum { ENVD_FD_READ = 1, ENVD_FD_WRITE = 2, ENVD_FD_HUP = 4 };
typedef void (*denvd_fd_cb)(void *arg, int fd, int what);
struct denvd_fdw *denvd_fd_watch(struct envd *e, int fd, denvd_fd_cb cb, void *arg);
void denvd_fd_want_write(struct denvd_fdw *w, bool on);
void denvd_fd_pause_read(struct denvd_fdw *w, bool paused);
/* Stop watching and close the fd. No callback runs afterwards. */
void denvd_fd_close(struct denvd_fdw *w);

typedef void (*denvd_timer_cb)(void *arg);
struct denvd_timer *denvd_timer_start(struct envd *e, int64_t ms, denvd_timer_cb cb, void *arg);
void denvd_timer_stop(struct denvd_timer *t); /* NULL is fine; not after it fired */

/* ---- response side (denvd_conn.c) ---- */
/* Queue bytes of the body (headers were sent when the stream was opened). */
int denvd_conn_write(struct denvd_conn *c, const void *p, size_t n);
/* No more body: finish after the queue drains. */
void denvd_conn_finish(struct denvd_conn *c);
/* Drop the connection without a proper end (a sandbox died). */
void denvd_conn_abort(struct denvd_conn *c);
size_t denvd_conn_backlog(const struct denvd_conn *c);
/* The owner of a streaming conn gets told when the client went away or drained. */
struct denvd_conn_owner {
    void (*gone)(void *arg);    /* client closed: forget c, it is freed after this */
    void (*drained)(void *arg); /* backlog fell below ENVD_BACKLOG_LOW */
    void *arg;
};
void denvd_conn_set_owner(struct denvd_conn *c, const struct denvd_conn_owner *o);

/* ---- per-sandbox state ---- */
struct denvd_sbx {
    struct denvd_sbx *next;
    struct envd *e;
    char id[128];
    struct rt_sandbox *rt;
    struct eproc *procs;
    struct ewatch *watchers;
    struct denvd_conn *files; /* /files uploads and downloads under way (denvd_http.c) */
    uint64_t op_seq;          /* envd's operation_id counter: one per Start/Connect, from 1 */
    uint64_t op_ceiling;      /* what the sandbox's directory says may be used (denvd_opseq.c) */
};
/* denvd_opseq.c: the counter from the sandbox's directory (a restarted boxtopd); ids up to
 * used are taken (adopted processes); the next id. */
void denvd_ops_load(struct denvd_sbx *s);
void denvd_ops_reserve(struct denvd_sbx *s, uint64_t used);
uint64_t denvd_ops_next(struct denvd_sbx *s);

/* One authenticated, routed request as the services see it. */
struct denvd_call {
    struct envd *e;
    struct denvd_sbx *sbx;
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
    struct denvd_sbx *sbxs;
    uint64_t watcher_seq;
};

/* File access as the sandbox user: fsuid/fsgid (and groups) of the user's mapped host ids
 * around each file operation, so the kernel applies the permissions the sandbox itself has.
 * boxtopd runs as root, and the sandbox root contains read-only views of host directories:
 * without this, envd (host root) could read e.g. the host's /etc/shadow through them. It also
 * makes created files belong to the user. No-op when boxtopd is not root. */
struct denvd_cred {
    bool active;
    uid_t fsuid;
    gid_t fsgid;
    int ngroups;
    gid_t groups[64];
};
void denvd_cred_enter(const struct denvd_call *c, struct denvd_cred *save);
void denvd_cred_leave(struct denvd_cred *save);
/* mkdir -p of abs like upstream envd (root in its VM): missing directories are created even
 * where the user may not write, confined to the sandbox root, owned by the user. */
int denvd_mkdir_p_priv(const struct denvd_call *c, const char *abs, int *created);

struct denvd_sbx *denvd_sbx_get(struct envd *e, const char *id, struct rt_sandbox *rt);
/* Name of a host uid/gid as the sandbox knows it ("user", "root", or the number). */
void denvd_owner_names(struct denvd_call *c, uid_t uid, gid_t gid, char *owner, size_t on,
                       char *group, size_t gn);

/* ---- results of a unary call ---- */
struct denvd_reply {
    enum connect_code code; /* CONNECT_OK or an error */
    char message[512];
    struct buf body; /* JSON message when OK */
};
int denvd_reply_error(struct denvd_reply *r, enum connect_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Serialize a response message into r->body and take ownership of msg. */
int denvd_reply_json(struct denvd_reply *r, cJSON *msg);

/* Append one stream frame with msg (takes ownership) to out. */
int denvd_frame_json(struct buf *out, cJSON *msg);

/* ---- services ---- */
/* process.Process */
/* StreamInput's start event: envd's getProcess on msg's "process" selector (0, or -1 + r). */
int denvd_process_lookup(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r);
int denvd_process_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                        struct denvd_reply *r);
/* Start/Connect: on success the stream owns conn and has written its first frame; on failure
 * r holds the error to send as an end-stream frame. */
int denvd_process_stream(struct denvd_call *c, const char *method, const cJSON *msg,
                         struct denvd_conn *conn, struct denvd_reply *r);
void denvd_process_exited(struct denvd_sbx *s, pid_t pid, int exit_code, int signo);
/* The processes a crashed boxtopd left in the sandbox (its init kept them): into the table,
 * once per denvd_sbx and boot. Returns how many, -1 when init could not say. */
int denvd_process_adopt(struct denvd_sbx *s);
/* The sandbox stopped (kill, pause without memory, boxtopd's stop): the process_end line of
 * each process still running, stamped now — the runtime's exit events die with its init. */
void denvd_process_sbx_stopped(struct denvd_sbx *s);
void denvd_process_sbx_free(struct denvd_sbx *s);
/* denvd_xfers.c: the /files requests under way per sandbox (add when one starts, remove when
 * it closes). cut: the sandbox goes away (kill, pause, stop): they end at once, as the edge
 * ends them when the VM is gone — an upload is answered 502 and its connection closed (the
 * rest of the body is not taken), a download is cut. */
struct denvd_conn;
void denvd_xfers_add(struct denvd_conn *c);
void denvd_xfers_remove(struct denvd_conn *c);
void denvd_xfers_cut(struct denvd_sbx *s);
void denvd_process_sbx_cut(struct denvd_sbx *s); /* streams only */

/* filesystem.Filesystem */
int denvd_fs_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                   struct denvd_reply *r);
int denvd_fs_stream(struct denvd_call *c, const char *method, const cJSON *msg,
                    struct denvd_conn *conn, struct denvd_reply *r);
int denvd_watch_unary(struct denvd_call *c, const char *method, const cJSON *msg,
                      struct denvd_reply *r);
/* msg's path field key resolved like envd (home-relative, "~"): 0, or -1 with r filled. */
int denvd_fs_path(struct denvd_call *c, const cJSON *msg, const char *key, char *out,
                  struct denvd_reply *r);
/* Remove (fs_remove.c): 0 when answered in r now; 1 when a child deletes a big tree and
 * done(ud, r) answers in the loop later - unless denvd_remove_forget(*job) came first (the
 * client went away; the deletion goes on). */
#define RM_HIDDEN_PREFIX RT_RM_HIDDEN_PREFIX /* a tree being deleted: never listed nor watched */
struct denvd_remove;
typedef void (*denvd_remove_done_fn)(void *ud, struct denvd_reply *r);
int denvd_fs_remove(struct denvd_call *c, const cJSON *msg, struct denvd_reply *r,
                    denvd_remove_done_fn done, void *ud, struct denvd_remove **job);
void denvd_remove_forget(struct denvd_remove *job);
/* The trees a boxtopd stopped midway did not finish deleting: deleted now (off the loop). */
void denvd_remove_sweep(struct denvd_sbx *s);
void denvd_watch_sbx_free(struct denvd_sbx *s);

/* errno → Connect code for file operations */
enum connect_code denvd_errno_code(int err);
/* errno as Go prints it ("no such file or directory"): envd's messages end in Go error chains
 * such as "lstat /x: no such file or directory". */
const char *denvd_go_errno(int err, char *buf, size_t n);

#endif
