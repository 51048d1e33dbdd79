/* sandbox.c - the sandbox manager: create/kill/pause/resume, TTL, restore, metrics sampling.
 *
 * Invariants: every change of a record is saved (store.h) before the API answers; a running
 * sandbox always has its TTL timer armed at end_at; s->rt is NULL only while a sandbox's files
 * could not be loaded. The runtime is only called from here. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/sha.h>

#include "boxtop/grow.h"
#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "api/dapi.h"
#include "daemon.h"
#include "events.h"
#include "fsutil.h"
#include "metrics_ring.h"
#include "runtime/runtime.h"
#include "sandbox.h"
#include "sblog.h"
#include "server.h"
#include "store.h"
#include "team_metrics.h"
#include "tpl.h"
#include "volume.h"

#define SAMPLE_MS      5000
#define ARCHIVE_MAX    64
#define BASE_CPU_COUNT 2
#define BASE_MEMORY_MB 512
#define BASE_DISK_MB   2048
#define BASE_PIDS_MAX  1024

struct sbx_archive {
    char id[IDS_SANDBOX_MAX + 1];
    struct metrics_ring *metrics;
    struct sblog *logs;
};

/* ------------------------------------------------------------------ small helpers */

bool sbx_is_running(const struct sbx *s)
{
    return s && s->state == SBX_RUNNING;
}

size_t sbx_count_running(const struct daemon *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n_sbx; i++)
        if (d->sbx[i]->state == SBX_RUNNING) n++;
    return n;
}

struct sbx *sbx_find(struct daemon *d, const char *id)
{
    for (size_t i = 0; i < d->n_sbx; i++)
        if (strcmp(d->sbx[i]->id, id) == 0) return d->sbx[i];
    return NULL;
}

/* Sandbox logs survive restarts: each line is appended to DIR/logs/<id>.jsonl. */
static int log_path(const struct daemon *d, const char *id, char *out, size_t n)
{
    int k = snprintf(out, n, "%s/logs/%s.jsonl", d->opt.state_dir, id);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

/* The file holds what the ring holds, plus what was appended since; past LOG_FILE_MAX of
 * appends it is rewritten from the ring (process output makes logs grow fast: 10 000 lines a
 * command), so the disk use stays bounded. */
#define LOG_FILE_MAX (48u << 20)

static void log_compact(struct sbx *s, const char *path)
{
    struct buf out = BUF_INIT;
    struct error err;
    for (size_t i = 0; i < sblog_count(s->logs); i++) {
        char *line = sblog_entry_line(sblog_at(s->logs, i));
        if (line) {
            buf_append_str(&out, line);
            buf_append_byte(&out, '\n');
            free(line);
        }
    }
    if (fs_write_atomic(path, out.data ? out.data : "", out.len, 0600, &err) == 0)
        s->log_bytes = out.len;
    buf_free(&out);
}

static void log_persist(struct sbx *s)
{
    char path[4200];
    const struct sblog_entry *e =
        sblog_count(s->logs) ? sblog_at(s->logs, sblog_count(s->logs) - 1) : NULL;
    char *line = e ? sblog_entry_line(e) : NULL;
    int fd;

    if (!line || log_path(s->d, s->id, path, sizeof path) < 0) {
        free(line);
        return;
    }
    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno == ENOENT) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s/logs", s->d->opt.state_dir);
        mkdir(dir, 0700);
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
    if (fd >= 0) {
        size_t n = strlen(line);
        line[n] = '\n'; /* replaces the NUL: one append per line */
        if (write(fd, line, n + 1) < 0) {
            /* the memory copy still serves the logs endpoints */
        }
        close(fd);
        s->log_bytes += n + 1;
        if (s->log_bytes > LOG_FILE_MAX) log_compact(s, path);
    }
    free(line);
}

/* The last max bytes of path from a line start (an older file may be larger). */
static int read_tail(const char *path, size_t max, struct buf *b)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    char chunk[65536];
    if (fd < 0) return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    bool cut = (size_t)st.st_size > max;
    if (cut && lseek(fd, st.st_size - (off_t)max, SEEK_SET) < 0) {
        close(fd);
        return -1;
    }
    for (size_t total = 0; total < max;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (buf_append(b, chunk, (size_t)r) < 0) break;
        total += (size_t)r;
    }
    close(fd);
    if (cut) { /* drop the partial first line */
        char *nl = memchr(b->data, '\n', b->len);
        buf_consume(b, nl ? (size_t)(nl - b->data) + 1 : b->len);
    }
    return 0;
}

