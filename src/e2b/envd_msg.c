/* envd_msg.c - envd request messages and response parsing (process and filesystem protos).
 *
 * Messages are built in proto field order so that the JSON matches the SDK's byte for byte
 * (the tests compare with sdk-transcripts); parsing follows proto3 JSON leniency (connect.h). */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/envd.h"
#include "boxtop/json.h"

static const struct pjson_enum signal_enum[] = {
    {"SIGNAL_UNSPECIFIED", 0}, {"SIGNAL_SIGTERM", 15}, {"SIGNAL_SIGKILL", 9}, {NULL, 0}};
static const struct pjson_enum file_type_enum[] = {{"FILE_TYPE_UNSPECIFIED", 0},
                                                   {"FILE_TYPE_FILE", 1},
                                                   {"FILE_TYPE_DIRECTORY", 2},
                                                   {"FILE_TYPE_SYMLINK", 3},
                                                   {NULL, 0}};
static const struct pjson_enum event_type_enum[] = {{"EVENT_TYPE_UNSPECIFIED", 0},
                                                    {"EVENT_TYPE_CREATE", 1},
                                                    {"EVENT_TYPE_WRITE", 2},
                                                    {"EVENT_TYPE_REMOVE", 3},
                                                    {"EVENT_TYPE_RENAME", 4},
                                                    {"EVENT_TYPE_CHMOD", 5},
                                                    {NULL, 0}};

/* Run a builder; on any failure drop the half-built object. */
#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if ((x) < 0) goto fail;                                                                    \
    } while (0)
#define CHECKP(p)                                                                                  \
    do {                                                                                           \
        if (!(p)) goto fail;                                                                       \
    } while (0)

static cJSON *selector(uint32_t pid)
{
    cJSON *p = cJSON_CreateObject();
    if (p && !cJSON_AddNumberToObject(p, "pid", pid)) {
        cJSON_Delete(p);
        return NULL;
    }
    return p;
}

static cJSON *with_selector(uint32_t pid)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *p = selector(pid);
    if (!o || !p || !cJSON_AddItemToObject(o, "process", p)) {
        cJSON_Delete(o);
        cJSON_Delete(p);
        return NULL;
    }
    return o;
}

static cJSON *pty_size(uint16_t cols, uint16_t rows)
{
    cJSON *pty = cJSON_CreateObject(), *size = cJSON_CreateObject();
    if (!pty || !size || !cJSON_AddNumberToObject(size, "cols", cols) ||
        !cJSON_AddNumberToObject(size, "rows", rows) || !cJSON_AddItemToObject(pty, "size", size)) {
        cJSON_Delete(pty);
        cJSON_Delete(size);
        return NULL;
    }
    return pty;
}

