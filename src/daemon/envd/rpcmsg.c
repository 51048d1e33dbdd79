/* rpcmsg.c - proto3-JSON decoding of envd requests (see rpcmsg.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/base64.h"
#include "rpcmsg.h"

static const cJSON *field(const cJSON *msg, const char *json_name, const char *proto_name)
{
    if (!cJSON_IsObject(msg)) return NULL;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(msg, json_name);
    if (!v && proto_name) v = cJSON_GetObjectItemCaseSensitive(msg, proto_name);
    if (v && cJSON_IsNull(v)) return NULL;
    return v;
}

int denvd_get_str(const cJSON *msg, const char *json_name, const char *proto_name, const char **out,
                  struct error *err)
{
    *out = NULL;
    const cJSON *v = field(msg, json_name, proto_name);
    if (!v) return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return error_set(err, ERROR_USAGE, "field %s: expected a string", json_name);
    *out = v->valuestring;
    return 0;
}

static int u32_of(const cJSON *v, const char *name, uint32_t *out, struct error *err)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d)
            return error_set(err, ERROR_USAGE, "field %s: not a uint32", name);
        *out = (uint32_t)d;
        return 0;
    }
    if (cJSON_IsString(v) && v->valuestring && v->valuestring[0]) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(v->valuestring, &end, 10);
        if (errno || *end || x > 0xffffffffULL || v->valuestring[0] == '-')
            return error_set(err, ERROR_USAGE, "field %s: not a uint32", name);
        *out = (uint32_t)x;
        return 0;
    }
    return error_set(err, ERROR_USAGE, "field %s: expected a number", name);
}

int denvd_get_u32(const cJSON *msg, const char *json_name, const char *proto_name, uint32_t *out,
                  struct error *err)
{
    const cJSON *v = field(msg, json_name, proto_name);
    if (!v) return 0; /* keep the caller's default */
    return u32_of(v, json_name, out, err);
}

int denvd_get_bool(const cJSON *msg, const char *json_name, const char *proto_name, bool *out,
                   struct error *err)
{
    const cJSON *v = field(msg, json_name, proto_name);
    if (!v) return 0;
    if (!cJSON_IsBool(v))
        return error_set(err, ERROR_USAGE, "field %s: expected a boolean", json_name);
    *out = cJSON_IsTrue(v);
    return 0;
}

int denvd_parse_selector(const cJSON *msg, const char *key, struct denvd_selector *sel,
                         struct error *err)
{
    memset(sel, 0, sizeof *sel);
    const cJSON *p = field(msg, key, NULL);
    if (p && !cJSON_IsObject(p))
        return error_set(err, ERROR_USAGE, "field %s: expected an object", key);
    const cJSON *pid = field(p, "pid", NULL);
    if (pid) {
        if (u32_of(pid, "pid", &sel->pid, err) < 0) return -1;
        sel->has_pid = true;
        return 0;
    }
    if (denvd_get_str(p, "tag", NULL, &sel->tag, err) < 0) return -1;
    if (!sel->tag) { /* no oneof set: envd's getProcess falls to its default case */
        error_set(err, ERROR_USAGE, "invalid input type *process.ProcessSelector");
        return DENVD_SELECTOR_EMPTY;
    }
    return 0;
}

int denvd_parse_pty(const cJSON *msg, struct denvd_pty_size *pty, struct error *err)
{
    memset(pty, 0, sizeof *pty);
    const cJSON *p = field(msg, "pty", NULL);
    if (!p) return 0;
    if (!cJSON_IsObject(p)) return error_set(err, ERROR_USAGE, "field pty: expected an object");
    pty->present = true;
    const cJSON *size = field(p, "size", NULL);
    if (size && !cJSON_IsObject(size))
        return error_set(err, ERROR_USAGE, "field pty.size: expected an object");
    if (denvd_get_u32(size, "cols", NULL, &pty->cols, err) < 0 ||
        denvd_get_u32(size, "rows", NULL, &pty->rows, err) < 0)
        return -1;
    /* envd truncates to uint16 */
    pty->cols &= 0xffff;
    pty->rows &= 0xffff;
    return 0;
}

void denvd_start_req_free(struct denvd_start_req *req)
{
    free(req->args);
    free(req->env_keys);
    free(req->env_vals);
    memset(req, 0, sizeof *req);
}