/* At restore: read the file back (a torn last line is skipped), keep the newest SBLOG_CAP
 * lines, and rewrite it compacted. */
static void log_restore(struct sbx *s)
{
    char path[4200];
    struct buf b = BUF_INIT;

    if (log_path(s->d, s->id, path, sizeof path) < 0 || read_tail(path, 64u << 20, &b) < 0) {
        buf_free(&b);
        return;
    }
    for (char *p = b.data, *end = b.data + b.len; p && p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break;
        sblog_add_line(s->logs, p, (size_t)(nl - p));
        p = nl + 1;
    }
    buf_free(&b);
    log_compact(s, path);
}

static void log_remove(struct daemon *d, const char *id)
{
    char path[4200];
    if (log_path(d, id, path, sizeof path) == 0) unlink(path);
}

void sbx_log(struct sbx *s, enum log_level level, const cJSON *fields, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sblog_add(s->logs, loop_wall_ms(), level, msg, fields);
    log_persist(s);
    log_msg(s->d->log, level == LOG_DEBUG ? LOG_DEBUG : LOG_INFO, "sandbox %s: %s", s->id, msg);
}

void sbx_log_raw(struct sbx *s, enum log_level level, const char *msg, const cJSON *raw)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    sblog_add_raw(s->logs, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, level, msg, raw);
    log_persist(s);
}

int sbx_save(struct daemon *d, struct sbx *s)
{
    struct error err;
    if (store_save(d->opt.state_dir, s, &err) < 0) {
        log_msg(d->log, LOG_ERROR, "sandbox %s: cannot save its record: %s", s->id, err.msg);
        return -1;
    }
    return 0;
}

static void rt_spec_of(const struct sbx *s, struct rt_spec *spec)
{
    *spec = (struct rt_spec){0}; /* options the caller does not set are off */
    spec->id = s->id;
    spec->cpu_count = s->cpu_count;
    spec->memory_mb = s->memory_mb;
    spec->pids_max = BASE_PIDS_MAX;
    spec->no_net = !s->allow_internet;
}

static void ttl_fire(struct server_timer *t, void *ud);
static void sample_now(struct daemon *d, struct sbx *s);

static struct sbx *sbx_alloc(struct daemon *d)
{
    struct sbx *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->d = d;
    s->metrics = calloc(1, sizeof *s->metrics);
    s->logs = sblog_new();
    s->ttl = server_timer_new(d->srv, ttl_fire, s);
    if (!s->metrics || !s->logs || !s->ttl) {
        free(s->metrics);
        sblog_free(s->logs);
        server_timer_free(s->ttl);
        free(s);
        return NULL;
    }
    return s;
}

static int sbx_add(struct daemon *d, struct sbx *s)
{
    if (GROW(d->sbx, d->cap_sbx, d->n_sbx + 1) < 0) return -1;
    d->sbx[d->n_sbx++] = s;
    return 0;
}

static void sbx_remove(struct daemon *d, struct sbx *s)
{
    for (size_t i = 0; i < d->n_sbx; i++) {
        if (d->sbx[i] == s) {
            memmove(&d->sbx[i], &d->sbx[i + 1], (d->n_sbx - i - 1) * sizeof *d->sbx);
            d->n_sbx--;
            return;
        }
    }
}

/* Keep metrics and logs of a killed sandbox (E2B serves them after death). */
static void archive_add(struct daemon *d, struct sbx *s)
{
    struct sbx_archive *a;
    if (!d->archive) {
        d->archive = calloc(ARCHIVE_MAX, sizeof *d->archive);
        if (!d->archive) return;
    }
    if (d->n_archive == ARCHIVE_MAX) {
        free(d->archive[0].metrics);
        sblog_free(d->archive[0].logs);
        memmove(&d->archive[0], &d->archive[1], (ARCHIVE_MAX - 1) * sizeof *d->archive);
        d->n_archive--;
    }
    a = &d->archive[d->n_archive++];
    snprintf(a->id, sizeof a->id, "%s", s->id);
    a->metrics = s->metrics;
    a->logs = s->logs;
    s->metrics = NULL;
    s->logs = NULL;
}

