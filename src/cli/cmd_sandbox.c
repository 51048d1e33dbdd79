/* cmd_sandbox.c - boxtop ls, info, create, kill/pause/resume and timeout. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "cli_private.h"

#define LS_PAGE 100

static void metadata_text(const struct kv_list *md, struct buf *b)
{
    for (int i = 0; i < md->n; i++)
        buf_printf(b, "%s%s=%s", i ? "," : "", md->items[i].key, md->items[i].value);
}

/* ---- ls ---------------------------------------------------------------------------------- */

static const char LS_HELP[] =
    "Usage: boxtop ls [--state running,paused] [--meta KEY=VALUE]... [--limit N] [--json]\n"
    "List sandboxes (running and paused by default), newest first.\n"
    "  -s, --state LIST   running, paused or both (comma-separated)\n"
    "  -m, --meta K=V     only sandboxes whose metadata has K=V (repeatable)\n"
    "  -l, --limit N      at most N sandboxes (default: all)\n"
    "      --json         one JSON array\n";

int cli_cmd_ls(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"state", required_argument, NULL, 's'},
                                         {"meta", required_argument, NULL, 'm'},
                                         {"metadata", required_argument, NULL, OPT_METADATA},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    struct kv_list md = {0};
    struct api_list_query q = {.states = API_STATE_RUNNING | API_STATE_PAUSED};
    int limit = 0, k, rc = CLI_EXIT_OK;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        int bad = 0;
        switch (k) {
        case 's':
            bad = cli_parse_states(a.value, &q.states, &err);
            break;
        case 'm':
        case OPT_METADATA:
            bad = cli_parse_kv(a.value, &md, &err);
            break;
        case 'l':
            bad = cli_parse_int(a.value, "--limit", &limit, &err);
            break;
        case OPT_JSON:
            c->out = CLI_OUT_JSON;
            break;
        case 'h':
            kv_list_free(&md);
            return cli_help(c, LS_HELP);
        case CLI_ARG_POSITIONAL:
        case CLI_ARG_DASHDASH:
            kv_list_free(&md);
            return cli_usage_error(c, "ls", _("unexpected argument \"%.40s\""),
                                   a.value ? a.value : "--");
        default:
            bad = -1;
        }
        if (bad < 0) {
            kv_list_free(&md);
            return cli_usage_error(c, "ls", "%s", err.msg);
        }
    }
    if (cli_connect(c, &err) < 0) {
        kv_list_free(&md);
        return cli_fail(c, &err);
    }
    q.metadata = &md;
    struct sandbox_list all = {0};
    struct api_paging pg = {0};
    int skipped = 0;
    char skip_why[sizeof all.skip_why] = "";
    bool more = true, failed = false;
    while (more && (limit == 0 || all.n < limit)) {
        struct cli_sync s = {0};
        q.limit = limit > 0 && limit - all.n < LS_PAGE ? limit - all.n : LS_PAGE;
        q.next_token = pg.token;
        if (cli_sync_wait(c, api_list_sandboxes(c->api, &q, cli_sync_cb, &s), &s) < 0) {
            rc = cli_fail(c, &s.err);
            cli_sync_free(&s);
            failed = true;
            break;
        }
        /* a server that ignores ?limit= gets no more rows printed than asked for */
        int got = s.sandboxes.n, keep = limit > 0 && got > limit - all.n ? limit - all.n : got;
        if (s.sandboxes.skipped && !skipped++)
            snprintf(skip_why, sizeof skip_why, "%s", s.sandboxes.skip_why);
        skipped += s.sandboxes.skipped ? s.sandboxes.skipped - 1 : 0;
        struct sandbox *p = realloc(all.items, (size_t)(all.n + keep) * sizeof *p);
        if (!p && all.n + keep > 0) {
            cli_sync_free(&s);
            rc = CLI_EXIT_ERROR;
            failed = true;
            break;
        }
        all.items = p;
        memcpy(all.items + all.n, s.sandboxes.items, (size_t)keep * sizeof *p);
        all.n += keep;
        for (int i = keep; i < got; i++)
            sandbox_free(&s.sandboxes.items[i]);
        free(s.sandboxes.items);
        s.sandboxes.items = NULL;
        s.sandboxes.n = 0;
        enum api_paging_step st =
            api_paging_next(&pg, got + s.sandboxes.skipped, s.body_len, s.next_token);
        cli_sync_free(&s);
        more = st == API_PAGING_MORE;
        if (st == API_PAGING_CUT || st == API_PAGING_STUCK) {
            fprintf(c->stderr_fp, "boxtop: %s\n", pg.why);
            if (limit == 0 || all.n < limit) rc = CLI_EXIT_ERROR; /* the output is incomplete */
        }
    }
    api_paging_free(&pg);
    if (skipped) {
        char *why = sanitize_dup(skip_why, 0);
        fprintf(c->stderr_fp,
                _("boxtop: not valid, not shown: %d sandboxes of the answer (the first: %s)\n"),
                skipped, why ? why : "?");
        free(why);
        if (rc == CLI_EXIT_OK) rc = CLI_EXIT_ERROR;
    }

    if (!failed) {
        if (c->out == CLI_OUT_JSON) {
            cJSON *arr = cJSON_CreateArray();
            for (int i = 0; i < all.n; i++)
                cJSON_AddItemToArray(arr, sandbox_to_json(&all.items[i]));
            cli_print_json(c, arr, false);
        } else if (all.n == 0) {
            fprintf(c->stderr_fp, _("No sandboxes.\n"));
        } else {
            static const char *const hdr[] = {"SANDBOX ID", "TEMPLATE", "STATE",   "STARTED",
                                              "ENDS",       "CPU",      "MEM MiB", "METADATA"};
            struct cli_table *t = cli_table_new(8, hdr);
            for (int i = 0; t && i < all.n; i++) {
                struct sandbox *s = &all.items[i];
                char st[32], en[32], cpu[16], mem[16];
                struct buf md_txt = BUF_INIT;
                cli_format_time(s->started_at_ms, st, sizeof st);
                cli_format_time(s->end_at_ms, en, sizeof en);
                snprintf(cpu, sizeof cpu, "%d", s->cpu_count);
                snprintf(mem, sizeof mem, "%d", s->memory_mb);
                metadata_text(&s->metadata, &md_txt);
                const char *row[] = {
                    s->id, s->alias ? s->alias : s->template_id, sandbox_state_name(s), st, en, cpu,
                    mem,   md_txt.len ? buf_cstr(&md_txt) : "-"};
                cli_table_add_row(t, row);
                buf_free(&md_txt);
            }
            if (t) cli_table_print(t, c->stdout_fp);
            cli_table_free(t);
        }
    }
    sandbox_list_free(&all);
    kv_list_free(&md);
    return rc;
}

