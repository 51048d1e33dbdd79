/* sandbox.h - boxtopd's sandbox manager: records, lifecycle, TTL, metrics sampling.
 *
 * A struct sbx is one sandbox E2B clients know about, running or paused. Its record (what
 * the API returns, plus the envd token) is persisted atomically in DIR/records/<id>.json on
 * every change; the runtime (runtime.h) owns its processes and files. States:
 *   running  - init booted (or adopted after a crash), TTL timer armed at end_at
 *   paused   - processes frozen (pause), or stopped with files kept (boxtopd shutdown, or
 *              init died); connect/resume thaws or boots a fresh init on the same files.
 * Killed sandboxes are destroyed and forgotten (their metrics/logs/events stay in memory).
 *
 * For the envd module: sbx_find() by id, s->envd_token, s->env_vars, s->rt (NULL while no
 * init runs), sbx_is_running(), sbx_log() to add to the sandbox's logs. */
#ifndef BOXTOPD_SANDBOX_H
#define BOXTOPD_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "boxtop/error.h"
#include "boxtop/log.h"
#include "daemon.h"
#include "ids.h"

struct cJSON;
struct metrics_ring;
struct sblog;

enum sbx_state { SBX_RUNNING, SBX_PAUSED };

struct sbx {
    struct daemon *d;
    char id[IDS_SANDBOX_MAX + 1];
    char template_id[64]; /* "base" template's id */
    char alias[64];       /* "base" */
    char envd_token[65];  /* envdAccessToken: 64 hex */
    char execution_id[37];
    int64_t started_at_ms;   /* creation */
    int64_t end_at_ms;       /* TTL expiry while running */
    int64_t paused_at_ms;    /* when paused (endAt of a paused sandbox) */
    int64_t exec_started_ms; /* this execution (create or resume) */
    int cpu_count, memory_mb, disk_mb;
    bool auto_pause;         /* lifecycle.onTimeout = pause */
    bool auto_pause_fs_only; /* ... without memory: stop the processes, keep the files */
    bool auto_resume;
    bool secure;                 /* envd requires X-Access-Token (always for v2 creates) */
    bool allow_internet;         /* false: its own network ns, only lo (rt_spec.no_net) */
    struct cJSON *metadata;      /* object of strings, or NULL */
    struct cJSON *env_vars;      /* object of strings, or NULL */
    struct cJSON *volume_mounts; /* [{"name","path"}], or NULL */
    enum sbx_state state;
    bool frozen;           /* paused with processes kept (freezer) */
    struct rt_sandbox *rt; /* runtime handle; NULL when no files are loaded */

    struct server_timer *ttl;
    struct metrics_ring *metrics; /* shared with the metrics archive after kill */
    struct sblog *logs;
    size_t log_bytes; /* in DIR/logs/<id>.jsonl (compacted past a bound: sandbox.c) */
    int64_t prev_cpu_ns;
    int64_t prev_sample_ms;
    void *denvd_ud; /* free for the envd module */
};

struct sbx_create_opts {
    const char *template_ref; /* "base" */
    /* from a snapshot or a fork: the template shown, and the writable layer to start with */
    const char *template_id, *alias; /* NULL: "base" */
    const char *seed_dir;
    uint32_t seed_idbase;
    bool seed_move;           /* seed_dir is a private copy: taken whole (rt_spec.seed_move) */
    const char *lowers;       /* read-only layers under it (a template's), or NULL */
    int cpu_count, memory_mb; /* a template's size; 0 = base's */
    bool auto_pause_fs_only;
    struct cJSON *volume_mounts; /* taken: [{"name","path"}] already checked */
    int64_t timeout_s;
    bool auto_pause;
    bool auto_resume;
    bool secure;
    bool allow_internet;
    struct cJSON *metadata; /* taken */
    struct cJSON *env_vars; /* taken */
    bool admitted;          /* sbx_create_admit let it in: its slot and rate token are taken */
};

/* Startup: runtime, restore records, sampling timer. Shutdown: stop processes, keep files. */
int sbx_manager_start(struct daemon *d, struct error *err);
void sbx_manager_stop(struct daemon *d);
void sbx_manager_free(struct daemon *d);

struct sbx *sbx_find(struct daemon *d, const char *id);
bool sbx_is_running(const struct sbx *s);
size_t sbx_count_running(const struct daemon *d);

/* A create that copies files first (from a snapshot) is let in before the copy: the
 * concurrency limit counts it as running and a rate token is taken. 0, or -1 with err
 * (ERROR_RATE_LIMIT). Every admit ends in sbx_create with o->admitted or in
 * sbx_create_unadmit (the copy failed, the client left). */
int sbx_create_admit(struct daemon *d, struct error *err);
void sbx_create_unadmit(struct daemon *d);
/* err->kind: ERROR_RATE_LIMIT (429), ERROR_NOT_FOUND (unknown template), ERROR_GENERIC. */
int sbx_create(struct daemon *d, const struct sbx_create_opts *o, struct sbx **out,
               struct error *err);
/* kill_reason: "request", "timeout", ... (lifecycle event) */
int sbx_kill(struct daemon *d, struct sbx *s, const char *reason, struct error *err);
/* ERROR_CONFLICT when already paused. memory: freeze the processes (resume continues them);
 * false: stop them and keep the files (resume cold-boots: init and start command again). */
int sbx_pause(struct daemon *d, struct sbx *s, bool memory, struct error *err);
/* Paused -> running with end_at = now + timeout_s. memory false: cold-boot even a sandbox
 * paused with its memory. */
int sbx_resume(struct daemon *d, struct sbx *s, int64_t timeout_s, bool memory, struct error *err);
/* Set end_at (ms) and re-arm the TTL timer; records an `updated` event. */
void sbx_set_end(struct daemon *d, struct sbx *s, int64_t end_ms);
int sbx_save(struct daemon *d, struct sbx *s);

/* Add a line to the sandbox's logs (also used by envd). fields: NULL or a cJSON object of
 * strings/numbers/bools (copied). */
/* Metrics ring / logs of a sandbox, also after it was killed (NULL when unknown). */
const struct metrics_ring *sbx_metrics_of(struct daemon *d, const char *id);
const struct sblog *sbx_logs_of(struct daemon *d, const char *id);

/* envd's line (raw: see sblog_add_raw), stamped now to the ns; not echoed to boxtopd's own
 * log: it may carry a command's output. */
void sbx_log_raw(struct sbx *s, enum log_level level, const char *msg, const struct cJSON *raw);
void sbx_log(struct sbx *s, enum log_level level, const struct cJSON *fields, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