int denvd_parse_start(const cJSON *msg, struct denvd_start_req *req, struct error *err)
{
    memset(req, 0, sizeof *req);
    if (!cJSON_IsObject(msg)) return error_set(err, ERROR_USAGE, "request: expected an object");
    /* no process or no cmd is cmd "": envd starts it anyway (its wrapper then exits 127) */
    const cJSON *proc = field(msg, "process", NULL);
    if (proc && !cJSON_IsObject(proc))
        return error_set(err, ERROR_USAGE, "field process: expected an object");
    if (denvd_get_str(proc, "cmd", NULL, &req->cmd, err) < 0) goto fail;
    if (!req->cmd) req->cmd = "";
    const cJSON *args = field(proc, "args", NULL);
    if (args) {
        if (!cJSON_IsArray(args)) {
            error_set(err, ERROR_USAGE, "field args: expected an array");
            goto fail;
        }
        int n = cJSON_GetArraySize(args);
        req->args = calloc((size_t)n + 1, sizeof *req->args);
        if (!req->args) {
            error_set(err, ERROR_GENERIC, "out of memory");
            goto fail;
        }
        const cJSON *a;
        cJSON_ArrayForEach(a, args)
        {
            if (!cJSON_IsString(a) || !a->valuestring) {
                error_set(err, ERROR_USAGE, "field args: expected strings");
                goto fail;
            }
            req->args[req->nargs++] = a->valuestring;
        }
    }
    const cJSON *envs = field(proc, "envs", NULL);
    if (envs) {
        if (!cJSON_IsObject(envs)) {
            error_set(err, ERROR_USAGE, "field envs: expected an object");
            goto fail;
        }
        int n = cJSON_GetArraySize(envs);
        req->env_keys = calloc((size_t)n + 1, sizeof *req->env_keys);
        req->env_vals = calloc((size_t)n + 1, sizeof *req->env_vals);
        if (!req->env_keys || !req->env_vals) {
            error_set(err, ERROR_GENERIC, "out of memory");
            goto fail;
        }
        const cJSON *e;
        cJSON_ArrayForEach(e, envs)
        {
            if (!cJSON_IsString(e) || !e->valuestring || !e->string || !e->string[0] ||
                strchr(e->string, '=')) {
                error_set(err, ERROR_USAGE, "field envs: invalid entry");
                goto fail;
            }
            req->env_keys[req->nenvs] = e->string;
            req->env_vals[req->nenvs++] = e->valuestring;
        }
    }
    if (denvd_get_str(proc, "cwd", NULL, &req->cwd, err) < 0 ||
        denvd_parse_pty(msg, &req->pty, err) < 0 ||
        denvd_get_str(msg, "tag", NULL, &req->tag, err) < 0)
        goto fail;
    const cJSON *st = field(msg, "stdin", NULL);
    if (st) {
        if (!cJSON_IsBool(st)) {
            error_set(err, ERROR_USAGE, "field stdin: expected a boolean");
            goto fail;
        }
        req->has_stdin = true;
        req->stdin_on = cJSON_IsTrue(st);
    }
    return 0;
fail:
    denvd_start_req_free(req);
    return -1;
}

int denvd_parse_input(const cJSON *input_obj, struct denvd_input *in, struct error *err)
{
    in->kind = ENVD_INPUT_NONE;
    buf_reset(&in->data);
    if (!input_obj) return 0;
    if (!cJSON_IsObject(input_obj))
        return error_set(err, ERROR_USAGE, "field input: expected an object");
    const char *b64 = NULL;
    if (denvd_get_str(input_obj, "stdin", NULL, &b64, err) < 0) return -1;
    if (b64) {
        in->kind = ENVD_INPUT_STDIN;
    } else {
        if (denvd_get_str(input_obj, "pty", NULL, &b64, err) < 0) return -1;
        if (b64) in->kind = ENVD_INPUT_PTY;
    }
    if (!b64) return 0;
    if (base64_decode(&in->data, b64, strlen(b64)) < 0)
        return error_set(err, ERROR_USAGE, "input: invalid base64");
    return 0;
}

int denvd_parse_signal(const cJSON *msg, int *signo, struct error *err)
{
    *signo = 0;
    const cJSON *v = field(msg, "signal", NULL);
    if (!v) return 0;
    if (cJSON_IsString(v) && v->valuestring) {
        if (strcmp(v->valuestring, "SIGNAL_SIGKILL") == 0)
            *signo = 9;
        else if (strcmp(v->valuestring, "SIGNAL_SIGTERM") == 0)
            *signo = 15;
        else if (strcmp(v->valuestring, "SIGNAL_UNSPECIFIED") != 0) /* as protojson refuses */
            return error_set(err, ERROR_USAGE, "field signal: invalid enum value");
        return 0;
    }
    if (cJSON_IsNumber(v)) {
        if (v->valuedouble == 9 || v->valuedouble == 15) *signo = (int)v->valuedouble;
        return 0;
    }
    return error_set(err, ERROR_USAGE, "field signal: expected an enum");
}

int denvd_parse_watch(const cJSON *msg, struct denvd_watch_req *w, struct error *err)
{
    memset(w, 0, sizeof *w);
    if (!cJSON_IsObject(msg)) return error_set(err, ERROR_USAGE, "request: expected an object");
    if (denvd_get_str(msg, "path", NULL, &w->path, err) < 0 ||
        denvd_get_bool(msg, "recursive", NULL, &w->recursive, err) < 0 ||
        denvd_get_bool(msg, "includeEntry", "include_entry", &w->include_entry, err) < 0 ||
        denvd_get_bool(msg, "allowNetworkMounts", "allow_network_mounts", &w->allow_network_mounts,
                       err) < 0)
        return -1;
    if (!w->path) w->path = "";
    return 0;
}
