/* postmortem.c - the post-mortem record: its cause, JSON form and store (postmortem.h). */
#include "config.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/events_parse.h"
#include "boxtop/postmortem.h"

#define PM_FILE_MAX (4 << 20) /* a record is a few KB; a bigger file is not ours */

void pm_free(struct postmortem *p)
{
    free(p->id);
    free(p->template_id);
    free(p->alias);
    free(p->cause_detail);
    free(p->samples);
    for (int i = 0; i < p->n_cmds; i++) {
        free(p->cmds[i].command);
        free(p->cmds[i].result);
    }
    free(p->cmds);
    for (int i = 0; i < p->n_logs; i++) {
        free(p->logs[i].level);
        free(p->logs[i].msg);
    }
    free(p->logs);
    for (int i = 0; i < p->n_events; i++) {
        free(p->events[i].type);
        free(p->events[i].detail);
    }
    free(p->events);
    memset(p, 0, sizeof(*p));
}

/* The kill_reason word of an event summary ("kill_reason=timeout execution_time=3.0s"). */
static int kill_reason(const char *detail, char *out, size_t n)
{
    const char *k = detail ? strstr(detail, "kill_reason=") : NULL;
    if (!k) return -1;
    k += strlen("kill_reason=");
    size_t len = strcspn(k, " ");
    if (len >= n) len = n - 1;
    memcpy(out, k, len);
    out[len] = '\0';
    return 0;
}

/* The newest end time an "updated" event set (set_timeout=RFC3339): newer than what the
 * list showed when the time to live was changed between two polls. A later pause or resume
 * replaced that end time (a resume sets a fresh time to live), so the listing's stays. */
static void planned_end_from_events(struct postmortem *p)
{
    for (int i = p->n_events - 1; i >= 0; i--) {
        const struct pm_event *e = &p->events[i];
        if (e->type && (!strcmp(e->type, "resumed") || !strcmp(e->type, "paused"))) return;
        const char *st = e->detail ? strstr(e->detail, "set_timeout=") : NULL;
        if (!e->type || strcmp(e->type, "updated") || !st) continue;
        char when[64];
        st += strlen("set_timeout=");
        size_t len = strcspn(st, " ");
        if (len >= sizeof(when)) continue;
        memcpy(when, st, len);
        when[len] = '\0';
        int64_t ms = events_parse_time(when);
        if (ms > 0) p->planned_end_ms = ms;
        return;
    }
}

void pm_decide_cause(struct postmortem *p, bool was_unreachable)
{
    free(p->cause_detail);
    p->cause_detail = NULL;
    planned_end_from_events(p);
    /* the newest killed event decides; events are kept oldest first */
    for (int i = p->n_events - 1; i >= 0; i--) {
        const struct pm_event *e = &p->events[i];
        if (!e->type || strcmp(e->type, "killed")) continue;
        char why[64];
        if (e->t_ms > 0) p->ended_ms = e->t_ms;
        if (kill_reason(e->detail, why, sizeof(why)) < 0) {
            p->cause = PM_CAUSE_KILLED;
        } else if (!strcmp(why, "request")) {
            p->cause = PM_CAUSE_REQUEST;
        } else if (!strcmp(why, "timeout")) {
            p->cause = PM_CAUSE_TIMEOUT;
        } else {
            p->cause = PM_CAUSE_KILLED;
            p->cause_detail = strdup(why);
        }
        return;
    }
    /* No event (none kept, none yet, or an API without events): say what boxtop saw and that
     * it is not the backend's word. 2 s of slack for the listing's rhythm. */
    if (p->planned_end_ms > 0 && p->planned_end_ms <= p->noticed_ms + 2000)
        p->cause = PM_CAUSE_TTL_SEEN;
    else if (was_unreachable)
        p->cause = PM_CAUSE_UNREACHABLE;
    else
        p->cause = PM_CAUSE_UNKNOWN;
}

/* ---- JSON ----------------------------------------------------------------------------- */

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v) cJSON_AddStringToObject(o, k, v);
}