const struct metrics_ring *sbx_metrics_of(struct daemon *d, const char *id)
{
    struct sbx *s = sbx_find(d, id);
    if (s) return s->metrics;
    for (size_t i = d->n_archive; i-- > 0;)
        if (strcmp(d->archive[i].id, id) == 0) return d->archive[i].metrics;
    return NULL;
}

const struct sblog *sbx_logs_of(struct daemon *d, const char *id)
{
    struct sbx *s = sbx_find(d, id);
    if (s) return s->logs;
    for (size_t i = d->n_archive; i-- > 0;)
        if (strcmp(d->archive[i].id, id) == 0) return d->archive[i].logs;
    return NULL;
}

static void sbx_free(struct sbx *s)
{
    if (!s) return;
    server_timer_free(s->ttl);
    free(s->metrics);
    sblog_free(s->logs);
    cJSON_Delete(s->metadata);
    cJSON_Delete(s->env_vars);
    cJSON_Delete(s->volume_mounts);
    free(s);
}

static void arm_ttl(struct sbx *s)
{
    int64_t now = loop_wall_ms();
    server_timer_start(s->ttl, s->end_at_ms > now ? s->end_at_ms - now : 0);
}

static cJSON *execution_data(const struct sbx *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    json_add_time(o, "started_at", s->exec_started_ms);
    cJSON_AddNumberToObject(o, "vcpu_count", s->cpu_count);
    cJSON_AddNumberToObject(o, "memory_mb", s->memory_mb);
    cJSON_AddNumberToObject(o, "execution_time", (double)(loop_wall_ms() - s->exec_started_ms));
    return o;
}

static void denvd_stopping(struct daemon *d, struct sbx *s, bool survive, bool ends)
{
    if (d->denvd_ops.sandbox_stopping)
        d->denvd_ops.sandbox_stopping(d->denvd_ops.ud, s, survive, ends);
}

/* ------------------------------------------------------------------ lifecycle */

/* Running sandboxes plus those let in whose files are still being copied. */
static size_t count_taken(const struct daemon *d)
{
    return sbx_count_running(d) + (size_t)(d->creates_admitted > 0 ? d->creates_admitted : 0);
}

static int admit(struct daemon *d, struct error *err)
{
    if (count_taken(d) >= (size_t)d->opt.max_sandboxes) {
        error_set(err, ERROR_RATE_LIMIT,
                  "you have reached the maximum number of concurrent E2B sandboxes (%d). If you "
                  "need more, start boxtopd with a higher --max-sandboxes",
                  d->opt.max_sandboxes);
        err->code = 1; /* Retry-After seconds */
        return -1;
    }
    int wait = limits_take(&d->limits, loop_now_ms());
    if (wait > 0) {
        error_set(err, ERROR_RATE_LIMIT, "Rate limit exceeded: too many sandboxes created");
        err->code = wait;
        return -1;
    }
    return 0;
}

int sbx_create_admit(struct daemon *d, struct error *err)
{
    if (admit(d, err) < 0) return -1;
    d->creates_admitted++;
    return 0;
}

void sbx_create_unadmit(struct daemon *d)
{
    if (d->creates_admitted > 0) d->creates_admitted--;
}

int sbx_create(struct daemon *d, const struct sbx_create_opts *o, struct sbx **out,
               struct error *err)
{
    struct sbx *s;
    struct rt_spec spec;
    int64_t now = loop_wall_ms();

