/* model_json.c - model <-> JSON for recordings and replays (format in model_json.h).
 * The reader treats the file as hostile: wrong types are errors naming the field, numbers are
 * range-checked, and strings are stored raw (the views sanitize them when drawing). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cJSON.h>

#include "model_json.h"

#define REPLAY_MAX_BYTES (256 * 1024 * 1024)

static int add_str(cJSON *o, const char *k, const char *v)
{
    return v && !cJSON_AddStringToObject(o, k, v) ? -1 : 0;
}

static int add_num(cJSON *o, const char *k, double v)
{
    return cJSON_AddNumberToObject(o, k, v) ? 0 : -1;
}

static int box_to_json(const struct box *s, cJSON *arr)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) return -1;
    int rc = 0;
    rc |= add_str(o, "sandboxID", s->id);
    rc |= add_str(o, "templateID", s->template_id);
    rc |= add_str(o, "alias", s->alias);
    rc |= add_str(o, "envdVersion", s->envd_version);
    rc |= add_str(o, "state", box_state_name(s->state));
    rc |= add_num(o, "cpuCount", s->cpu_count);
    rc |= add_num(o, "memoryMB", s->memory_mb);
    rc |= add_num(o, "diskSizeMB", s->disk_mb);
    rc |= add_num(o, "startedAt", (double)s->started_ms);
    rc |= add_num(o, "endAt", (double)s->end_ms);
    cJSON *md = cJSON_AddObjectToObject(o, "metadata");
    if (!md) return -1;
    for (int i = 0; i < s->n_meta; i++)
        rc |= add_str(md, s->meta[i].key, s->meta[i].value);
    if (s->procs_state == PANEL_OK) {
        cJSON *pa = cJSON_AddArrayToObject(o, "processes");
        if (!pa) return -1;
        for (int i = 0; i < s->n_procs; i++) {
            cJSON *x = cJSON_CreateObject();
            if (!x || !cJSON_AddItemToArray(pa, x)) return -1;
            rc |= add_num(x, "pid", s->procs[i].pid);
            rc |= add_str(x, "cmd", s->procs[i].cmd);
            rc |= add_str(x, "tag", s->procs[i].tag);
        }
    }
    if (s->logs_state == PANEL_OK) {
        cJSON *la = cJSON_AddArrayToObject(o, "logs");
        if (!la) return -1;
        for (int i = 0; i < s->n_logs; i++) {
            cJSON *x = cJSON_CreateObject();
            if (!x || !cJSON_AddItemToArray(la, x)) return -1;
            rc |= add_num(x, "t", (double)s->logs[i].t_ms);
            rc |= add_str(x, "level", s->logs[i].level);
            rc |= add_str(x, "msg", s->logs[i].msg);
        }
    }
    cJSON *sa = cJSON_AddArrayToObject(o, "samples");
    if (!sa) return -1;
    for (int i = 0; i < s->hist_len; i++) {
        const struct sample *p = box_sample_at(s, i);
        cJSON *x = cJSON_CreateObject();
        if (!x || !cJSON_AddItemToArray(sa, x)) return -1;
        rc |= add_num(x, "t", (double)p->t_ms);
        rc |= add_num(x, "cpu", p->cpu_pct);
        rc |= add_num(x, "memUsed", (double)p->mem_used);
        rc |= add_num(x, "memTotal", (double)p->mem_total);
        rc |= add_num(x, "diskUsed", (double)p->disk_used);
        rc |= add_num(x, "diskTotal", (double)p->disk_total);
    }
    return rc;
}

int model_to_json(const struct model *m, int64_t now_ms, struct buf *out, struct error *err)
{
    cJSON *root = cJSON_CreateObject();
    int rc = root ? 0 : -1;
    if (root) {
        rc |= add_num(root, "version", 1);
        rc |= add_num(root, "recordedAt", (double)now_ms);
        rc |= add_str(root, "backend", m->backend_label);
        rc |= add_num(root, "concurrencyLimit", m->concurrency_limit);
        rc |= add_num(root, "startsPerMin", m->starts_per_min);
        cJSON *arr = cJSON_AddArrayToObject(root, "sandboxes");
        rc |= arr ? 0 : -1;
        for (int i = 0; arr && i < m->n && !rc; i++)
            rc |= box_to_json(m->sb[i], arr);
    }
    char *txt = rc ? NULL : cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!txt) return error_set(err, ERROR_GENERIC, "out of memory while recording the model");
    rc = buf_append_str(out, txt) || buf_append_byte(out, '\n');
    free(txt);
    return rc ? error_set(err, ERROR_GENERIC, "out of memory while recording the model") : 0;
}

/* Optional number field within [lo, hi]; absent/null keeps *out. */
static int get_num(const cJSON *o, const char *path, const char *k, double lo, double hi,
                   double *out, struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo ||
        v->valuedouble > hi)
        return error_set(err, ERROR_PROTOCOL, "%s.%s: expected a number in range", path, k);
    *out = v->valuedouble;
    return 0;
}

