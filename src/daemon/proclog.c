/* proclog.c - envd's process log lines and output capture (see proclog.h). */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "proclog.h"

static cJSON *common(const struct proclog_ids *ids, const char *event_type, uint32_t pid)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "logger", "process");
    if (ids->operation_id) cJSON_AddStringToObject(o, "operation_id", ids->operation_id);
    cJSON_AddStringToObject(o, "event_type", event_type);
    cJSON_AddNumberToObject(o, "pid", pid);
    /* envd's exporter */
    cJSON_AddStringToObject(o, "instanceID", ids->sandbox_id ? ids->sandbox_id : "");
    cJSON_AddStringToObject(o, "envID", ids->template_id ? ids->template_id : "unknown");
    /* the collector (Vector's http_server source) */
    cJSON_AddStringToObject(o, "sandboxID", ids->sandbox_id ? ids->sandbox_id : "");
    cJSON_AddStringToObject(o, "teamID", ids->team_id ? ids->team_id : "");
    cJSON_AddStringToObject(o, "buildID", "unknown");
    cJSON_AddStringToObject(o, "category", "default");
    cJSON_AddStringToObject(o, "service", "envd");
    cJSON_AddStringToObject(o, "source_type", "http_server");
    return o;
}

cJSON *proclog_start_raw(const struct proclog_ids *ids, uint32_t pid, const char *command,
                         double request_timeout_ms)
{
    cJSON *o = common(ids, "process_start", pid);
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "command", command ? command : "");
    cJSON_AddNumberToObject(o, "request_timeout_ms",
                            request_timeout_ms > 0 ? request_timeout_ms : 0);
    return o;
}

void proclog_status_text(int exit_code, int signo, char *out, size_t n)
{
    if (signo > 0) {
        const char *s = strsignal(signo);
        char low[64];
        size_t i = 0;
        for (; s && s[i] && i + 1 < sizeof low; i++)
            low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        low[i] = '\0';
        snprintf(out, n, "signal: %s", low);
    } else {
        snprintf(out, n, "exit status %d", exit_code);
    }
}

cJSON *proclog_end_raw(const struct proclog_ids *ids, uint32_t pid, int exit_code, int signo,
                       uint64_t stdout_bytes, uint64_t stderr_bytes, uint64_t pty_bytes)
{
    char status[96];
    cJSON *o = common(ids, "process_end", pid);
    cJSON *r = o ? cJSON_AddObjectToObject(o, "process_result") : NULL;
    if (!r) {
        cJSON_Delete(o);
        return NULL;
    }
    /* envd's ProcessResult: zero values omitted (omitempty), -1 for a signal */
    int code = signo > 0 ? -1 : exit_code;
    proclog_status_text(exit_code, signo, status, sizeof status);
    if (code != 0) cJSON_AddNumberToObject(r, "exit_code", code);
    if (signo <= 0) cJSON_AddBoolToObject(r, "exited", 1);
    cJSON_AddStringToObject(r, "status", status);
    if (code != 0) cJSON_AddStringToObject(r, "error", status);
    cJSON_AddNumberToObject(o, "stdout_bytes", (double)stdout_bytes);
    cJSON_AddNumberToObject(o, "stderr_bytes", (double)stderr_bytes);
    cJSON_AddNumberToObject(o, "pty_bytes", (double)pty_bytes);
    return o;
}

cJSON *proclog_output_raw(const struct proclog_ids *ids, uint32_t pid, bool is_stderr)
{
    cJSON *o = common(ids, "process_output", pid);
    if (o) cJSON_AddStringToObject(o, "stream", is_stderr ? "stderr" : "stdout");
    return o;
}

char *proclog_command(const char *cmd, const char *const *args, size_t nargs)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, cmd ? cmd : "");
    for (size_t i = 0; i < nargs; i++) {
        buf_append_byte(&b, ' ');
        buf_append_str(&b, args[i] ? args[i] : "");
    }
    char *s = strdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

void proclog_out_init(struct proclog_out *o)
{
    memset(o, 0, sizeof *o);
    o->budget = PROCLOG_OUT_BYTES;
}

void proclog_out_free(struct proclog_out *o)
{
    buf_free(&o->part[0]);
    buf_free(&o->part[1]);
}

static void emit(struct proclog_out *o, bool is_stderr, const char *line, size_t len,
                 proclog_line_cb cb, void *ud)
{
    if (o->truncated) return;
    if (o->budget <= 0 || o->records >= PROCLOG_OUT_RECORDS) {
        o->truncated = true;
        cb(ud, is_stderr, true, NULL, 0);
        return;
    }
    if (len && line[len - 1] == '\r') len--;
    o->budget -= (int64_t)len;
    o->records++;
    cb(ud, is_stderr, false, line, len);
}

void proclog_out_feed(struct proclog_out *o, bool is_stderr, const char *data, size_t n,
                      proclog_line_cb cb, void *ud)
{
    struct buf *part = &o->part[is_stderr];
    while (n > 0) {
        if (o->truncated) { /* nothing more is recorded; keep no partial line */
            buf_reset(part);
            return;
        }
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        size_t room = PROCLOG_LINE_MAX - part->len;
        if (take > room || (!nl && take == room)) { /* a full record, no newline: cut */
            buf_append(part, data, room);
            emit(o, is_stderr, part->data, part->len, cb, ud);
            buf_reset(part);
            data += room;
            n -= room;
            continue;
        }
        if (!nl) {
            buf_append(part, data, n);
            return;
        }
        if (part->len) {
            buf_append(part, data, take);
            emit(o, is_stderr, part->data, part->len, cb, ud);
            buf_reset(part);
        } else {
            emit(o, is_stderr, data, take, cb, ud);
        }
        data += take + 1;
        n -= take + 1;
    }
}

void proclog_out_flush(struct proclog_out *o, proclog_line_cb cb, void *ud)
{
    for (int i = 0; i < 2; i++) {
        if (o->part[i].len) emit(o, i == 1, o->part[i].data, o->part[i].len, cb, ud);
        buf_reset(&o->part[i]);
    }
}
