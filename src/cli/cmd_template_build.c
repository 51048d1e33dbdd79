/* cmd_template_build.c - `boxtop template build FILE` and following a build's status: the
 * calls the SDK's Template.build() makes (protocol/templates-build.md §1): POST /v3/templates,
 * per COPY the files link and the upload, POST /v2/templates/{id}/builds/{bid}, then status
 * polls with logsOffset every 200 ms. Works the same against E2B cloud and boxtopd. */
#include "config.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/dockerfile.h"
#include "boxtop/http.h"
#include "boxtop/json.h"
#include "boxtop/i18n.h"
#include "boxtop/tpl_context.h"
#include "cli_private.h"
#include "cmd_template.h"

#define POLL_MS 200

struct put {
    bool done;
    long status;
    struct error err;
};

static void put_done(struct http_request *req, struct http_result *res, void *ud)
{
    (void)req;
    struct put *p = ud;
    p->done = true;
    p->status = res->status;
    p->err = res->err;
}

/* The upload: a plain PUT of the archive, no API key, no Content-Type (signed URLs). */
static int upload(struct cli *c, const char *url, const struct buf *tgz, struct error *err)
{
    struct put p = {0};
    static const char *const hdrs[] = {"Content-Type:", NULL};
    struct http_opts o = {.method = "PUT",
                          .url = url,
                          .headers = hdrs,
                          .body = tgz->data,
                          .body_len = tgz->len,
                          .on_done = put_done,
                          .ud = &p,
                          .timeout_ms = 3600 * 1000};
    struct http_request *rq = http_start(c->http, &o, err);
    if (!rq) return -1;
    http_run_until_done(c->http, rq);
    if (!p.done) return error_set(err, ERROR_GENERIC, _("the upload did not finish"));
    if (p.status < 200 || p.status >= 300) {
        *err = p.err;
        if (err->kind == ERROR_NONE)
            error_set(err, ERROR_GENERIC, _("upload failed: HTTP %ld"), p.status);
        return -1;
    }
    return 0;
}

static int copy_steps(struct cli *c, const char *tid, const char *ctx, cJSON *steps,
                      struct error *err)
{
    cJSON *s;
    cJSON_ArrayForEach(s, steps)
    {
        if (strcmp(json_str(s, "type"), "COPY") != 0) continue;
        const cJSON *args = cJSON_GetObjectItemCaseSensitive(s, "args");
        const char *src = cJSON_GetArrayItem(args, 0)->valuestring;
        const char *dest = cJSON_GetArrayItem(args, 1)->valuestring;
        struct buf tgz = BUF_INIT;
        char hash[65], path[256];
        if (tpl_context_pack(ctx, src, dest, &tgz, hash, err) < 0) {
            buf_free(&tgz);
            return -1;
        }
        cJSON_AddStringToObject(s, "filesHash", hash);
        struct buf p = BUF_INIT;
        buf_append_str(&p, "/templates/");
        api_uri_component(tid, &p);
        snprintf(path, sizeof path, "/files/%s", hash);
        buf_append_str(&p, path);
        cJSON *link = NULL;
        int rc = cli_json_call(c, "GET", buf_cstr(&p), NULL, &link, err);
        buf_free(&p);
        const cJSON *present = cJSON_GetObjectItemCaseSensitive(link, "present");
        const char *url = json_str(link, "url");
        if (rc == 0 && !cJSON_IsTrue(present) && url) rc = upload(c, url, &tgz, err);
        if (rc == 0 && c->out != CLI_OUT_JSON) {
            char line[600];
            snprintf(line, sizeof line,
                     cJSON_IsTrue(present) ? _("Skipping upload of '%s', already cached")
                                           : _("Uploaded '%s'"),
                     src);
            cli_print_line(c->stderr_fp, line);
        }
        cJSON_Delete(link);
        buf_free(&tgz);
        if (rc < 0) return -1;
    }
    return 0;
}

