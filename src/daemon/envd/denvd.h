/* denvd.h - envd for every sandbox, served by boxtopd on the envd port.
 *
 * boxtopd hands every request on the envd listener to envd; envd routes it by the
 * E2b-Sandbox-Id header (or, for signed /files URLs, by the sandbox whose token made the
 * signature), checks X-Access-Token, and serves process.Process and filesystem.Filesystem
 * over Connect (JSON codec) plus /files, /health, /metrics and /envs. What envd needs from
 * the daemon is in struct envd_host; denvd_setup.c wires it into boxtopd (daemon.h). */
#ifndef BOXTOPD_ENVD_H
#define BOXTOPD_ENVD_H

#include <stdbool.h>
#include <sys/types.h>
#include <cJSON.h>

#include "boxtop/error.h"

struct envd;
struct rt;
struct rt_sandbox;

/* What envd may know about one sandbox (valid until the callback returns). */
struct denvd_sandbox_info {
    const char *id;
    const char *token;       /* envdAccessToken; "" or NULL = unsecured sandbox */
    struct rt_sandbox *rt;   /* the running sandbox */
    const char *template_id; /* may be NULL */
    const cJSON *env_vars;   /* object of string values from create, or NULL */
    int cpu_count;
    double cpu_used_pct;
    const char *default_user;    /* a template's USER, or NULL ("user") */
    const char *default_workdir; /* a template's WORKDIR, or NULL (the user's home) */
    const cJSON *volume_mounts;  /* [{"name","path"}] or NULL: NFS mounts in E2B's sandboxes */
};

struct server;

struct envd_host {
    void *ud;
    struct rt *rt;
    struct server *srv; /* fds, timers and requests live in this server's loop */
    /* 0 and *out filled when id names a running sandbox; -1 when unknown, killed or paused. */
    int (*sandbox_get)(void *ud, const char *id, struct denvd_sandbox_info *out);
    /* Call cb for every running sandbox until it returns nonzero. */
    void (*sandbox_foreach)(void *ud, int (*cb)(void *arg, const struct denvd_sandbox_info *sb),
                            void *arg);
    /* envd's own log line for sandbox id (level: enum log_level; raw: the stored line's keys
     * besides level and message, see proclog.h), stamped now. NULL: not logged. */
    void (*sandbox_log)(void *ud, const char *id, int level, const char *msg, const cJSON *raw);
};

int denvd_new(struct envd **out, const struct envd_host *host, struct error *err);
void denvd_free(struct envd *e);
/* At start: take back the processes a crashed boxtopd left in the running sandboxes (their
 * init kept them), so their output is read and logged and their exits are seen at once,
 * not only when a client first calls into the sandbox. */
void denvd_adopt_running(struct envd *e);
void denvd_on_proc_exited(struct envd *e, struct rt_sandbox *sb, pid_t pid, int exit_code,
                          int signo);
/* The sandbox's processes are gone (killed, init died, paused without memory, boxtopd
 * stopping): cut its streams, forget its processes; log_ends: log each one's end first (not
 * when the sandbox itself ends: killing upstream's VM logs no process_end). */
void denvd_on_sandbox_gone(struct envd *e, const char *id, bool log_ends);
/* The sandbox was frozen (pause): cut its streams, keep its processes for after resume. */
void denvd_on_sandbox_paused(struct envd *e, const char *id);

struct server_request;
/* The envd vhost's request handler (server_route handler; ud = struct envd). */
int denvd_http_handle(struct server_request *req, void *ud);

#endif