    *out = NULL;
    if (o->admitted)
        sbx_create_unadmit(d); /* its slot becomes the sandbox */
    else if (admit(d, err) < 0)
        return -1;
    s = sbx_alloc(d);
    if (!s) return error_set(err, ERROR_GENERIC, "out of memory");
    do {
        if (ids_new_sandbox_id(s->id, sizeof s->id) < 0) {
            sbx_free(s);
            return error_set(err, ERROR_GENERIC, "no randomness");
        }
    } while (sbx_find(d, s->id));
    if (ids_random_hex(s->envd_token, 32) < 0 ||
        ids_uuid4(s->execution_id, sizeof s->execution_id) < 0) {
        sbx_free(s);
        return error_set(err, ERROR_GENERIC, "no randomness");
    }
    snprintf(s->template_id, sizeof s->template_id, "%s", o->template_id ? o->template_id : "base");
    snprintf(s->alias, sizeof s->alias, "%s", o->alias ? o->alias : "base");
    s->started_at_ms = s->exec_started_ms = now;
    s->end_at_ms = now + o->timeout_s * 1000;
    s->cpu_count = o->cpu_count > 0 ? o->cpu_count : BASE_CPU_COUNT;
    s->memory_mb = o->memory_mb > 0 ? o->memory_mb : BASE_MEMORY_MB;
    s->disk_mb = BASE_DISK_MB;
    s->auto_pause = o->auto_pause;
    s->auto_pause_fs_only = o->auto_pause_fs_only;
    s->auto_resume = o->auto_resume;
    s->secure = o->secure;
    s->allow_internet = o->allow_internet;
    s->metadata = o->metadata;
    s->env_vars = o->env_vars;
    s->state = SBX_RUNNING;
    rt_spec_of(s, &spec);
    spec.seed_dir = o->seed_dir;
    spec.seed_idbase = o->seed_idbase;
    spec.seed_move = o->seed_move;
    spec.lowers = o->lowers;
    struct buf binds = BUF_INIT;
    if (o->volume_mounts && volume_binds(d, o->volume_mounts, &binds, err) < 0) {
        s->metadata = s->env_vars = NULL;
        sbx_free(s);
        return -1;
    }
    spec.binds = binds.len ? buf_cstr(&binds) : NULL;
    int crc = rt_sandbox_create(d->rt, &spec, &s->rt, err);
    buf_free(&binds);
    if (crc < 0) {
        s->metadata = s->env_vars = NULL; /* still owned by the caller's opts */
        log_msg(d->log, LOG_ERROR, "sandbox %s: create failed: %s", s->id, err->msg);
        sbx_free(s);
        if (err->kind == ERROR_NONE) err->kind = ERROR_GENERIC;
        return -1;
    }
    rt_sandbox_set_ud(s->rt, s);
    if (sbx_add(d, s) < 0) {
        rt_sandbox_destroy(d->rt, s->rt, err);
        s->metadata = s->env_vars = NULL;
        sbx_free(s);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    s->volume_mounts = o->volume_mounts;
    struct error serr;
    if (store_save_new(d->opt.state_dir, s, &serr) < 0)
        log_msg(d->log, LOG_ERROR, "sandbox %s: cannot save its record: %s", s->id, serr.msg);
    arm_ttl(s);
    team_metrics_start(d->team);
    if (spawns_add(d->opt.state_dir, &d->spawns, loop_wall_ms()) < 0)
        log_msg(d->log, LOG_WARN, "cannot save the spawn count");
    sample_now(d, s);
    events_emit(d->events, s, "created", NULL);
    sbx_log(s, LOG_INFO, NULL, "sandbox created from template %s (timeout %llds)", s->alias,
            (long long)o->timeout_s);
    *out = s;
    return 0;
}

int sbx_kill(struct daemon *d, struct sbx *s, const char *reason, struct error *err)
{
    cJSON *data = cJSON_CreateObject();

    denvd_stopping(d, s, false, true);
    server_timer_stop(s->ttl);
    if (s->rt && rt_sandbox_destroy(d->rt, s->rt, err) < 0)
        log_msg(d->log, LOG_ERROR, "sandbox %s: destroy: %s", s->id, err->msg);
    s->rt = NULL;
    store_remove(d->opt.state_dir, s->id);
    if (data) {
        cJSON_AddItemToObject(data, "execution", execution_data(s));
        cJSON_AddStringToObject(data, "kill_reason", reason);
    }
    events_emit(d->events, s, "killed", data);
    sbx_log(s, LOG_INFO, NULL, "sandbox killed (%s)", reason);
    log_remove(d, s->id); /* the memory archive keeps them for this run */
    sbx_remove(d, s);
    archive_add(d, s);
    sbx_free(s);
    tpl_layers_gc(d); /* a deleted template's layers may have waited for this sandbox */
    return 0;
}

int sbx_pause(struct daemon *d, struct sbx *s, bool memory, struct error *err)
{
    if (s->state == SBX_PAUSED)
        return error_set(err, ERROR_CONFLICT, /* the API's text (handlers/sandbox_pause.go) */
                         "Error pausing sandbox - sandbox '%s' is already paused", s->id);
    cJSON *data = cJSON_CreateObject();
    if (data) cJSON_AddItemToObject(data, "execution", execution_data(s));
    struct error ferr;
    bool frozen = false;
    if (s->rt && rt_sandbox_running(s->rt)) {
        if (memory && rt_sandbox_freeze(d->rt, s->rt, &ferr) == 0) {
            frozen = true;
        } else {
            /* filesystem only, or no freezer: keep the files, stop the processes (resume
             * boots a fresh init) */
            if (memory)
                sbx_log(s, LOG_WARN, NULL, "freeze failed (%s); stopping processes instead",
                        ferr.msg);
            if (rt_sandbox_stop(d->rt, s->rt, &ferr) < 0) {
                cJSON_Delete(data);
                return error_set(err, ERROR_GENERIC, "cannot pause: %s", ferr.msg);
            }
        }
    }
    denvd_stopping(d, s, frozen, false);
    server_timer_stop(s->ttl);
    s->state = SBX_PAUSED;
    s->frozen = frozen;
    s->paused_at_ms = loop_wall_ms();
    sbx_save(d, s);
    events_emit(d->events, s, "paused", data);
    sbx_log(s, LOG_INFO, NULL, "sandbox paused%s",
            frozen ? " (processes frozen)" : " (filesystem only: processes stopped)");
    return 0;
}

int sbx_resume(struct daemon *d, struct sbx *s, int64_t timeout_s, bool memory, struct error *err)
{
    if (s->state == SBX_RUNNING)
        return error_set(err, ERROR_CONFLICT, /* handlers/sandbox_resume.go: no quotes */
                         "Sandbox %s is already running", s->id);
    if (count_taken(d) >= (size_t)d->opt.max_sandboxes) {
        error_set(err, ERROR_RATE_LIMIT,
                  "you have reached the maximum number of concurrent E2B sandboxes (%d)",
                  d->opt.max_sandboxes);
        err->code = 1;
        return -1;
    }
    if (!s->rt) {
        struct rt_spec spec;
        rt_spec_of(s, &spec);
        int rc = rt_sandbox_open(d->rt, &spec, &s->rt, err);
        if (rc < 0) return error_prefix(err, "cannot load the sandbox's files");
        rt_sandbox_set_ud(s->rt, s);
    }
    if (!memory && rt_sandbox_running(s->rt)) { /* restore from disk only: cold boot */
        denvd_stopping(d, s, false, false);     /* the frozen processes it kept are gone now */
        if (s->frozen) rt_sandbox_thaw(d->rt, s->rt, err); /* v1 freezers keep killed tasks */
        if (rt_sandbox_stop(d->rt, s->rt, err) < 0) return error_prefix(err, "cannot reboot");
        s->frozen = false;
    }
    if (s->frozen && rt_sandbox_running(s->rt)) {
        if (rt_sandbox_thaw(d->rt, s->rt, err) < 0) return error_prefix(err, "cannot resume");
    } else if (!rt_sandbox_running(s->rt)) {
        if (rt_sandbox_boot(d->rt, s->rt, err) < 0) return error_prefix(err, "cannot boot");
    }
    int64_t now = loop_wall_ms();
    s->state = SBX_RUNNING;
    s->frozen = false;
    s->exec_started_ms = now;
    s->end_at_ms = now + timeout_s * 1000;
    ids_uuid4(s->execution_id, sizeof s->execution_id);
    sbx_save(d, s);
    arm_ttl(s);
    team_metrics_start(d->team);
    sample_now(d, s);
    events_emit(d->events, s, "resumed", NULL);
    sbx_log(s, LOG_INFO, NULL, "sandbox resumed (timeout %llds)", (long long)timeout_s);
    return 0;
}

void sbx_set_end(struct daemon *d, struct sbx *s, int64_t end_ms)
{
    cJSON *data = cJSON_CreateObject();

    s->end_at_ms = end_ms;
    sbx_save(d, s);
    if (s->state == SBX_RUNNING) arm_ttl(s);
    json_add_time(data, "set_timeout", end_ms); /* no data (out of memory): nothing */
    events_emit(d->events, s, "updated", data);
}

static void ttl_fire(struct server_timer *t, void *ud)
{
    struct sbx *s = ud;
    struct daemon *d = s->d;
    struct error err;

    (void)t;
    if (s->state != SBX_RUNNING) return;
    if (loop_wall_ms() < s->end_at_ms) { /* the wall clock moved: wait the rest */
        arm_ttl(s);
        return;
    }
    if (s->auto_pause) {
        sbx_log(s, LOG_INFO, NULL, "timeout reached: pausing");
        if (sbx_pause(d, s, !s->auto_pause_fs_only, &err) == 0) return;
        sbx_log(s, LOG_ERROR, NULL, "auto-pause failed (%s): killing", err.msg);
    }
    sbx_kill(d, s, "timeout", &err);
}

/* ------------------------------------------------------------------ runtime hooks */

static struct fdwatch *fdwatch_find(struct daemon *d, int fd)
{
    for (size_t i = 0; i < d->n_fds; i++)
        if (d->fds[i].fd == fd) return &d->fds[i];
    return NULL;
}

static void fdwatch_drop(struct daemon *d, int fd)
{
    for (size_t i = 0; i < d->n_fds; i++) {
        if (d->fds[i].fd == fd) {
            d->fds[i] = d->fds[--d->n_fds];
            return;
        }
    }
}

static void on_rt_fd(struct server_fd *w, int fd, int events, void *ud)
{
    struct daemon *d = ud;
    (void)w;
    if (events & SERVER_FD_CLOSED) {
        fdwatch_drop(d, fd); /* the watch is gone; the runtime reads EOF now */
        rt_on_readable(d->rt, fd);
        return;
    }
    rt_on_readable(d->rt, fd);
}

static int hook_watch_fd(void *ud, int fd)
{
    struct daemon *d = ud;
    if (fdwatch_find(d, fd)) return 0;
    if (GROW(d->fds, d->cap_fds, d->n_fds + 1) < 0) return -1;
    struct server_fd *w = server_watch_fd(d->srv, fd, on_rt_fd, d);
    if (!w) return -1;
    d->fds[d->n_fds++] = (struct fdwatch){fd, w};
    return 0;
}

static void hook_unwatch_fd(void *ud, int fd)
{
    struct daemon *d = ud;
    struct fdwatch *f = fdwatch_find(d, fd);
    if (!f) return;
    server_unwatch_fd(f->w);
    fdwatch_drop(d, fd);
}

static void hook_proc_exited(void *ud, struct rt_sandbox *sb, pid_t pid, int code, int signo)
{
    struct daemon *d = ud;
    struct sbx *s = rt_sandbox_get_ud(sb);
    if (!s) { /* a template build's sandbox */
        if (d->tpl_proc_exited) d->tpl_proc_exited(d, sb, pid, code, signo);
        return;
    }
    /* envd logs the process_end line (envd/process.c) */
    if (d->denvd_ops.proc_exited) d->denvd_ops.proc_exited(d->denvd_ops.ud, s, pid, code, signo);
}

static void hook_sandbox_died(void *ud, struct rt_sandbox *sb, const char *why)
{
    struct daemon *d = ud;
    struct sbx *s = rt_sandbox_get_ud(sb);

    if (!s || d->shutting_down) return;
    sbx_log(s, LOG_ERROR, NULL, "sandbox init died: %s", why ? why : "unknown");
    if (s->state != SBX_RUNNING) return;
    denvd_stopping(d, s, false, true);
    server_timer_stop(s->ttl);
    s->state = SBX_PAUSED; /* files are intact: connect boots a fresh init */
    s->frozen = false;
    s->paused_at_ms = loop_wall_ms();
    sbx_save(d, s);
}

/* ------------------------------------------------------------------ sampling */

static void sample_one(struct daemon *d, struct sbx *s, int64_t now)
{
    struct rt_metrics m;
    struct error err;
    struct metric_sample ms;

    if (!s->rt || rt_sample(d->rt, s->rt, &m, &err) < 0) return;
    memset(&ms, 0, sizeof ms);
    ms.ts_ms = now;
    ms.cpu_count = s->cpu_count;
    if (s->prev_sample_ms && now > s->prev_sample_ms && m.cpu_usage_ns >= s->prev_cpu_ns) {
        double used = (double)(m.cpu_usage_ns - s->prev_cpu_ns);
        double avail = (double)(now - s->prev_sample_ms) * 1e6 * s->cpu_count;
        ms.cpu_pct = avail > 0 ? used / avail * 100.0 : 0;
        if (ms.cpu_pct > 100.0) ms.cpu_pct = 100.0;
        ms.cpu_pct = (double)(int64_t)(ms.cpu_pct * 100.0 + 0.5) / 100.0;
    }
    s->prev_cpu_ns = m.cpu_usage_ns;
    s->prev_sample_ms = now;
    ms.mem_total = m.mem_total > 0 ? m.mem_total : (int64_t)s->memory_mb << 20;
    ms.mem_used = m.mem_used < 0 ? 0 : m.mem_used;
    if (ms.mem_used > ms.mem_total) ms.mem_used = ms.mem_total;
    ms.disk_total = m.disk_total > 0 ? m.disk_total : (int64_t)s->disk_mb << 20;
    ms.disk_used = m.disk_used < 0 ? 0 : m.disk_used;
    if (ms.disk_used > ms.disk_total) ms.disk_used = ms.disk_total;
    metrics_ring_push(s->metrics, &ms);
}

static void sample_all(struct server_timer *t, void *ud);

/* A first sample right away: metrics exist from the start and the CPU baseline is set. */
static void sample_now(struct daemon *d, struct sbx *s)
{
    s->prev_sample_ms = 0;
    sample_one(d, s, loop_wall_ms());
}

static void sample_all(struct server_timer *t, void *ud)
{
    struct daemon *d = ud;
    int64_t now = loop_wall_ms();

    rt_tick(d->rt); /* finishes the cleanup of destroyed sandboxes where no pidfd tells */
    for (size_t i = 0; i < d->n_sbx; i++)
        if (d->sbx[i]->state == SBX_RUNNING) sample_one(d, d->sbx[i], now);
    team_metrics_sample(d->team, now, (int)sbx_count_running(d));
    server_timer_start(t, SAMPLE_MS);
}

/* ------------------------------------------------------------------ start / stop */

static void restore_one(void *ud, const cJSON *rec, const char *file)
{
    struct daemon *d = ud;
    struct error err;
    struct sbx *s = sbx_alloc(d);
    struct rt_spec spec;

    if (!s) return;
    if (store_record_from_json(rec, s, &err) < 0 || sbx_find(d, s->id)) {
        log_msg(d->log, LOG_WARN, "boxtopd: skipping record %s: %s", file,
                err.kind ? err.msg : "duplicate");
        sbx_free(s);
        return;
    }
    rt_spec_of(s, &spec);
    log_restore(s);
    int rc = rt_sandbox_open(d->rt, &spec, &s->rt, &err);
    if (rc < 0) {
        log_msg(d->log, LOG_WARN, "sandbox %s: its files are gone (%s); forgetting it", s->id,
                err.msg);
        store_remove(d->opt.state_dir, s->id);
        log_remove(d, s->id);
        sbx_free(s);
        return;
    }
    rt_sandbox_set_ud(s->rt, s);
    if (rc == 1 && rt_sandbox_running(s->rt)) {
        /* adopted: processes survived (a crash); keep the recorded state */
        sbx_log(s, LOG_INFO, NULL, "adopted after a boxtopd restart (%s)",
                s->state == SBX_RUNNING ? "running" : "paused");
    } else {
        if (s->state == SBX_RUNNING) {
            /* boxtopd died without pausing it (a crash): say it was paused now */
            s->paused_at_ms = loop_wall_ms();
            s->state = SBX_PAUSED;
            events_emit(d->events, s, "paused", NULL);
        }
        s->state = SBX_PAUSED;
        s->frozen = false;
        sbx_log(s, LOG_INFO, NULL, "loaded after a boxtopd restart: paused, files intact");
    }
    if (sbx_add(d, s) < 0) {
        sbx_free(s);
        return;
    }
    sbx_save(d, s);
    if (s->state == SBX_RUNNING) arm_ttl(s);
}

static void instance_name(const char *state_dir, char *out, size_t n)
{
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)state_dir, strlen(state_dir), h);
    snprintf(out, n, "boxtopd-%02x%02x%02x%02x", h[0], h[1], h[2], h[3]);
}