/* A recorded time moved to now (0 = none); one that would land before 1970 counts as none,
 * so that a recording of a replay replays again (found by fuzz_replay_file). */
static int64_t shifted(double t, int64_t shift)
{
    int64_t v = t ? (int64_t)t + shift : 0;
    return v > 0 ? v : 0;
}

static int get_str(const cJSON *o, const char *path, const char *k, const char **out,
                   struct error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsString(v))
        return error_set(err, ERROR_PROTOCOL, "%s.%s: expected a string", path, k);
    *out = v->valuestring;
    return 0;
}

#define T_MAX           1e16 /* ms; far beyond any real date, well inside int64 */
#define MAX_PANEL_ITEMS 10000

static int procs_from_json(struct box *s, const cJSON *o, const char *path, int64_t shift,
                           struct error *err)
{
    (void)shift;
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(o, "processes");
    if (!pa || cJSON_IsNull(pa)) return 0;
    int n = cJSON_GetArraySize(pa);
    if (!cJSON_IsArray(pa) || n > MAX_PANEL_ITEMS)
        return error_set(err, ERROR_PROTOCOL, "%s.processes: expected an array", path);
    struct box_proc *v = calloc((size_t)n + 1, sizeof(*v));
    if (!v) return error_set(err, ERROR_GENERIC, "out of memory");
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, pa)
    {
        char p[96];
        double pid = 0;
        const char *cmd, *tag;
        snprintf(p, sizeof(p), "%s.processes[%d]", path, i);
        if (!cJSON_IsObject(x) || get_num(x, p, "pid", 0, 4294967295.0, &pid, err) ||
            get_str(x, p, "cmd", &cmd, err) || get_str(x, p, "tag", &tag, err)) {
            if (!err || !err->msg[0]) error_set(err, ERROR_PROTOCOL, "%s: expected an object", p);
            box_set_procs(s, v, i);
            return -1;
        }
        v[i].pid = (uint32_t)pid;
        v[i].cmd = strdup(cmd ? cmd : "");
        v[i].tag = tag ? strdup(tag) : NULL;
        i++;
    }
    box_set_procs(s, v, i);
    s->procs_state = PANEL_OK;
    return 0;
}

static int logs_from_json(struct box *s, const cJSON *o, const char *path, int64_t shift,
                          struct error *err)
{
    const cJSON *la = cJSON_GetObjectItemCaseSensitive(o, "logs");
    if (!la || cJSON_IsNull(la)) return 0;
    int n = cJSON_GetArraySize(la);
    if (!cJSON_IsArray(la) || n > MAX_PANEL_ITEMS)
        return error_set(err, ERROR_PROTOCOL, "%s.logs: expected an array", path);
    struct box_log *v = calloc((size_t)n + 1, sizeof(*v));
    if (!v) return error_set(err, ERROR_GENERIC, "out of memory");
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, la)
    {
        char p[96];
        double t = 0;
        const char *lvl, *msg;
        snprintf(p, sizeof(p), "%s.logs[%d]", path, i);
        if (!cJSON_IsObject(x) || get_num(x, p, "t", 0, T_MAX, &t, err) ||
            get_str(x, p, "level", &lvl, err) || get_str(x, p, "msg", &msg, err)) {
            if (!err || !err->msg[0]) error_set(err, ERROR_PROTOCOL, "%s: expected an object", p);
            box_set_logs(s, v, i);
            return -1;
        }
        v[i].t_ms = shifted(t, shift);
        v[i].level = lvl ? strdup(lvl) : NULL;
        v[i].msg = strdup(msg ? msg : "");
        i++;
    }
    box_set_logs(s, v, i);
    s->logs_state = PANEL_OK;
    return 0;
}