char *pm_to_json(const struct postmortem *p)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddNumberToObject(o, "version", 1);
    add_str(o, "sandboxID", p->id);
    add_str(o, "templateID", p->template_id);
    add_str(o, "alias", p->alias);
    cJSON_AddNumberToObject(o, "cpuCount", p->cpu_count);
    cJSON_AddNumberToObject(o, "memoryMB", p->memory_mb);
    cJSON_AddNumberToObject(o, "startedMs", (double)p->started_ms);
    cJSON_AddNumberToObject(o, "plannedEndMs", (double)p->planned_end_ms);
    cJSON_AddNumberToObject(o, "endedMs", (double)p->ended_ms);
    cJSON_AddNumberToObject(o, "noticedMs", (double)p->noticed_ms);
    cJSON_AddBoolToObject(o, "autoPause", p->auto_pause);
    cJSON_AddNumberToObject(o, "cause", p->cause);
    char why[160];
    add_str(o, "causeText", pm_cause_text(p, why, sizeof(why)));
    add_str(o, "causeDetail", p->cause_detail);
    cJSON_AddBoolToObject(o, "eventsFailed", p->events_failed);
    cJSON_AddBoolToObject(o, "logsFailed", p->logs_failed);
    cJSON_AddBoolToObject(o, "commandsFailed", p->cmds_failed);
    cJSON *a = cJSON_AddArrayToObject(o, "samples");
    for (int i = 0; a && i < p->n_samples; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "t", (double)p->samples[i].t_ms);
        cJSON_AddNumberToObject(s, "cpuPct", p->samples[i].cpu_pct);
        cJSON_AddNumberToObject(s, "memUsed", (double)p->samples[i].mem_used);
        cJSON_AddNumberToObject(s, "memTotal", (double)p->samples[i].mem_total);
        cJSON_AddItemToArray(a, s);
    }
    a = cJSON_AddArrayToObject(o, "commands");
    for (int i = 0; a && i < p->n_cmds; i++) {
        cJSON *s = cJSON_CreateObject();
        add_str(s, "command", p->cmds[i].command);
        add_str(s, "result", p->cmds[i].result);
        cJSON_AddNumberToObject(s, "startMs", (double)p->cmds[i].start_ms);
        cJSON_AddNumberToObject(s, "endMs", (double)p->cmds[i].end_ms);
        cJSON_AddBoolToObject(s, "failed", p->cmds[i].failed);
        cJSON_AddBoolToObject(s, "running", p->cmds[i].running);
        cJSON_AddItemToArray(a, s);
    }
    a = cJSON_AddArrayToObject(o, "logs");
    for (int i = 0; a && i < p->n_logs; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "t", (double)p->logs[i].t_ms);
        add_str(s, "level", p->logs[i].level);
        add_str(s, "message", p->logs[i].msg);
        cJSON_AddItemToArray(a, s);
    }
    a = cJSON_AddArrayToObject(o, "events");
    for (int i = 0; a && i < p->n_events; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddNumberToObject(s, "t", (double)p->events[i].t_ms);
        add_str(s, "type", p->events[i].type);
        add_str(s, "detail", p->events[i].detail);
        cJSON_AddItemToArray(a, s);
    }
    char *text = cJSON_Print(o);
    cJSON_Delete(o);
    return text;
}

static char *get_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) && v->valuestring ? strdup(v->valuestring) : NULL;
}

static double get_num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(v)) return 0;
    double d = v->valuedouble;
    return d != d || d < -9.0e15 || d > 9.0e15 ? 0 : d; /* NaN or beyond int64 ms */
}

static bool get_bool(const cJSON *o, const char *k)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* The objects of array k, at most max of them (the newest: the tail). */
static const cJSON *array_of(const cJSON *o, const char *k, int max, int *n, int *skip)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);
    *n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    *skip = *n > max ? *n - max : 0;
    *n -= *skip;
    return *n > 0 ? a : NULL;
}

