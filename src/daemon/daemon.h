/* daemon.h - struct daemon: everything boxtopd owns, passed explicitly (no globals).
 *
 * How the envd module plugs in (src/daemon/envd, built into the same program):
 *   - its sources are added to boxtopd with `src_boxtopd_SOURCES += ...` in
 *     src/daemon/envd/local.mk;
 *   - it defines   int denvd_setup(struct daemon *d, struct error *err);
 *     daemon_main.c calls it once after the server and runtime exist and before the loop
 *     runs. There it installs its handler on SERVER_VHOST_ENVD (server_set_fallback) and sets
 *     d->denvd_ops so that it hears about sandboxes and processes.
 *   - sandboxes: sbx_find(d, id) (sandbox.h) gives a struct sbx with its envd access token,
 *     env vars, state and the runtime handle (s->rt, NULL while not booted); d->rt is the
 *     runtime. sbx_log() adds a line to the sandbox's logs (served by the logs endpoints).
 *   - ENVD_VERSION below is what create/connect report as envdVersion; the SDK enables
 *     features by it (connect-rpc.md §15). */
#ifndef BOXTOPD_DAEMON_H
#define BOXTOPD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "boxtop/error.h"
#include "auth.h"
#include "ratelimit.h"
#include "spawns.h"

#define BOXTOPD_VERSION "0.1.0"
#define ENVD_VERSION    "0.6.13"
#define TEAM_ID         "local" /* one team per state dir */

struct log;
struct rt;
struct rt_sandbox;
struct server;
struct server_fd;
struct server_timer;
struct sbx;
struct team_metrics;
struct events;
struct sbx_archive;
struct snapshots;
struct volumes;
struct secret_store;
struct webhooks;

/* Hooks the envd module sets in denvd_setup (all optional). */
struct denvd_ops {
    void *ud;
    /* A process started with rt_spawn ended (forwarded from the runtime). */
    void (*proc_exited)(void *ud, struct sbx *s, pid_t pid, int exit_code, int signo);
    /* The sandbox stops running (killed, paused, timed out, init died, shutdown): cut its
     * streams. processes_survive: true for a pause that freezes the processes (connect
     * thaws them, so keep the process table); false when they are gone. s stays valid during
     * the call only when it is being killed. */
    /* sandbox_ends: killed or its init died — its processes' ends are not logged then, as
     * killing upstream's VM logs no process_end (the log's readers say "ended with the
     * sandbox"); a pause or boxtopd's own stop, after which the sandbox lives on, logs them. */
    void (*sandbox_stopping)(void *ud, struct sbx *s, bool processes_survive, bool sandbox_ends);
    /* boxtopd is shutting down: free everything. */
    void (*shutdown)(void *ud);
};

struct daemon_options {
    const char *state_dir;
    char api_host[64];
    int api_port;
    char envd_host[64];
    int envd_port;
    int max_sandboxes;       /* concurrent running sandboxes, default 20 */
    int create_rate_per_min; /* creation rate limit (burst = one minute's worth), default 120 */
    bool foreground;
    /* The base image (runtime.h struct rt_base_opts): --base, --base-suite ... */
    bool base_host, rebuild_base;
    const char *base_suite, *base_mirror, *base_packages, *base_rootfs;
    int ready_timeout_s; /* create waits this long for a template's ready command */
};

struct fdwatch {
    int fd;
    struct server_fd *w;
};

struct daemon {
    struct daemon_options opt;
    char api_key[AUTH_KEY_LEN + 1];
    struct log *log;
    struct server *srv;
    struct rt *rt;
    struct rlimit nofile;        /* the open files limit boxtopd started with: its sandboxes' */
    char isolation_missing[768]; /* "" when complete */

    struct sbx **sbx; /* every known sandbox (running or paused) */
    size_t n_sbx, cap_sbx;
    struct spawns spawns; /* templates' spawnCount / lastSpawnedAt, kept on disk */

    struct team_metrics *team;
    struct events *events;
    struct limits limits;
    int creates_admitted; /* creates let in before their copy (sbx_create_admit), not made yet */
    struct sbx_archive *archive; /* metrics and logs of killed sandboxes */
    size_t n_archive;
    struct server_timer *sample_timer;

    struct fdwatch *fds; /* fds the runtime asked us to watch */
    size_t n_fds, cap_fds;

    struct snapshots *snaps;      /* snapshot.h */
    struct volumes *vols;         /* volume.h */
    void *dapi_state;             /* api/dapi_routes.c */
    struct secret_store *secrets; /* api/secret_store.h; NULL when its file was unreadable */
    struct webhooks *webhooks;    /* webhooks.h */
    struct denvd_ops denvd_ops;
    struct tpls *tpls; /* tpl.h: templates built here */
    void *tpl_jobs;    /* tpl_build.c: builds in progress */
    /* tpl_build.c: a process of a build sandbox (one with no struct sbx) ended */
    void (*tpl_proc_exited)(struct daemon *d, struct rt_sandbox *sb, pid_t pid, int code,
                            int signo);
    bool shutting_down;
};

/* src/daemon/envd/denvd_setup.c: serve envd on SERVER_VHOST_ENVD (see the top of this file). */
int denvd_setup(struct daemon *d, struct error *err);

#endif