static int box_from_json(struct model *m, const cJSON *o, const char *path, int64_t shift,
                         struct error *err)
{
    if (!cJSON_IsObject(o)) return error_set(err, ERROR_PROTOCOL, "%s: expected an object", path);
    const char *id, *tpl, *alias, *envd, *state;
    if (get_str(o, path, "sandboxID", &id, err) || get_str(o, path, "templateID", &tpl, err) ||
        get_str(o, path, "alias", &alias, err) || get_str(o, path, "envdVersion", &envd, err) ||
        get_str(o, path, "state", &state, err))
        return -1;
    if (!id || !id[0]) return error_set(err, ERROR_PROTOCOL, "%s.sandboxID: missing", path);
    double cpu = 0, mem = 0, disk = 0, st = 0, end = 0;
    if (get_num(o, path, "cpuCount", 0, 1e6, &cpu, err) ||
        get_num(o, path, "memoryMB", 0, 1e9, &mem, err) ||
        get_num(o, path, "diskSizeMB", 0, 1e9, &disk, err) ||
        get_num(o, path, "startedAt", 0, T_MAX, &st, err) ||
        get_num(o, path, "endAt", 0, T_MAX, &end, err))
        return -1;
    struct box *s = model_upsert(m, id);
    if (!s || box_set_str(&s->template_id, tpl ? tpl : "") || box_set_str(&s->alias, alias) ||
        box_set_str(&s->envd_version, envd))
        return error_set(err, ERROR_GENERIC, "out of memory");
    s->state = box_state_parse(state);
    s->cpu_count = (int)cpu;
    s->memory_mb = (int)mem;
    s->disk_mb = (int)disk;
    s->started_ms = shifted(st, shift);
    s->end_ms = shifted(end, shift);
    s->seen = m->round;
    box_clear_meta(s);
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(o, "metadata");
    if (md && !cJSON_IsNull(md)) {
        if (!cJSON_IsObject(md))
            return error_set(err, ERROR_PROTOCOL, "%s.metadata: expected an object", path);
        const cJSON *kv;
        cJSON_ArrayForEach(kv, md)
        {
            if (!cJSON_IsString(kv) || !kv->string)
                return error_set(err, ERROR_PROTOCOL, "%s.metadata: values must be strings", path);
            if (box_set_meta(s, kv->string, kv->valuestring))
                return error_set(err, ERROR_GENERIC, "out of memory");
        }
    }
    if (procs_from_json(s, o, path, shift, err) || logs_from_json(s, o, path, shift, err))
        return -1;
    const cJSON *sa = cJSON_GetObjectItemCaseSensitive(o, "samples");
    if (sa && !cJSON_IsNull(sa)) {
        if (!cJSON_IsArray(sa))
            return error_set(err, ERROR_PROTOCOL, "%s.samples: expected an array", path);
        const cJSON *x;
        int i = 0, count = cJSON_GetArraySize(sa);
        if (count > MODEL_HISTORY_ROW)
            box_history_reserve(s, count < MODEL_HISTORY ? count : MODEL_HISTORY);
        cJSON_ArrayForEach(x, sa)
        {
            char p[96];
            snprintf(p, sizeof(p), "%s.samples[%d]", path, i++);
            if (!cJSON_IsObject(x))
                return error_set(err, ERROR_PROTOCOL, "%s: expected an object", p);
            double t = 0, c = 0, mu = 0, mt = 0, du = 0, dt = 0;
            if (get_num(x, p, "t", 0, T_MAX, &t, err) || get_num(x, p, "cpu", 0, 1e6, &c, err) ||
                get_num(x, p, "memUsed", 0, 1e18, &mu, err) ||
                get_num(x, p, "memTotal", 0, 1e18, &mt, err) ||
                get_num(x, p, "diskUsed", 0, 1e18, &du, err) ||
                get_num(x, p, "diskTotal", 0, 1e18, &dt, err))
                return -1;
            struct sample smp = {shifted(t, shift), c,           (int64_t)mu,
                                 (int64_t)mt,       (int64_t)du, (int64_t)dt};
            if (smp.t_ms) box_add_sample(s, &smp); /* one without a time cannot be drawn */
        }
    }
    return 0;
}