int pm_from_json(const char *text, size_t len, struct postmortem *p, struct error *err)
{
    memset(p, 0, sizeof(*p));
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        error_set(err, ERROR_PROTOCOL, "post-mortem: not a JSON object");
        return -1;
    }
    p->id = get_str(o, "sandboxID");
    if (!p->id || !p->id[0]) {
        cJSON_Delete(o);
        pm_free(p);
        error_set(err, ERROR_PROTOCOL, "post-mortem: no sandboxID");
        return -1;
    }
    p->template_id = get_str(o, "templateID");
    p->alias = get_str(o, "alias");
    double c = get_num(o, "cpuCount"), m = get_num(o, "memoryMB");
    p->cpu_count = c > 0 && c < 1e6 ? (int)c : 0;
    p->memory_mb = m > 0 && m < 1e9 ? (int)m : 0;
    p->started_ms = (int64_t)get_num(o, "startedMs");
    p->planned_end_ms = (int64_t)get_num(o, "plannedEndMs");
    p->ended_ms = (int64_t)get_num(o, "endedMs");
    p->noticed_ms = (int64_t)get_num(o, "noticedMs");
    p->auto_pause = get_bool(o, "autoPause");
    double cause = get_num(o, "cause");
    p->cause = cause >= PM_CAUSE_PENDING && cause <= PM_CAUSE_UNKNOWN ? (enum pm_cause)cause
                                                                      : PM_CAUSE_UNKNOWN;
    p->cause_detail = get_str(o, "causeDetail");
    p->events_failed = get_bool(o, "eventsFailed");
    p->logs_failed = get_bool(o, "logsFailed");
    p->cmds_failed = get_bool(o, "commandsFailed");

    int n, skip, i;
    const cJSON *a = array_of(o, "samples", PM_SAMPLES, &n, &skip), *it;
    if (a && (p->samples = calloc((size_t)n, sizeof(*p->samples)))) {
        i = 0;
        cJSON_ArrayForEach(it, a)
        {
            if (i++ < skip) continue;
            struct pm_sample *s = &p->samples[p->n_samples++];
            s->t_ms = (int64_t)get_num(it, "t");
            s->cpu_pct = get_num(it, "cpuPct");
            s->mem_used = (int64_t)get_num(it, "memUsed");
            s->mem_total = (int64_t)get_num(it, "memTotal");
        }
    }
    a = array_of(o, "commands", PM_CMDS, &n, &skip);
    if (a && (p->cmds = calloc((size_t)n, sizeof(*p->cmds)))) {
        i = 0;
        cJSON_ArrayForEach(it, a)
        {
            if (i++ < skip) continue;
            struct pm_cmd *s = &p->cmds[p->n_cmds++];
            s->command = get_str(it, "command");
            s->result = get_str(it, "result");
            s->start_ms = (int64_t)get_num(it, "startMs");
            s->end_ms = (int64_t)get_num(it, "endMs");
            s->failed = get_bool(it, "failed");
            s->running = get_bool(it, "running");
        }
    }
    a = array_of(o, "logs", PM_LOGS, &n, &skip);
    if (a && (p->logs = calloc((size_t)n, sizeof(*p->logs)))) {
        i = 0;
        cJSON_ArrayForEach(it, a)
        {
            if (i++ < skip) continue;
            struct pm_log *s = &p->logs[p->n_logs++];
            s->t_ms = (int64_t)get_num(it, "t");
            s->level = get_str(it, "level");
            s->msg = get_str(it, "message");
        }
    }
    a = array_of(o, "events", PM_EVENTS, &n, &skip);
    if (a && (p->events = calloc((size_t)n, sizeof(*p->events)))) {
        i = 0;
        cJSON_ArrayForEach(it, a)
        {
            if (i++ < skip) continue;
            struct pm_event *s = &p->events[p->n_events++];
            s->t_ms = (int64_t)get_num(it, "t");
            s->type = get_str(it, "type");
            s->detail = get_str(it, "detail");
        }
    }
    cJSON_Delete(o);
    return 0;
}

/* ---- the store ---------------------------------------------------------------------------- */

char *pm_store_dir(void)
{
    struct buf b = BUF_INIT;
    const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    if (x && x[0] == '/')
        buf_printf(&b, "%s/boxtop/postmortems", x);
    else if (home && home[0] == '/')
        buf_printf(&b, "%s/.local/state/boxtop/postmortems", home);
    else
        return NULL;
    return buf_steal(&b);
}