/* ---- info -------------------------------------------------------------------------------- */

static const char INFO_HELP[] = "Usage: boxtop info SANDBOX_ID [--json]\n"
                                "Show everything the API says about one sandbox.\n";

/* One positional id plus --json/--help: shared by info. */
static int one_id(struct cli *c, int argc, char **argv, const char *cmd, const char *help,
                  const char **id, int *rc)
{
    static const struct option opts[] = {{"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    int k;
    *id = NULL;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h') {
            *rc = cli_help(c, help);
            return -1;
        } else if (k == CLI_ARG_POSITIONAL && !*id)
            *id = a.value;
        else if (k == CLI_ARG_POSITIONAL) {
            *rc = cli_usage_error(c, cmd, _("unexpected argument \"%.40s\""), a.value);
            return -1;
        } else if (k == CLI_ARG_ERROR) {
            *rc = cli_usage_error(c, cmd, "%s", err.msg);
            return -1;
        }
    }
    if (!*id) {
        *rc = cli_usage_error(c, cmd, _("missing SANDBOX_ID"));
        return -1;
    }
    return 0;
}

int cli_cmd_info(struct cli *c, int argc, char **argv)
{
    const char *id;
    int rc = CLI_EXIT_OK;
    struct error err = {0};
    if (one_id(c, argc, argv, "info", INFO_HELP, &id, &rc) < 0) return rc;
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    struct cli_sync s = {0};
    if (cli_sync_wait(c, api_get_sandbox(c->api, id, cli_sync_cb, &s), &s) < 0) {
        rc = cli_fail(c, &s.err);
    } else if (c->out == CLI_OUT_JSON) {
        cli_print_json(c, sandbox_to_json(&s.sandbox), false);
    } else {
        struct sandbox *x = &s.sandbox;
        char st[32], en[32], num[64];
        struct buf md = BUF_INIT;
        cli_format_time(x->started_at_ms, st, sizeof st);
        cli_format_time(x->end_at_ms, en, sizeof en);
        metadata_text(&x->metadata, &md);
        static const char *const hdr[] = {"FIELD", "VALUE"};
        struct cli_table *t = cli_table_new(2, hdr);
        const char *rows[][2] = {
            {"Sandbox ID", x->id},
            {"Template ID", x->template_id},
            {"Alias", x->alias},
            {"State", sandbox_state_name(x)},
            {"Started at", st},
            {"End at", en},
            {"Envd version", x->envd_version},
            {"Domain", x->domain},
            {"Metadata", md.len ? buf_cstr(&md) : NULL},
        };
        for (size_t i = 0; t && i < sizeof rows / sizeof *rows; i++)
            cli_table_add_row(t, rows[i]);
        snprintf(num, sizeof num, "%d", x->cpu_count);
        cli_table_add_row(t, (const char *[]){"vCPUs", num});
        snprintf(num, sizeof num, "%d", x->memory_mb);
        cli_table_add_row(t, (const char *[]){"RAM MiB", num});
        snprintf(num, sizeof num, "%d", x->disk_size_mb);
        cli_table_add_row(t, (const char *[]){"Disk MiB", num});
        if (x->allow_internet >= 0)
            cli_table_add_row(
                t, (const char *[]){"Internet access", x->allow_internet ? "yes" : "no"});
        if (x->on_timeout) cli_table_add_row(t, (const char *[]){"On timeout", x->on_timeout});
        if (t) cli_table_print(t, c->stdout_fp);
        cli_table_free(t);
        buf_free(&md);
    }
    cli_sync_free(&s);
    return rc;
}