int sbx_manager_start(struct daemon *d, struct error *err)
{
    struct rt_hooks hooks = {
        .ud = d,
        .watch_fd = hook_watch_fd,
        .unwatch_fd = hook_unwatch_fd,
        .proc_exited = hook_proc_exited,
        .sandbox_died = hook_sandbox_died,
    };
    struct rt_caps caps;
    char instance[32], real[4096];

    if (!realpath(d->opt.state_dir, real)) snprintf(real, sizeof real, "%s", d->opt.state_dir);
    instance_name(real, instance, sizeof instance);
    limits_init(&d->limits, d->opt.create_rate_per_min, loop_now_ms());
    d->team = calloc(1, sizeof *d->team);
    if (!d->team) return error_set(err, ERROR_GENERIC, "out of memory");
    if (events_open(&d->events, d->opt.state_dir) < 0)
        return error_set(err, ERROR_GENERIC, "cannot open the events file");
    if (rt_new(&d->rt, d->opt.state_dir, instance, d->log, &hooks, err) < 0)
        return error_prefix(err, "runtime");
    if (d->nofile.rlim_cur) rt_set_nofile(d->rt, &d->nofile);
    rt_get_caps(d->rt, &caps);
    snprintf(d->isolation_missing, sizeof d->isolation_missing, "%s", caps.missing);
    struct rt_base_opts bo = {.host = d->opt.base_host,
                              .rebuild = d->opt.rebuild_base,
                              .suite = d->opt.base_suite,
                              .mirror = d->opt.base_mirror,
                              .packages = d->opt.base_packages,
                              .tarball = d->opt.base_rootfs};
    if (rt_base_start(d->rt, &bo, err) < 0) return error_prefix(err, "base image");
    spawns_load(d->opt.state_dir, &d->spawns);
    store_each(d->opt.state_dir, restore_one, d, err);
    d->sample_timer = server_timer_new(d->srv, sample_all, d);
    if (!d->sample_timer) return error_set(err, ERROR_GENERIC, "out of memory");
    server_timer_start(d->sample_timer, SAMPLE_MS);
    return 0;
}

