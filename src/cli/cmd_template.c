/* cmd_template.c - `boxtop template ls | info ID | build FILE --name N [--cpu N] [--memory MB]
 * [--follow] | status ID BUILD [--follow] | rm ID... | tag ID TAG... | untag ID TAG...`, all
 * with --json. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "boxtop/i18n.h"
#include "boxtop/json.h"
#include "boxtop/loop.h"
#include "boxtop/template_builds.h"
#include "cli_private.h"
#include "cmd_template.h"

#define TEMPLATE_HELP                                                                              \
    N_("Usage: boxtop template ls [--json]\n"                                                      \
       "       boxtop template info TEMPLATE [--json]\n"                                           \
       "       boxtop template build FILE --name NAME[:TAG] [--cpu N] [--memory MB] [--follow]\n"  \
       "       boxtop template status TEMPLATE BUILD_ID [--follow] [--json]\n"                     \
       "       boxtop template rm TEMPLATE...\n"                                                   \
       "       boxtop template tag TEMPLATE[:TAG] NEW_TAG... [--json]\n"                           \
       "       boxtop template untag TEMPLATE TAG...\n"                                            \
       "Build templates from an e2b.Dockerfile (FROM base or a template, RUN, COPY, ENV,\n"        \
       "WORKDIR, USER, ARG; its directory is the build context), follow builds, delete\n"          \
       "and tag them.\n")

/* method path (json body) → parsed answer in *out; on failure prints and returns the code. */
static int req(struct cli *c, const char *method, const char *path, cJSON *body, cJSON **out)
{
    struct error err = {0};
    if (cli_connect(c, &err) < 0 || cli_json_call(c, method, path, body, out, &err) < 0)
        return cli_fail(c, &err);
    return -1;
}

static const char *js(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
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
        snprintf(builds, sizeof builds, "%.0f", json_num(x, "buildCount", 0));
        snprintf(cpu, sizeof cpu, "%.0f", json_num(x, "cpuCount", 0));
        snprintf(mem, sizeof mem, "%.0fM", json_num(x, "memoryMB", 0));
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

/* "1m12s", "45s", "2h03m"; "-" when it cannot be told. */
static void fmt_took(char *out, size_t n, int64_t ms)
{
    int64_t s = ms / 1000;
    if (ms < 0)
        snprintf(out, n, "-");
    else if (s < 60)
        snprintf(out, n, "%llds", (long long)s);
    else if (s < 3600)
        snprintf(out, n, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(out, n, "%lldh%02lldm", (long long)(s / 3600), (long long)(s / 60 % 60));
}

static void fmt_utc(char *out, size_t n, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!ms || !gmtime_r(&t, &tm))
        snprintf(out, n, "-");
    else
        strftime(out, n, "%Y-%m-%d %H:%M:%SZ", &tm);
}

static void join_strs(struct buf *b, char **v, int n)
{
    for (int i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? "," : "", v[i]);
    if (!n) buf_append_str(b, "-");
}

/* The tags of build id among tl, "-" when none. */
static void tags_of(const struct template_tag_list *tl, const char *id, struct buf *b)
{
    int n = 0;
    for (int i = 0; i < tl->n; i++)
        if (!strcmp(tl->items[i].build_id, id))
            buf_printf(b, "%s%s", n++ ? "," : "", tl->items[i].tag);
    if (!n) buf_append_str(b, "-");
}

/* GET /templates/{id} (TemplateWithBuilds) and /templates/{id}/tags: the template's names,
 * tags and builds with status and duration. --json prints the server's document as it is. */
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
    struct error err = {0};
    struct template_detail d;
    char *text = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    rc = template_detail_parse(text ? text : "", text ? strlen(text) : 0, &d, &err);
    free(text);
    if (rc < 0) return cli_fail(c, &err);
    /* the tags are a second call; a server without it still shows the builds */
    struct template_tag_list tl = {0};
    cJSON *tags = NULL;
    tpl_path(&p, d.id, "/tags");
    if (req(c, "GET", buf_cstr(&p), NULL, &tags) < 0 && tags) {
        char *tt = cJSON_PrintUnformatted(tags);
        if (tt && template_tags_parse(tt, strlen(tt), &tl, &err) < 0) memset(&tl, 0, sizeof tl);
        free(tt);
    }
    cJSON_Delete(tags);
    buf_free(&p);
    struct buf line = BUF_INIT;
    buf_printf(&line, _("template %s  names: "), d.id);
    join_strs(&line, d.n_names ? d.names : d.aliases, d.n_names ? d.n_names : d.n_aliases);
    buf_printf(&line, _("  public: %s"), d.public_ ? _("yes") : _("no"));
    cli_print_line(c->stdout_fp, buf_cstr(&line));
    buf_reset(&line);
    buf_printf(&line, "%s: ", _("tags"));
    for (int i = 0; i < tl.n; i++)
        buf_printf(&line, "%s%s", i ? ", " : "", tl.items[i].tag);
    if (!tl.n) buf_append_str(&line, "-");
    cli_print_line(c->stdout_fp, buf_cstr(&line));
    buf_free(&line);
    static const char *const hdr[] = {N_("BUILD"), N_("STATUS"), N_("TAGS"),  N_("STARTED"),
                                      N_("TOOK"),  N_("CPU"),    N_("MEMORY")};
    const char *h[7];
    for (int i = 0; i < 7; i++)
        h[i] = _(hdr[i]);
    struct cli_table *t = cli_table_new(7, h);
    int64_t now = loop_wall_ms();
    for (int i = 0; t && i < d.n_builds; i++) {
        const struct template_build *b = &d.builds[i];
        char started[40], took[24], cpu[16], mem[24];
        struct buf tg = BUF_INIT;
        tags_of(&tl, b->id, &tg);
        fmt_utc(started, sizeof started, b->created_ms);
        fmt_took(took, sizeof took, template_build_duration_ms(b, now));
        snprintf(cpu, sizeof cpu, "%d", b->cpu_count);
        snprintf(mem, sizeof mem, "%dM", b->memory_mb);
        const char *row[7] = {b->id, b->status, buf_cstr(&tg), started, took, cpu, mem};
        cli_table_add_row(t, row);
        buf_free(&tg);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
    template_tag_list_free(&tl);
    template_detail_free(&d);
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

/* DELETE /templates/tags with a JSON body (the cloud refuses "default"). */
static int tpl_untag(struct cli *c, const char **pos, int n)
{
    if (n < 2) return cli_usage_error(c, "template untag", _("missing TEMPLATE or TAG"));
    cJSON *body = cJSON_CreateObject(), *tags = cJSON_AddArrayToObject(body, "tags");
    cJSON_AddStringToObject(body, "name", pos[0]);
    for (int i = 1; i < n; i++)
        cJSON_AddItemToArray(tags, cJSON_CreateString(pos[i]));
    int rc = req(c, "DELETE", "/templates/tags", body, NULL);
    cJSON_Delete(body);
    if (rc >= 0) return rc;
    char line[300];
    snprintf(line, sizeof line, _("removed %d tags from %s"), n - 1, pos[0]);
    cli_print_line(c->stdout_fp, line);
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
        int rc = cli_args_many(c, _(TEMPLATE_HELP), k, &a, &err, pos, 64, &npos);
        if (rc >= 0) return rc;
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
    if (!strcmp(sub, "untag")) return tpl_untag(c, pos + 1, npos - 1);
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