int cli_template_follow(struct cli *c, const char *tid, const char *bid, bool follow, char *status,
                        size_t sn, struct error *err)
{
    long long offset = 0;
    bool terminal = false;
    for (;;) {
        struct buf p = BUF_INIT;
        buf_append_str(&p, "/templates/");
        api_uri_component(tid, &p);
        buf_append_str(&p, "/builds/");
        api_uri_component(bid, &p);
        buf_printf(&p, "/status?logsOffset=%lld", offset);
        cJSON *st = NULL;
        int rc = cli_json_call(c, "GET", buf_cstr(&p), NULL, &st, err);
        buf_free(&p);
        if (rc < 0) return -1;
        const char *s = json_str(st, "status");
        snprintf(status, sn, "%s", s ? s : "unknown");
        const cJSON *ents = cJSON_GetObjectItemCaseSensitive(st, "logEntries"), *e;
        int n = 0;
        cJSON_ArrayForEach(e, ents)
        {
            n++;
            if (c->out == CLI_OUT_JSON) continue;
            char line[4200];
            const char *lvl = json_str(e, "level"), *msg = json_str(e, "message");
            snprintf(line, sizeof line, "%-5s %s", lvl ? lvl : "", msg ? msg : "");
            cli_print_line(c->stdout_fp, line);
        }
        offset += n;
        if (s && (!strcmp(s, "ready") || !strcmp(s, "error"))) {
            const cJSON *reason = cJSON_GetObjectItemCaseSensitive(st, "reason");
            if (!strcmp(s, "error") && json_str(reason, "message"))
                error_set(err, ERROR_GENERIC, _("build failed: %s"), json_str(reason, "message"));
            if (n == 0 || terminal) {
                cJSON_Delete(st);
                break;
            }
            terminal = true;
        }
        cJSON_Delete(st);
        if (!follow) break;
        if (n < 100) cli_wait_ms(c, POLL_MS);
    }
    return 0;
}

int cli_template_build(struct cli *c, const char *file, const char *name, int cpu, int memory,
                       bool follow)
{
    struct error err = {0};
    struct buf text = BUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f) {
        error_set(&err, ERROR_USAGE, _("cannot open %s"), file);
        return cli_fail(c, &err);
    }
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && text.len <= DOCKERFILE_MAX_BYTES)
        buf_append(&text, chunk, n);
    fclose(f);
    struct dockerfile df;
    if (dockerfile_parse(text.data ? text.data : "", text.len, &df, &err) < 0) {
        buf_free(&text);
        char msg[ERROR_MSG_MAX];
        memcpy(msg, err.msg, sizeof msg);
        error_set(&err, ERROR_USAGE, "%.200s: %.300s", file, msg);
        return cli_fail(c, &err);
    }
    buf_free(&text);
    char *fcopy = strdup(file);
    const char *ctx = fcopy ? dirname(fcopy) : ".";
    int rc = CLI_EXIT_ERROR;
    cJSON *req = cJSON_CreateObject(), *resp = NULL, *start = cJSON_CreateObject();
    if (cli_connect(c, &err) < 0) goto fail;
    cJSON_AddStringToObject(req, "name", name);
    cJSON_AddNumberToObject(req, "cpuCount", cpu);
    cJSON_AddNumberToObject(req, "memoryMB", memory);
    if (cli_json_call(c, "POST", "/v3/templates", req, &resp, &err) < 0) goto fail;
    const char *tid = json_str(resp, "templateID"), *bid = json_str(resp, "buildID");
    if (!tid || !bid) {
        error_set(&err, ERROR_PROTOCOL, _("the server's answer has no templateID/buildID"));
        goto fail;
    }
    if (copy_steps(c, tid, ctx, df.steps, &err) < 0) goto fail;
    if (df.from_image)
        cJSON_AddStringToObject(start, "fromImage", df.from_image);
    else
        cJSON_AddStringToObject(start, "fromTemplate", df.from_template);
    cJSON_AddBoolToObject(start, "force", false);
    cJSON_AddItemToObject(start, "steps", df.steps);
    df.steps = NULL;
    if (df.start_cmd) cJSON_AddStringToObject(start, "startCmd", df.start_cmd);
    struct buf p = BUF_INIT;
    buf_append_str(&p, "/v2/templates/");
    api_uri_component(tid, &p);
    buf_append_str(&p, "/builds/");
    api_uri_component(bid, &p);
    int k = cli_json_call(c, "POST", buf_cstr(&p), start, NULL, &err);
    buf_free(&p);
    if (k < 0) goto fail;
    char status[32] = "building";
    if (follow && cli_template_follow(c, tid, bid, true, status, sizeof status, &err) < 0)
        goto fail;
    if (c->out == CLI_OUT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "templateID", tid);
        cJSON_AddStringToObject(o, "buildID", bid);
        cJSON_AddStringToObject(o, "status", status);
        if (err.kind != ERROR_NONE) cJSON_AddStringToObject(o, "error", err.msg);
        cli_print_json(c, o, false);
    } else {
        char line[200];
        snprintf(line, sizeof line, "%s %s %s", tid, bid, status);
        cli_print_line(c->stdout_fp, line);
    }
    if (!strcmp(status, "error")) goto fail;
    rc = CLI_EXIT_OK;
    goto out;
fail:
    if (err.kind == ERROR_NONE) error_set(&err, ERROR_GENERIC, _("the build failed"));
    rc = cli_fail(c, &err);
out:
    cJSON_Delete(req);
    cJSON_Delete(resp);
    cJSON_Delete(start);
    dockerfile_free(&df);
    free(fcopy);
    return rc;
}
