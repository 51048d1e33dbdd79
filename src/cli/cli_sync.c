/* cli_sync.c - synchronous use of the async API for one-shot commands, and JSON output. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "cli_private.h"

void cli_sync_cb(struct api_result *res, void *ud)
{
    struct cli_sync *s = ud;
    s->done = true;
    s->err = res->err;
    s->status = res->status;
    s->body_len = res->body_len;
    /* move the models out: the API frees what is left in res */
    s->sandboxes = res->sandboxes;
    memset(&res->sandboxes, 0, sizeof res->sandboxes);
    s->next_token = res->next_token;
    res->next_token = NULL;
    s->sandbox = res->sandbox;
    memset(&res->sandbox, 0, sizeof res->sandbox);
    s->metrics = res->metrics;
    memset(&res->metrics, 0, sizeof res->metrics);
    s->logs = res->logs;
    memset(&res->logs, 0, sizeof res->logs);
}

int cli_sync_wait(struct cli *c, struct api_call *call, struct cli_sync *s)
{
    if (!call) {
        error_set(&s->err, ERROR_GENERIC, _("cannot start the request"));
        return -1;
    }
    api_wait(c->api, call);
    if (!s->done) error_set(&s->err, ERROR_GENERIC, _("the request did not finish"));
    return s->done && s->err.kind == ERROR_NONE ? 0 : -1;
}

bool cli_sandbox_running(struct cli *c, const char *id, int *rc)
{
    struct cli_sync g = {0};
    bool running = cli_sync_wait(c, api_get_sandbox(c->api, id, cli_sync_cb, &g), &g) == 0 &&
                   g.sandbox.state == SANDBOX_RUNNING;
    if (!running && g.err.kind != ERROR_NONE && g.err.kind != ERROR_NOT_FOUND)
        *rc = cli_fail(c, &g.err);
    else if (!running)
        fprintf(c->stderr_fp, "%s", _("boxtop: the sandbox is no longer running\n"));
    cli_sync_free(&g);
    return running;
}

void cli_raw_cb(struct api_result *res, void *ud)
{
    struct cli_raw *r = ud;
    r->done = true;
    r->err = res->err;
    r->status = res->status;
    if (res->body && (r->body = malloc(res->body_len + 1))) {
        memcpy(r->body, res->body, res->body_len);
        r->body[res->body_len] = '\0';
        r->len = res->body_len;
    }
}

int cli_raw_wait(struct cli *c, struct api_call *call, struct cli_raw *r)
{
    if (!call) return error_set(&r->err, ERROR_GENERIC, _("cannot start the request"));
    api_wait(c->api, call);
    if (!r->done) return error_set(&r->err, ERROR_GENERIC, _("the request did not finish"));
    return r->err.kind == ERROR_NONE ? 0 : -1;
}

int cli_json_call(struct cli *c, const char *method, const char *path, cJSON *body, cJSON **out,
                  struct error *err)
{
    struct cli_raw r = {0};
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    int rc = cli_raw_wait(c, api_request_raw(c->api, method, path, text, cli_raw_cb, &r), &r);
    free(text);
    if (rc < 0) {
        *err = r.err;
        free(r.body);
        return -1;
    }
    if (out) *out = r.body && r.len ? cJSON_ParseWithLength(r.body, r.len) : NULL;
    free(r.body);
    return 0;
}

/* Stat a sandbox path, waiting for the answer. */
struct stat_wait {
    bool done;
    int rc;
    struct envd_entry e;
    struct error err;
};

static void on_stat(const cJSON *resp, const struct error *err, void *ud)
{
    struct stat_wait *w = ud;
    w->done = true;
    if (err) w->err = *err;
    w->rc = err ? -1 : envd_entry_response_parse(resp, &w->e, &w->err);
}

int cli_sync_stat(struct cli *c, struct envd_client *envd, const char *path, struct envd_entry *e,
                  struct error *err)
{
    struct stat_wait w = {0};
    if (!envd_fs_stat(envd, path, on_stat, &w, err)) return -1;
    while (!w.done && loop_run_once(c->loop, 1000) >= 0)
        ;
    if (!w.done) return error_set(err, ERROR_GENERIC, "%s", _("event loop failed"));
    *e = w.e;
    if (w.rc < 0) *err = w.err;
    return w.rc;
}

void cli_sync_free(struct cli_sync *s)
{
    sandbox_list_free(&s->sandboxes);
    free(s->next_token);
    sandbox_free(&s->sandbox);
    metric_list_free(&s->metrics);
    log_list_free(&s->logs);
    memset(s, 0, sizeof *s);
}

int cli_check_known(struct cli *c, const char *id, struct error *err)
{
    struct cli_sync g = {0};
    int rc = 0;
    if (cli_sync_wait(c, api_get_sandbox(c->api, id, cli_sync_cb, &g), &g) < 0 &&
        g.err.kind == ERROR_NOT_FOUND) {
        error_set(err, ERROR_NOT_FOUND, _("sandbox %s not found"), id);
        rc = -1;
    }
    cli_sync_free(&g);
    return rc;
}

void cli_print_json(struct cli *c, cJSON *doc, bool one_line)
{
    char *txt = doc ? (one_line ? cJSON_PrintUnformatted(doc) : cJSON_Print(doc)) : NULL;
    if (txt) {
        /* cJSON leaves C1 controls, DEL, bidi controls and invalid UTF-8 from the server raw:
         * escape them so `--json` on a terminal cannot be steered by sandbox metadata. */
        struct buf safe = BUF_INIT;
        if (cli_json_escape_controls(&safe, txt, strlen(txt)) == 0)
            fprintf(c->stdout_fp, "%s\n", buf_cstr(&safe));
        else
            fprintf(c->stderr_fp, "%s", _("boxtop: out of memory\n"));
        buf_free(&safe);
        fflush(c->stdout_fp);
    }
    free(txt);
    cJSON_Delete(doc);
}

int cli_help(struct cli *c, const char *text)
{
    fputs(text, c->stdout_fp);
    return CLI_EXIT_OK;
}

static void on_wake(struct loop *l, void *ud)
{
    (void)l;
    *(bool *)ud = true;
}

void cli_wait_ms(struct cli *c, int ms)
{
    bool woke = false;
    if (loop_timer_add(c->loop, ms, on_wake, &woke) < 0) return;
    while (!woke && loop_run_once(c->loop, -1) >= 0)
        ;
}
