/* cmd_template.c - `boxtop template ls | info ID | build FILE --name N [--cpu N] [--memory MB]
 * [--follow] | status ID BUILD [--follow] | rm ID... | tag ID TAG...`, all with --json. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/i18n.h"
#include "cli_private.h"
#include "cmd_template.h"

#define TEMPLATE_HELP                                                                              \
    N_("Usage: boxtop template ls [--json]\n"                                                      \
       "       boxtop template info TEMPLATE [--json]\n"                                           \
       "       boxtop template build FILE --name NAME[:TAG] [--cpu N] [--memory MB] [--follow]\n"  \
       "       boxtop template status TEMPLATE BUILD_ID [--follow] [--json]\n"                     \
       "       boxtop template rm TEMPLATE...\n"                                                   \
       "       boxtop template tag TEMPLATE[:TAG] NEW_TAG... [--json]\n"                           \
       "Build templates from an e2b.Dockerfile (FROM base or a template, RUN, COPY, ENV,\n"        \
       "WORKDIR, USER, ARG; its directory is the build context), follow builds, delete\n"          \
       "and tag them.\n")

struct raw {
    bool done;
    struct error err;
    long status;
    char *body;
    size_t len;
};

static void raw_cb(struct api_result *res, void *ud)
{
    struct raw *r = ud;
    r->done = true;
    r->err = res->err;
    r->status = res->status;
    if (res->body && (r->body = malloc(res->body_len + 1))) {
        memcpy(r->body, res->body, res->body_len);
        r->body[res->body_len] = '\0';
        r->len = res->body_len;
    }
}

/* method path (json body) → parsed answer in *out; on failure prints and returns the code. */
static int req(struct cli *c, const char *method, const char *path, cJSON *body, cJSON **out)
{
    struct raw r = {0};
    struct error err = {0};
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;
    struct api_call *k = api_request_raw(c->api, method, path, text, raw_cb, &r);
    free(text);
    if (k) api_wait(c->api, k);
    if (!k || !r.done) {
        free(r.body);
        error_set(&err, ERROR_GENERIC, _("the request did not finish"));
        return cli_fail(c, &err);
    }
    if (r.err.kind != ERROR_NONE) {
        free(r.body);
        return cli_fail(c, &r.err);
    }
    if (out) *out = r.body && r.len ? cJSON_ParseWithLength(r.body, r.len) : NULL;
    free(r.body);
    return -1;
}

static const char *js(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double jn(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void first_name(const cJSON *t, char *out, size_t n)
{
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(t, "aliases"), 0);
    snprintf(out, n, "%s", cJSON_IsString(a) ? a->valuestring : "-");
}

static int tpl_ls(struct cli *c)
{
    cJSON *arr = NULL;
    int rc = req(c, "GET", "/templates", NULL, &arr);
    if (rc >= 0) return rc;
    if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, arr ? arr : cJSON_CreateArray(), false);
        return CLI_EXIT_OK;
    }
    static const char *const hdr[] = {N_("TEMPLATE"), N_("NAME"),   N_("STATUS"), N_("BUILDS"),
                                      N_("CPU"),      N_("MEMORY"), N_("UPDATED")};
    const char *h[7];
    for (int i = 0; i < 7; i++)
        h[i] = _(hdr[i]);
    struct cli_table *t = cli_table_new(7, h);
    const cJSON *x;
    cJSON_ArrayForEach(x, arr)
    {
        char name[80], builds[16], cpu[16], mem[24];
        first_name(x, name, sizeof name);
        snprintf(builds, sizeof builds, "%.0f", jn(x, "buildCount"));
        snprintf(cpu, sizeof cpu, "%.0f", jn(x, "cpuCount"));
        snprintf(mem, sizeof mem, "%.0fM", jn(x, "memoryMB"));
        const char *row[7] = {js(x, "templateID"), name, js(x, "buildStatus"), builds, cpu, mem,
                              js(x, "updatedAt")};
        if (t) cli_table_add_row(t, row);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
    cJSON_Delete(arr);
    return CLI_EXIT_OK;
}

static void tpl_path(struct buf *p, const char *id, const char *suffix)
{
    buf_append_str(p, "/templates/");
    api_uri_component(id, p);
    buf_append_str(p, suffix);
}

static int tpl_info(struct cli *c, const char *id)
{
    struct buf p = BUF_INIT;
    tpl_path(&p, id, "");
    cJSON *o = NULL;
    int rc = req(c, "GET", buf_cstr(&p), NULL, &o);
    buf_free(&p);
    if (rc >= 0) return rc;
    if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, o, false);
        return CLI_EXIT_OK;
    }
    char line[512], name[80];
    first_name(o, name, sizeof name);
    snprintf(line, sizeof line, _("template %s (%s)  %.0f vCPU  %.0f MiB  public: %s"),
             js(o, "templateID"), name, jn(o, "cpuCount"), jn(o, "memoryMB"),
             cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "public")) ? _("yes") : _("no"));
    cli_print_line(c->stdout_fp, line);
    static const char *const hdr[] = {N_("BUILD"), N_("STATUS"), N_("CREATED"), N_("FINISHED")};
    const char *h[4];
    for (int i = 0; i < 4; i++)
        h[i] = _(hdr[i]);
    struct cli_table *t = cli_table_new(4, h);
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(o, "builds"))
    {
        const char *row[4] = {js(b, "buildID"), js(b, "status"), js(b, "createdAt"),
                              *js(b, "finishedAt") ? js(b, "finishedAt") : "-"};
        if (t) cli_table_add_row(t, row);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
    cJSON_Delete(o);
    return CLI_EXIT_OK;
}