int model_from_json(struct model *m, const char *text, size_t len, int64_t now_ms,
                    struct error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) return error_set(err, ERROR_PROTOCOL, "replay: not valid JSON");
    /* cJSON stops after the first value: anything but whitespace after it is an error */
    while (end && end < text + len && (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
        end++;
    if (end && end < text + len && *end) {
        cJSON_Delete(root);
        return error_set(err, ERROR_PROTOCOL, "replay: trailing data after the JSON document");
    }
    int rc = -1;
    double ver = 0, rec = 0, lim = 0, spm = -1;
    const char *backend;
    const cJSON *arr;
    if (!cJSON_IsObject(root)) {
        error_set(err, ERROR_PROTOCOL, "replay: expected an object");
        goto out;
    }
    if (get_num(root, "replay", "version", 0, 1e6, &ver, err) ||
        get_num(root, "replay", "recordedAt", 0, T_MAX, &rec, err) ||
        get_num(root, "replay", "concurrencyLimit", 0, 1e9, &lim, err) ||
        get_num(root, "replay", "startsPerMin", -1, 1e9, &spm, err) ||
        get_str(root, "replay", "backend", &backend, err))
        goto out;
    if (ver != 1) {
        error_set(err, ERROR_PROTOCOL, "replay: unsupported version %g", ver);
        goto out;
    }
    arr = cJSON_GetObjectItemCaseSensitive(root, "sandboxes");
    if (!cJSON_IsArray(arr)) {
        error_set(err, ERROR_PROTOCOL, "replay.sandboxes: expected an array");
        goto out;
    }
    m->round++;
    int64_t shift = rec > 0 ? now_ms - (int64_t)rec : 0;
    int i = 0;
    const cJSON *o;
    cJSON_ArrayForEach(o, arr)
    {
        char p[48];
        snprintf(p, sizeof(p), "replay.sandboxes[%d]", i++);
        if (box_from_json(m, o, p, shift, err)) goto out;
    }
    model_prune(m, m->round);
    m->concurrency_limit = (int)lim;
    m->starts_per_min = spm;
    if (backend && box_set_str(&m->backend_label, backend)) {
        error_set(err, ERROR_GENERIC, "out of memory");
        goto out;
    }
    m->loading = 0;
    m->updated_ms = now_ms;
    model_touch(m);
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

int model_save_file(const struct model *m, int64_t now_ms, const char *path, struct error *err)
{
    struct buf b = BUF_INIT;
    if (model_to_json(m, now_ms, &b, err)) return -1;
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = -1;
    if (fd < 0) {
        error_set(err, ERROR_GENERIC, "%s: %s", tmp, strerror(errno));
        goto out;
    }
    for (size_t off = 0; off < b.len;) {
        ssize_t w = write(fd, b.data + off, b.len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            error_set(err, ERROR_GENERIC, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            goto out;
        }
        off += (size_t)w;
    }
    if (close(fd) || rename(tmp, path)) {
        error_set(err, ERROR_GENERIC, "%s: %s", path, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    buf_free(&b);
    return rc;
}

int model_load_file(struct model *m, const char *path, int64_t now_ms, struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return error_set(err, ERROR_NOT_FOUND, "%s: %s", path, strerror(errno));
    struct buf b = BUF_INIT;
    char chunk[65536];
    ssize_t r;
    int rc = -1;
    while ((r = read(fd, chunk, sizeof(chunk))) != 0) {
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            error_set(err, ERROR_GENERIC, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (b.len + (size_t)r > REPLAY_MAX_BYTES) {
            error_set(err, ERROR_USAGE, "%s: larger than 256 MiB", path);
            goto out;
        }
        if (buf_append(&b, chunk, (size_t)r)) {
            error_set(err, ERROR_GENERIC, "out of memory");
            goto out;
        }
    }
    rc = model_from_json(m, b.data ? b.data : "", b.len, now_ms, err);
    if (rc) error_prefix(err, "%s", path);
out:
    close(fd);
    buf_free(&b);
    return rc;
}