cJSON *envd_msg_start(const struct envd_start_opts *o)
{
    if (!o->cmd || !*o->cmd) return NULL;
    cJSON *root = cJSON_CreateObject(), *proc = cJSON_CreateObject();
    CHECKP(root && proc);
    CHECKP(cJSON_AddItemToObject(root, "process", proc));
    CHECKP(cJSON_AddStringToObject(proc, "cmd", o->cmd));
    if (o->args && o->args[0]) {
        cJSON *args = cJSON_AddArrayToObject(proc, "args");
        CHECKP(args);
        for (const char *const *a = o->args; *a; a++)
            CHECKP(cJSON_AddItemToArray(args, cJSON_CreateString(*a)));
    }
    if (o->envs && o->envs[0]) {
        cJSON *envs = cJSON_AddObjectToObject(proc, "envs");
        CHECKP(envs);
        for (const char *const *e = o->envs; *e; e++) {
            const char *eq = strchr(*e, '=');
            if (!eq || eq == *e) goto fail;
            char *key = strndup(*e, (size_t)(eq - *e));
            CHECKP(key);
            /* map semantics: a repeated key replaces the earlier value */
            cJSON_DeleteItemFromObjectCaseSensitive(envs, key);
            cJSON *v = cJSON_AddStringToObject(envs, key, eq + 1);
            free(key);
            CHECKP(v);
        }
    }
    if (o->cwd) CHECK(pjson_add_string(proc, "cwd", o->cwd, true));
    if (o->pty) {
        cJSON *pty = pty_size(o->cols, o->rows);
        CHECKP(pty);
        CHECKP(cJSON_AddItemToObject(root, "pty", pty));
    }
    if (o->tag) CHECK(pjson_add_string(root, "tag", o->tag, true));
    if (o->stdin_mode >= 0 && !o->pty)
        CHECK(pjson_add_bool(root, "stdin", o->stdin_mode > 0, true));
    return root;
fail:
    if (!root || !cJSON_GetObjectItemCaseSensitive(root, "process")) cJSON_Delete(proc);
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_process(uint32_t pid)
{
    return with_selector(pid);
}

cJSON *envd_msg_send_input(uint32_t pid, bool pty, const void *data, size_t len)
{
    cJSON *root = with_selector(pid), *in = cJSON_CreateObject();
    CHECKP(root && in);
    CHECK(pjson_add_bytes(in, pty ? "pty" : "stdin", data, len, true));
    CHECKP(cJSON_AddItemToObject(root, "input", in));
    return root;
fail:
    cJSON_Delete(in);
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_update(uint32_t pid, uint16_t cols, uint16_t rows)
{
    cJSON *root = with_selector(pid), *pty = pty_size(cols, rows);
    CHECKP(root && pty);
    CHECKP(cJSON_AddItemToObject(root, "pty", pty));
    return root;
fail:
    cJSON_Delete(pty);
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_signal(uint32_t pid, int signo)
{
    if (signo != SIGTERM && signo != SIGKILL) return NULL;
    cJSON *root = with_selector(pid);
    CHECKP(root);
    CHECK(pjson_add_enum(root, "signal", signal_enum, signo, true));
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_path(const char *path)
{
    cJSON *root = cJSON_CreateObject();
    CHECKP(root && path);
    CHECK(pjson_add_string(root, "path", path, true));
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_list_dir(const char *path, uint32_t depth)
{
    cJSON *root = envd_msg_path(path);
    CHECKP(root);
    CHECK(pjson_add_uint32(root, "depth", depth, false));
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_move(const char *source, const char *destination)
{
    cJSON *root = cJSON_CreateObject();
    CHECKP(root && source && destination);
    CHECK(pjson_add_string(root, "source", source, true));
    CHECK(pjson_add_string(root, "destination", destination, true));
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

cJSON *envd_msg_watch_dir(const char *path, bool recursive, bool include_entry)
{
    cJSON *root = envd_msg_path(path);
    CHECKP(root);
    CHECK(pjson_add_bool(root, "recursive", recursive, false));
    CHECK(pjson_add_bool(root, "includeEntry", include_entry, false));
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

void envd_parse_free(struct envd_parse *p)
{
    cJSON_Delete(p->root);
    p->root = NULL;
    buf_free(&p->bytes);
}

/* Exactly one member of a oneof object; its name and value. */
static int oneof(const cJSON *obj, const char *path, const char **name, const cJSON **val,
                 struct error *err)
{
    if (!cJSON_IsObject(obj)) return error_set(err, ERROR_PROTOCOL, "%s: expected an object", path);
    const cJSON *it, *found = NULL;
    cJSON_ArrayForEach(it, obj)
    {
        if (cJSON_IsNull(it)) continue;
        if (found)
            return error_set(err, ERROR_PROTOCOL, "%s: more than one member of a oneof", path);
        found = it;
    }
    if (!found) return error_set(err, ERROR_PROTOCOL, "%s: empty", path);
    *name = found->string;
    *val = found;
    return 0;
}

int envd_proc_event_parse(const char *json, size_t len, struct envd_proc_event *ev,
                          struct envd_parse *keep, struct error *err)
{
    envd_parse_free(keep);
    memset(ev, 0, sizeof *ev);
    keep->root = json_parse(json, len, err);
    if (!keep->root) return -1;
    const cJSON *event, *val;
    const char *name;
    if (json_get_object(keep->root, "", "event", &event, err) < 0 ||
        oneof(event, "event", &name, &val, err) < 0)
        return -1;
    if (!cJSON_IsObject(val))
        return error_set(err, ERROR_PROTOCOL, "event.%s: expected an object", name);
    if (!strcmp(name, "start")) {
        ev->kind = ENVD_PROC_START;
        return pjson_get_uint32(val, "event.start", "pid", &ev->pid, err);
    }
    if (!strcmp(name, "data")) {
        const char *out;
        const cJSON *bytes;
        ev->kind = ENVD_PROC_DATA;
        if (oneof(val, "event.data", &out, &bytes, err) < 0) return -1;
        if (!strcmp(out, "stdout"))
            ev->output = ENVD_OUT_STDOUT;
        else if (!strcmp(out, "stderr"))
            ev->output = ENVD_OUT_STDERR;
        else if (!strcmp(out, "pty"))
            ev->output = ENVD_OUT_PTY;
        else
            return error_set(err, ERROR_PROTOCOL, "event.data: unknown output kind");
        if (pjson_get_bytes(val, "event.data", out, &keep->bytes, err) < 0) return -1;
        ev->data = keep->bytes.data ? keep->bytes.data : "";
        ev->len = keep->bytes.len;
        return 0;
    }
    if (!strcmp(name, "end")) {
        ev->kind = ENVD_PROC_END;
        if (pjson_get_int32(val, "event.end", "exitCode", &ev->exit_code, err) < 0 ||
            pjson_get_bool(val, "event.end", "exited", &ev->exited, err) < 0 ||
            pjson_get_string(val, "event.end", "status", &ev->status, err) < 0 ||
            pjson_get_string(val, "event.end", "error", &ev->error, err) < 0)
            return -1;
        return 0;
    }
    if (!strcmp(name, "keepalive")) {
        ev->kind = ENVD_PROC_KEEPALIVE;
        return 0;
    }
    return error_set(err, ERROR_PROTOCOL, "event: unknown event kind");
}

/* Go's syscall signal names as they appear in ProcessState.String() ("signal: killed"). */
static const char *const go_signal_names[] = {
    NULL,
    "hangup",
    "interrupt",
    "quit",
    "illegal instruction",
    "trace/breakpoint trap",
    "aborted",
    "bus error",
    "floating point exception",
    "killed",
    "user defined signal 1",
    "segmentation fault",
    "user defined signal 2",
    "broken pipe",
    "alarm clock",
    "terminated",
};

int envd_proc_exit_status(const struct envd_proc_event *end)
{
    if (end->exited || !end->status || strncmp(end->status, "signal: ", 8)) {
        if (end->exit_code >= 0 && end->exit_code <= 255) return end->exit_code;
        return end->exit_code < 0 ? 255 : 1;
    }
    int sig = envd_signal_number(end->status + 8);
    return sig ? 128 + sig : 255;
}

int envd_signal_number(const char *s)
{
    for (size_t i = 1; i < sizeof go_signal_names / sizeof go_signal_names[0]; i++) {
        size_t n = strlen(go_signal_names[i]);
        if (!strncmp(s, go_signal_names[i], n) && (s[n] == '\0' || s[n] == ' ')) return (int)i;
    }
    /* "signal 34" for signals without a name. */
    int n = 0;
    if (!strncmp(s, "signal ", 7) && (n = atoi(s + 7)) > 0 && n < 128) return n;
    return 0;
}

static char *dup_opt(const char *s)
{
    return s ? strdup(s) : NULL;
}

int envd_entry_parse(const cJSON *o, const char *path, struct envd_entry *e, struct error *err)
{
    memset(e, 0, sizeof *e);
    const char *name, *p, *perm, *owner, *group, *mtime, *target;
    int type;
    if (json_expect_object(o, path, err) < 0 || pjson_get_string(o, path, "name", &name, err) < 0 ||
        pjson_get_enum(o, path, "type", file_type_enum, &type, err) < 0 ||
        pjson_get_string(o, path, "path", &p, err) < 0 ||
        pjson_get_int64(o, path, "size", &e->size, err) < 0 ||
        pjson_get_uint32(o, path, "mode", &e->mode, err) < 0 ||
        pjson_get_string(o, path, "permissions", &perm, err) < 0 ||
        pjson_get_string(o, path, "owner", &owner, err) < 0 ||
        pjson_get_string(o, path, "group", &group, err) < 0 ||
        pjson_get_string(o, path, "modifiedTime", &mtime, err) < 0 ||
        pjson_get_string(o, path, "symlinkTarget", &target, err) < 0)
        return -1;
    if (!name || !*name || !p || !*p)
        return error_set(err, ERROR_PROTOCOL, "%s: entry without name or path", path);
    if (e->size < 0) return error_set(err, ERROR_PROTOCOL, "%s.size: negative", path);
    if (mtime && json_parse_time(mtime, &e->mtime_ms) < 0)
        return error_set(err, ERROR_PROTOCOL, "%s.modifiedTime: not an RFC 3339 time", path);
    e->type = (type >= 0 && type <= 3) ? (enum envd_file_type)type : ENVD_FILE_UNSPECIFIED;
    e->name = strdup(name);
    e->path = strdup(p);
    e->permissions = dup_opt(perm);
    e->owner = dup_opt(owner);
    e->group = dup_opt(group);
    e->symlink_target = dup_opt(target);
    if (!e->name || !e->path || (perm && !e->permissions) || (owner && !e->owner) ||
        (group && !e->group) || (target && !e->symlink_target)) {
        envd_entry_free(e);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

void envd_entry_free(struct envd_entry *e)
{
    free(e->name);
    free(e->path);
    free(e->permissions);
    free(e->owner);
    free(e->group);
    free(e->symlink_target);
    memset(e, 0, sizeof *e);
}

int envd_entries_parse(const cJSON *resp, struct envd_entries *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    const cJSON *arr;
    if (json_expect_object(resp, "ListDirResponse", err) < 0 ||
        json_opt_array(resp, "ListDirResponse", "entries", &arr, err) < 0)
        return -1;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n == 0) return 0;
    out->v = calloc((size_t)n, sizeof *out->v);
    if (!out->v) return error_set(err, ERROR_GENERIC, "out of memory");
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        char where[64];
        json_path_index(where, sizeof where, "entries", (int)out->n);
        if (envd_entry_parse(it, where, &out->v[out->n], err) < 0) {
            envd_entries_free(out);
            return -1;
        }
        out->n++;
    }
    return 0;
}

void envd_entries_free(struct envd_entries *es)
{
    for (size_t i = 0; i < es->n; i++)
        envd_entry_free(&es->v[i]);
    free(es->v);
    es->v = NULL;
    es->n = 0;
}

int envd_entry_response_parse(const cJSON *resp, struct envd_entry *e, struct error *err)
{
    const cJSON *entry;
    memset(e, 0, sizeof *e);
    if (json_expect_object(resp, "response", err) < 0 ||
        json_get_object(resp, "response", "entry", &entry, err) < 0)
        return -1;
    return envd_entry_parse(entry, "response.entry", e, err);
}

static int process_info_parse(const cJSON *o, const char *path, struct envd_process_info *p,
                              struct error *err)
{
    const cJSON *config, *args;
    const char *tag, *cmd, *cwd;
    char sub[96];
    memset(p, 0, sizeof *p);
    if (json_expect_object(o, path, err) < 0 ||
        pjson_get_uint32(o, path, "pid", &p->pid, err) < 0 ||
        pjson_get_string(o, path, "tag", &tag, err) < 0 ||
        json_get_object(o, path, "config", &config, err) < 0)
        return -1;
    json_path_key(sub, sizeof sub, path, "config");
    if (json_get_string(config, sub, "cmd", &cmd, err) < 0 ||
        pjson_get_string(config, sub, "cwd", &cwd, err) < 0 ||
        json_opt_array(config, sub, "args", &args, err) < 0)
        return -1;
    int n = args ? cJSON_GetArraySize(args) : 0;
    p->args = calloc((size_t)n + 1, sizeof *p->args);
    p->cmd = strdup(cmd);
    p->tag = dup_opt(tag);
    p->cwd = dup_opt(cwd);
    if (!p->args || !p->cmd || (tag && !p->tag) || (cwd && !p->cwd))
        return error_set(err, ERROR_GENERIC, "out of memory");
    for (int i = 0; i < n; i++) {
        const cJSON *a = cJSON_GetArrayItem(args, i);
        if (!cJSON_IsString(a))
            return error_set(err, ERROR_PROTOCOL, "%s.args[%d]: expected a string", sub, i);
        if (!(p->args[i] = strdup(a->valuestring)))
            return error_set(err, ERROR_GENERIC, "out of memory");
    }
    return 0;
}

static void process_info_free(struct envd_process_info *p)
{
    for (size_t i = 0; p->args && p->args[i]; i++)
        free(p->args[i]);
    free(p->args);
    free(p->tag);
    free(p->cmd);
    free(p->cwd);
    memset(p, 0, sizeof *p);
}

int envd_processes_parse(const cJSON *resp, struct envd_processes *out, struct error *err)
{
    const cJSON *arr;
    memset(out, 0, sizeof *out);
    if (json_expect_object(resp, "ListResponse", err) < 0 ||
        json_opt_array(resp, "ListResponse", "processes", &arr, err) < 0)
        return -1;
    int n = arr ? cJSON_GetArraySize(arr) : 0;
    if (n == 0) return 0;
    out->v = calloc((size_t)n, sizeof *out->v);
    if (!out->v) return error_set(err, ERROR_GENERIC, "out of memory");
    for (int i = 0; i < n; i++) {
        char where[64];
        json_path_index(where, sizeof where, "processes", i);
        out->n++;
        if (process_info_parse(cJSON_GetArrayItem(arr, i), where, &out->v[i], err) < 0) {
            envd_processes_free(out);
            return -1;
        }
    }
    return 0;
}

void envd_processes_free(struct envd_processes *ps)
{
    for (size_t i = 0; i < ps->n; i++)
        process_info_free(&ps->v[i]);
    free(ps->v);
    ps->v = NULL;
    ps->n = 0;
}

int envd_fs_event_parse(const char *json, size_t len, struct envd_fs_event *ev,
                        struct envd_parse *keep, struct error *err)
{
    envd_parse_free(keep);
    memset(ev, 0, sizeof *ev);
    keep->root = json_parse(json, len, err);
    if (!keep->root) return -1;
    const char *name;
    const cJSON *val;
    if (oneof(keep->root, "WatchDirResponse", &name, &val, err) < 0) return -1;
    if (!cJSON_IsObject(val))
        return error_set(err, ERROR_PROTOCOL, "WatchDirResponse.%s: expected an object", name);
    if (!strcmp(name, "start")) {
        ev->kind = ENVD_FS_START;
        return 0;
    }
    if (!strcmp(name, "keepalive")) {
        ev->kind = ENVD_FS_KEEPALIVE;
        return 0;
    }
    if (!strcmp(name, "filesystem")) {
        int op;
        ev->kind = ENVD_FS_EVENT;
        if (pjson_get_string(val, "filesystem", "name", &ev->name, err) < 0 ||
            pjson_get_enum(val, "filesystem", "type", event_type_enum, &op, err) < 0)
            return -1;
        ev->op = (op >= 0 && op <= 5) ? (enum envd_fs_op)op : ENVD_FS_OP_UNSPECIFIED;
        if (!ev->name) ev->name = "";
        return 0;
    }
    return error_set(err, ERROR_PROTOCOL, "WatchDirResponse: unknown event kind");
}