/* ---- create ------------------------------------------------------------------------------ */

static const char CREATE_HELP[] =
    "Usage: boxtop create [TEMPLATE] [--timeout SECONDS] [--meta KEY=VALUE]... "
    "[--env KEY=VALUE]... [--json]\n"
    "Create a sandbox (template \"base\" by default) and print its ID.\n"
    "  -t, --timeout S   seconds before it is killed (server default 300)\n"
    "  -m, --meta K=V    metadata (repeatable)\n"
    "  -e, --env K=V     environment variable for every process (repeatable)\n"
    "      --json        the created sandbox as JSON (without access tokens)\n";

int cli_cmd_create(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"timeout", required_argument, NULL, 't'},
                                         {"meta", required_argument, NULL, 'm'},
                                         {"metadata", required_argument, NULL, OPT_METADATA},
                                         {"env", required_argument, NULL, 'e'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    struct kv_list md = {0}, env = {0};
    struct api_create_opts o = {.auto_pause = -1, .allow_internet = -1};
    int k, rc = CLI_EXIT_OK;
    cli_args_init(&a, argc, argv);
    while (rc == CLI_EXIT_OK && (k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        int bad = 0;
        if (k == 't')
            bad = cli_parse_int(a.value, "--timeout", &o.timeout_s, &err);
        else if (k == 'm' || k == OPT_METADATA)
            bad = cli_parse_kv(a.value, &md, &err);
        else if (k == 'e')
            bad = cli_parse_kv(a.value, &env, &err);
        else if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            rc = cli_help(c, CREATE_HELP) - 1; /* -1: stop, exit 0 below */
        else if (k == CLI_ARG_POSITIONAL && !o.template_id)
            o.template_id = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            rc = cli_usage_error(c, "create", _("unexpected argument \"%.40s\""), a.value);
        else
            bad = -1;
        if (bad < 0) rc = cli_usage_error(c, "create", "%s", err.msg);
    }
    if (rc != CLI_EXIT_OK) {
        kv_list_free(&md);
        kv_list_free(&env);
        return rc < 0 ? CLI_EXIT_OK : rc;
    }
    if (cli_connect(c, &err) < 0) {
        kv_list_free(&md);
        kv_list_free(&env);
        return cli_fail(c, &err);
    }
    o.metadata = &md;
    o.env_vars = &env;
    struct cli_sync s = {0};
    if (cli_sync_wait(c, api_create_sandbox(c->api, &o, cli_sync_cb, &s), &s) < 0)
        rc = cli_fail(c, &s.err);
    else if (c->out == CLI_OUT_JSON)
        cli_print_json(c, sandbox_to_json(&s.sandbox), false);
    else
        cli_print_line(c->stdout_fp, s.sandbox.id);
    cli_sync_free(&s);
    kv_list_free(&md);
    kv_list_free(&env);
    return rc;
}

/* ---- kill / pause / resume --------------------------------------------------------------- */

static const char LIFECYCLE_HELP[] =
    "Usage: boxtop kill|pause|resume SANDBOX_ID... [--json]\n"
    "  kill    destroy the sandboxes (paused ones too)\n"
    "  pause   snapshot and stop them; resume brings them back\n"
    "  resume  resume paused sandboxes (--timeout S sets their new lifetime)\n";

struct one_op {
    const char *id;
    struct cli_sync s;
};

int cli_cmd_lifecycle(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    const char *cmd = argv[0];
    struct cli_args a;
    struct error err = {0};
    int k, timeout = -1;
    struct one_op *ops = calloc((size_t)argc, sizeof *ops);
    int n = 0;
    if (!ops) return CLI_EXIT_ERROR;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        int rc = -1;
        if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == 'h')
            rc = cli_help(c, LIFECYCLE_HELP);
        else if (k == 't' && strcmp(cmd, "resume"))
            rc = cli_usage_error(c, cmd, _("--timeout is only for resume"));
        else if (k == 't' && cli_parse_int(a.value, "--timeout", &timeout, &err) < 0)
            rc = cli_usage_error(c, cmd, "%s", err.msg);
        else if (k == CLI_ARG_POSITIONAL)
            ops[n++].id = a.value;
        else if (k == CLI_ARG_ERROR)
            rc = cli_usage_error(c, cmd, "%s", err.msg);
        if (rc >= 0) {
            free(ops);
            return rc;
        }
    }
    if (n == 0) {
        free(ops);
        return cli_usage_error(c, cmd, _("missing SANDBOX_ID"));
    }
    if (cli_connect(c, &err) < 0) {
        free(ops);
        return cli_fail(c, &err);
    }
    /* All at once; then wait for each (the others progress meanwhile). */
    struct api_call **calls = calloc((size_t)n, sizeof *calls);
    for (int i = 0; calls && i < n; i++) {
        if (!strcmp(cmd, "kill"))
            calls[i] = api_kill_sandbox(c->api, ops[i].id, cli_sync_cb, &ops[i].s);
        else if (!strcmp(cmd, "pause"))
            calls[i] = api_pause_sandbox(c->api, ops[i].id, cli_sync_cb, &ops[i].s);
        else
            calls[i] = api_connect_sandbox(c->api, ops[i].id, timeout, cli_sync_cb, &ops[i].s);
    }
    int rc = CLI_EXIT_OK;
    cJSON *arr = c->out == CLI_OUT_JSON ? cJSON_CreateArray() : NULL;
    for (int i = 0; calls && i < n; i++) {
        struct cli_sync *s = &ops[i].s;
        if (!s->done) cli_sync_wait(c, calls[i], s);
        const char *what;
        if (s->err.kind == ERROR_NONE)
            what = !strcmp(cmd, "kill")    ? "killed"
                   : !strcmp(cmd, "pause") ? "paused"
                   : s->status == 200      ? "running"
                                           : "resumed";
        else if (s->err.kind == ERROR_CONFLICT && !strcmp(cmd, "pause"))
            what = "already paused";
        else
            what = NULL;
        if (!what && rc == CLI_EXIT_OK)
            rc = cli_exit_code(&s->err) ? cli_exit_code(&s->err) : CLI_EXIT_ERROR;
        if (arr) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "sandboxID", ops[i].id);
            cJSON_AddStringToObject(o, "result", what ? what : "error");
            if (!what) cJSON_AddStringToObject(o, "error", s->err.msg);
            cJSON_AddItemToArray(arr, o);
        } else if (what) {
            struct buf line = BUF_INIT;
            buf_printf(&line, "%s %s", ops[i].id, what);
            cli_print_line(c->stdout_fp, buf_cstr(&line));
            buf_free(&line);
        } else {
            struct error e = s->err;
            error_prefix(&e, "%s", ops[i].id);
            cli_fail(c, &e);
        }
        cli_sync_free(s);
    }
    if (arr) cli_print_json(c, arr, false);
    free(calls);
    free(ops);
    return rc;
}