static int tpl_rm(struct cli *c, const char **ids, int n)
{
    if (!n) return cli_usage_error(c, "template rm", _("missing TEMPLATE"));
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < n; i++) {
        struct buf p = BUF_INIT;
        tpl_path(&p, ids[i], "");
        int k = req(c, "DELETE", buf_cstr(&p), NULL, NULL);
        buf_free(&p);
        if (k >= 0) {
            rc = k;
            continue;
        }
        char line[300];
        snprintf(line, sizeof line, _("deleted %s"), ids[i]);
        cli_print_line(c->stdout_fp, line);
    }
    return rc;
}

static int tpl_tag(struct cli *c, const char **pos, int n)
{
    if (n < 2) return cli_usage_error(c, "template tag", _("missing TEMPLATE or TAG"));
    cJSON *body = cJSON_CreateObject(), *tags = cJSON_AddArrayToObject(body, "tags");
    cJSON_AddStringToObject(body, "target", pos[0]);
    for (int i = 1; i < n; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(pos[i]));
    cJSON *o = NULL;
    int rc = req(c, "POST", "/templates/tags", body, &o);
    cJSON_Delete(body);
    if (rc >= 0) return rc;
    if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, o, false);
    } else {
        char line[200];
        snprintf(line, sizeof line, _("tagged build %s"), js(o, "buildID"));
        cli_print_line(c->stdout_fp, line);
        cJSON_Delete(o);
    }
    return CLI_EXIT_OK;
}

static int tpl_status(struct cli *c, const char *id, const char *bid, bool follow)
{
    struct error err = {0};
    char status[32];
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    if (cli_template_follow(c, id, bid, follow, status, sizeof status, &err) < 0)
        return cli_fail(c, &err);
    if (c->out == CLI_OUT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "templateID", id);
        cJSON_AddStringToObject(o, "buildID", bid);
        cJSON_AddStringToObject(o, "status", status);
        if (err.kind != ERROR_NONE) cJSON_AddStringToObject(o, "error", err.msg);
        cli_print_json(c, o, false);
    } else {
        cli_print_line(c->stdout_fp, status);
    }
    if (err.kind != ERROR_NONE) return cli_fail(c, &err);
    return CLI_EXIT_OK;
}

int cli_cmd_template(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"cpu", required_argument, NULL, OPT_CPU},
                                         {"memory", required_argument, NULL, OPT_MEMORY},
                                         {"follow", no_argument, NULL, 'f'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *name = NULL, *cpu_s = NULL, *mem_s = NULL, *pos[64];
    int npos = 0;
    bool follow = false;
    struct cli_args a;
    struct error err = {0};
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == CLI_ARG_ERROR) return cli_usage_error(c, argv[0], "%s", err.msg);
        if (k == CLI_ARG_DASHDASH) continue;
        if (k == CLI_ARG_POSITIONAL) {
            if (npos == 64) return cli_usage_error(c, argv[0], _("too many arguments"));
            pos[npos++] = a.value;
            continue;
        }
        if (k == 'h') return cli_help(c, _(TEMPLATE_HELP));
        if (k == OPT_JSON) c->out = CLI_OUT_JSON;
        if (k == 'f') follow = true;
        if (k == 'n') name = a.value;
        if (k == OPT_CPU) cpu_s = a.value;
        if (k == OPT_MEMORY) mem_s = a.value;
    }
    if (!npos) return cli_help(c, _(TEMPLATE_HELP));
    const char *sub = pos[0];
    if (!strcmp(sub, "ls") || !strcmp(sub, "list")) return tpl_ls(c);
    if (!strcmp(sub, "info")) {
        if (npos != 2) return cli_usage_error(c, "template info", _("missing TEMPLATE"));
        return tpl_info(c, pos[1]);
    }
    if (!strcmp(sub, "rm")) return tpl_rm(c, pos + 1, npos - 1);
    if (!strcmp(sub, "tag")) return tpl_tag(c, pos + 1, npos - 1);
    if (!strcmp(sub, "status")) {
        if (npos != 3)
            return cli_usage_error(c, "template status", _("missing TEMPLATE or BUILD_ID"));
        return tpl_status(c, pos[1], pos[2], follow);
    }
    if (!strcmp(sub, "build")) {
        int cpu = 2, mem = 1024;
        if (npos != 2) return cli_usage_error(c, "template build", _("missing FILE"));
        if (!name) return cli_usage_error(c, "template build", _("missing --name"));
        if (cpu_s && cli_parse_int(cpu_s, "--cpu", &cpu, &err) < 0)
            return cli_usage_error(c, "template build", "%s", err.msg);
        if (mem_s && cli_parse_int(mem_s, "--memory", &mem, &err) < 0)
            return cli_usage_error(c, "template build", "%s", err.msg);
        return cli_template_build(c, pos[1], name, cpu, mem, follow);
    }
    return cli_usage_error(c, argv[0], _("unknown argument: %s"), sub);
}