/* mkdir -p with 0700 (post-mortems hold commands and log lines). */
static int mkdirs(const char *dir)
{
    char path[4096];
    if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) return -1;
    for (char *s = path + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST) return -1;
        *s = '/';
    }
    return mkdir(path, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* A sandbox id that is safe as a file name (ids are [a-z0-9-] on every backend we know). */
static bool id_ok(const char *id)
{
    if (!id[0] || strlen(id) > 128 || id[0] == '.') return false;
    for (const char *s = id; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

struct pm_file {
    char name[160];
    int64_t mtime_ns;
};

static int older_first(const void *pa, const void *pb)
{
    const struct pm_file *a = pa, *b = pb;
    if (a->mtime_ns != b->mtime_ns) return a->mtime_ns < b->mtime_ns ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Drop the oldest records beyond PM_STORE_MAX. */
static void prune(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct pm_file *v = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || l >= sizeof(v->name) || strcmp(e->d_name + l - 5, ".json")) continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 256;
            struct pm_file *nv = realloc(v, nc * sizeof(*v));
            if (!nv) break;
            v = nv, cap = nc;
        }
        memcpy(v[n].name, e->d_name, l + 1);
        v[n++].mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
    if (n > PM_STORE_MAX) {
        qsort(v, n, sizeof(*v), older_first);
        for (size_t i = 0; i < n - PM_STORE_MAX; i++)
            unlinkat(dirfd(d), v[i].name, 0);
    }
    free(v);
    closedir(d);
}

int pm_store_save(const char *dir, const struct postmortem *p, struct error *err)
{
    if (!p->id || !id_ok(p->id))
        return error_set(err, ERROR_USAGE, "post-mortem: unusable sandbox id"), -1;
    if (mkdirs(dir) < 0) return error_set(err, ERROR_GENERIC, "%s: %s", dir, strerror(errno)), -1;
    char *text = pm_to_json(p);
    if (!text) return error_set(err, ERROR_GENERIC, "out of memory"), -1;
    struct buf tmp = BUF_INIT, dst = BUF_INIT;
    buf_printf(&tmp, "%s/.%s.tmp", dir, p->id);
    buf_printf(&dst, "%s/%s.json", dir, p->id);
    int rc = -1;
    int fd = open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    size_t len = strlen(text);
    if (fd >= 0) {
        ssize_t w = write(fd, text, len);
        if (close(fd) == 0 && w == (ssize_t)len && rename(buf_cstr(&tmp), buf_cstr(&dst)) == 0)
            rc = 0;
        else
            unlink(buf_cstr(&tmp));
    }
    if (rc < 0) error_set(err, ERROR_GENERIC, "%s: %s", buf_cstr(&dst), strerror(errno));
    free(text);
    buf_free(&tmp);
    buf_free(&dst);
    if (rc == 0) prune(dir);
    return rc;
}

static int load_file(const char *dir, const char *name, struct postmortem *out, struct error *err)
{
    struct buf path = BUF_INIT;
    buf_printf(&path, "%s/%s", dir, name);
    int fd = open(buf_cstr(&path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > PM_FILE_MAX) {
        error_set(err, fd < 0 && errno == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s",
                  buf_cstr(&path), fd < 0 ? strerror(errno) : "not a post-mortem file");
        if (fd >= 0) close(fd);
        buf_free(&path);
        return -1;
    }
    char *text = malloc((size_t)st.st_size + 1);
    ssize_t r = text ? read(fd, text, (size_t)st.st_size) : -1;
    close(fd);
    int rc = -1;
    if (r == st.st_size) {
        rc = pm_from_json(text, (size_t)r, out, err);
        if (rc < 0) error_prefix(err, "%s", buf_cstr(&path));
    } else {
        error_set(err, ERROR_GENERIC, "%s: short read", buf_cstr(&path));
    }
    free(text);
    buf_free(&path);
    return rc;
}

int pm_store_load(const char *dir, const char *id, struct postmortem *out, struct error *err)
{
    memset(out, 0, sizeof(*out));
    if (!id_ok(id)) return error_set(err, ERROR_USAGE, "not a sandbox id"), -1;
    char exact[160];
    snprintf(exact, sizeof(exact), "%s.json", id);
    if (load_file(dir, exact, out, err) == 0) return 0;
    if (err->kind != ERROR_NOT_FOUND) return -1;
    /* a unique prefix, as the other commands accept */
    DIR *d = opendir(dir);
    char found[256] = "";
    int matches = 0;
    struct dirent *e;
    size_t il = strlen(id);
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || l >= sizeof(found) || strcmp(e->d_name + l - 5, ".json")) continue;
        if (strncmp(e->d_name, id, il)) continue;
        if (!matches++) memcpy(found, e->d_name, l + 1);
    }
    if (d) closedir(d);
    if (matches == 1) return load_file(dir, found, out, err);
    error_set(err, matches ? ERROR_USAGE : ERROR_NOT_FOUND,
              matches ? "%s matches %d post-mortems" : "no post-mortem of %s", id, matches);
    return -1;
}