void sbx_manager_stop(struct daemon *d)
{
    struct error err;

    d->shutting_down = true;
    for (size_t i = 0; i < d->n_sbx; i++) {
        struct sbx *s = d->sbx[i];
        server_timer_stop(s->ttl);
        denvd_stopping(d, s, false, false);
        if (s->rt && rt_sandbox_running(s->rt)) {
            if (rt_sandbox_stop(d->rt, s->rt, &err) < 0)
                log_msg(d->log, LOG_ERROR, "sandbox %s: stop: %s", s->id, err.msg);
        }
        if (s->state == SBX_RUNNING) {
            s->state = SBX_PAUSED;
            s->paused_at_ms = loop_wall_ms();
            /* the resume after the restart has its matching pause in the event history */
            cJSON *data = cJSON_CreateObject();
            if (data) cJSON_AddItemToObject(data, "execution", execution_data(s));
            events_emit(d->events, s, "paused", data);
        }
        s->frozen = false;
        sbx_log(s, LOG_INFO, NULL, "boxtopd shutdown: processes stopped, files kept");
        sbx_save(d, s);
    }
    server_timer_free(d->sample_timer);
    d->sample_timer = NULL;
}

void sbx_manager_free(struct daemon *d)
{
    for (size_t i = 0; i < d->n_sbx; i++)
        sbx_free(d->sbx[i]);
    free(d->sbx);
    d->sbx = NULL;
    d->n_sbx = d->cap_sbx = 0;
    for (size_t i = 0; i < d->n_archive; i++) {
        free(d->archive[i].metrics);
        sblog_free(d->archive[i].logs);
    }
    free(d->archive);
    d->archive = NULL;
    if (d->rt) rt_free(d->rt);
    d->rt = NULL;
    /* fds the runtime left watched: silence them before the lws context closes them */
    for (size_t i = 0; i < d->n_fds; i++)
        server_unwatch_fd(d->fds[i].w);
    d->n_fds = 0;
    server_timer_free(d->sample_timer);
    d->sample_timer = NULL;
    free(d->fds);
    d->fds = NULL;
    d->cap_fds = 0;
    free(d->team);
    d->team = NULL;
    events_free(d->events);
    d->events = NULL;
}