/* ---- timeout ----------------------------------------------------------------------------- */

static const char TIMEOUT_HELP[] =
    "Usage: boxtop timeout SANDBOX_ID SECONDS\n"
    "Let the sandbox live SECONDS more from now (shorter or longer than before).\n";

int cli_cmd_timeout(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    struct error err = {0};
    const char *pos[2] = {NULL, NULL};
    int np = 0, k, secs;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == 'h') return cli_help(c, TIMEOUT_HELP);
        if (k == OPT_JSON)
            c->out = CLI_OUT_JSON;
        else if (k == CLI_ARG_POSITIONAL && np < 2)
            pos[np++] = a.value;
        else if (k == CLI_ARG_POSITIONAL)
            return cli_usage_error(c, "timeout", _("unexpected argument \"%.40s\""), a.value);
        else if (k == CLI_ARG_ERROR)
            return cli_usage_error(c, "timeout", "%s", err.msg);
    }
    if (np < 2) return cli_usage_error(c, "timeout", _("expected SANDBOX_ID SECONDS"));
    if (cli_parse_int(pos[1], "SECONDS", &secs, &err) < 0)
        return cli_usage_error(c, "timeout", "%s", err.msg);
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    struct cli_sync s = {0};
    int rc = CLI_EXIT_OK;
    if (cli_sync_wait(c, api_set_timeout(c->api, pos[0], secs, cli_sync_cb, &s), &s) < 0)
        rc = cli_fail(c, &s.err);
    else if (c->out == CLI_OUT_JSON) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "sandboxID", pos[0]);
        cJSON_AddNumberToObject(o, "timeout", secs);
        cli_print_json(c, o, false);
    }
    cli_sync_free(&s);
    return rc;
}
