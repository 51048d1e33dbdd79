/* cmd_snapvol.c - `boxtop snapshot ID [--name N]`, `boxtop snapshots [--json]`,
 * `boxtop fork ID [--count N]`, `boxtop volume ls|create NAME|rm ID|NAME`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "boxtop/i18n.h"
#include "boxtop/snapvol.h"
#include "cli_private.h"

#define SNAPSHOT_HELP                                                                              \
    N_("Usage: boxtop snapshot SANDBOX_ID [--name NAME] [--json]\n"                                \
       "Snapshot a running sandbox's filesystem; the snapshot id creates new sandboxes\n"          \
       "(boxtop create SNAPSHOT_ID). boxtopd does not capture memory: processes start afresh.\n")
#define SNAPSHOTS_HELP                                                                             \
    N_("Usage: boxtop snapshots [--sandbox SANDBOX_ID] [--json]\n"                                 \
       "       boxtop snapshots rm SNAPSHOT_ID...\n"                                               \
       "List the team's snapshots (newest first), or delete snapshots.\n")
#define FORK_HELP                                                                                  \
    N_("Usage: boxtop fork SANDBOX_ID [--count N] [--timeout SECONDS] [--json]\n"                  \
       "Start N (default 1) new sandboxes from a running sandbox's files as they are now.\n")
#define VOLUME_HELP                                                                                \
    N_("Usage: boxtop volume ls [--json]\n"                                                        \
       "       boxtop volume create NAME [--json]\n"                                               \
       "       boxtop volume rm VOLUME_ID|NAME...\n"                                               \
       "Team volumes: persistent directories that sandboxes mount at create.\n")

static void print_raw_json(struct cli *c, const struct cli_raw *r)
{
    cJSON *doc = cJSON_ParseWithLength(r->body ? r->body : "null", r->body ? r->len : 4);
    cli_print_json(c, doc, false);
}

/* Parse [ID] plus the options; returns -1 to go on, else an exit code. */
static int parse(struct cli *c, int argc, char **argv, const struct option *opts, const char *help,
                 const char **vals, const char **pos, int max_pos, int *npos)
{
    struct cli_args a;
    struct error err = {0};
    int k;
    *npos = 0;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        int rc = cli_args_many(c, help, k, &a, &err, pos, max_pos, npos);
        if (rc >= 0) return rc;
        if (k > 0 && k < 128) vals[k] = a.value; /* the options with a value have a letter */
    }
    return -1;
}

int cli_cmd_snapshot(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *vals[128] = {0}, *pos[1];
    int npos, rc = parse(c, argc, argv, opts, _(SNAPSHOT_HELP), vals, pos, 1, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, argv[0], _("missing SANDBOX_ID"));
    struct error err = {0};
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    struct cli_raw r = {0};
    struct snapshot_info si = {0};
    if (cli_raw_wait(c, api_snapshot_create(c->api, pos[0], vals['n'], cli_raw_cb, &r), &r) < 0 ||
        snapshot_info_parse(r.body, r.len, &si, &r.err) < 0) {
        free(r.body);
        return cli_fail(c, &r.err);
    }
    if (c->out == CLI_OUT_JSON)
        print_raw_json(c, &r);
    else
        cli_print_line(c->stdout_fp, si.id);
    snapshot_info_free(&si);
    free(r.body);
    return CLI_EXIT_OK;
}

static int snapshots_rm(struct cli *c, const char **ids, int n)
{
    struct error err = {0};
    if (n == 0) return cli_usage_error(c, "snapshots rm", _("missing SNAPSHOT_ID"));
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    int rc = CLI_EXIT_OK;
    for (int i = 0; i < n; i++) {
        struct cli_raw r = {0};
        if (cli_raw_wait(c, api_snapshot_delete(c->api, ids[i], cli_raw_cb, &r), &r) < 0) {
            rc = cli_fail(c, &r.err);
        } else {
            char line[512];
            snprintf(line, sizeof line, _("deleted %s"), ids[i]);
            cli_print_line(c->stdout_fp, line);
        }
        free(r.body);
    }
    return rc;
}

int cli_cmd_snapshots(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"sandbox", required_argument, NULL, 's'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *vals[128] = {0}, *pos[64];
    int npos, rc = parse(c, argc, argv, opts, _(SNAPSHOTS_HELP), vals, pos, 64, &npos);
    if (rc >= 0) return rc;
    if (npos > 0 && !strcmp(pos[0], "rm")) return snapshots_rm(c, pos + 1, npos - 1);
    if (npos > 0) return cli_usage_error(c, argv[0], _("unknown argument: %s"), pos[0]);
    struct error err = {0};
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    /* the first 100 (newest first): the raw result does not carry X-Next-Token */
    struct cli_raw r = {0};
    struct snapshot_list all = {0};
    if (cli_raw_wait(c, api_snapshots_list(c->api, vals['s'], NULL, cli_raw_cb, &r), &r) < 0 ||
        snapshot_list_parse(r.body, r.len, &all, &r.err) < 0) {
        free(r.body);
        return cli_fail(c, &r.err);
    }
    cJSON *arr = c->out == CLI_OUT_JSON ? cJSON_ParseWithLength(r.body, r.len) : NULL;
    free(r.body);
    if (arr) {
        cli_print_json(c, arr, false);
        snapshot_list_free(&all);
        return CLI_EXIT_OK;
    }
    static const char *const hdr[] = {N_("SNAPSHOT"), N_("SOURCE"), N_("CREATED"), N_("SIZE")};
    const char *h[4];
    for (int i = 0; i < 4; i++)
        h[i] = _(hdr[i]);
    struct cli_table *t = cli_table_new(4, h);
    for (int i = 0; t && i < all.n; i++) {
        const struct snapshot_info *s = &all.items[i];
        char when[32], size[32];
        cli_format_time(s->created_ms, when, sizeof when);
        if (s->size >= 0)
            snprintf(size, sizeof size, "%lld", (long long)s->size);
        else
            snprintf(size, sizeof size, "-");
        const char *row[4] = {s->id, s->sandbox_id, when, size};
        cli_table_add_row(t, row);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
    snapshot_list_free(&all);
    return CLI_EXIT_OK;
}

int cli_cmd_fork(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"count", required_argument, NULL, 'n'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *vals[128] = {0}, *pos[1];
    int npos, rc = parse(c, argc, argv, opts, _(FORK_HELP), vals, pos, 1, &npos);
    if (rc >= 0) return rc;
    if (npos != 1) return cli_usage_error(c, argv[0], _("missing SANDBOX_ID"));
    struct error err = {0};
    int count = 1, timeout = 300;
    if (vals['n'] && (cli_parse_int(vals['n'], "--count", &count, &err) < 0 || count < 1))
        return cli_usage_error(c, argv[0], "%s", err.msg[0] ? err.msg : _("--count must be >= 1"));
    if (vals['t'] && (cli_parse_int(vals['t'], "--timeout", &timeout, &err) < 0 || timeout < 1))
        return cli_usage_error(c, argv[0], "%s",
                               err.msg[0] ? err.msg : _("--timeout must be >= 1"));
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    struct cli_raw r = {0};
    struct fork_results fr = {0};
    if (cli_raw_wait(c, api_fork_sandbox(c->api, pos[0], count, timeout, cli_raw_cb, &r), &r) < 0 ||
        fork_results_parse(r.body, r.len, &fr, &r.err) < 0) {
        free(r.body);
        return cli_fail(c, &r.err);
    }
    if (c->out == CLI_OUT_JSON) print_raw_json(c, &r);
    int failed = 0;
    for (int i = 0; i < fr.n; i++) {
        if (fr.items[i].sandbox_id) {
            if (c->out != CLI_OUT_JSON) cli_print_line(c->stdout_fp, fr.items[i].sandbox_id);
        } else {
            char line[600];
            snprintf(line, sizeof line, _("boxtop: fork %d failed: %d %s"), i + 1, fr.items[i].code,
                     fr.items[i].message);
            cli_print_line(c->stderr_fp, line);
            failed++;
        }
    }
    fork_results_free(&fr);
    free(r.body);
    return failed ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

static int volume_ls(struct cli *c)
{
    struct error err = {0};
    if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
    struct cli_raw r = {0};
    struct volume_list l = {0};
    if (cli_raw_wait(c, api_volumes_list(c->api, cli_raw_cb, &r), &r) < 0 ||
        volume_list_parse(r.body, r.len, &l, &r.err) < 0) {
        free(r.body);
        return cli_fail(c, &r.err);
    }
    if (c->out == CLI_OUT_JSON) {
        print_raw_json(c, &r);
    } else {
        static const char *const hdr[] = {N_("VOLUME"), N_("NAME"), N_("SIZE"), N_("MOUNTED BY")};
        const char *h[4];
        for (int i = 0; i < 4; i++)
            h[i] = _(hdr[i]);
        struct cli_table *t = cli_table_new(4, h);
        for (int i = 0; t && i < l.n; i++) {
            const struct volume_info *v = &l.items[i];
            char size[32];
            struct buf by = BUF_INIT;
            if (v->size >= 0)
                snprintf(size, sizeof size, "%lld", (long long)v->size);
            else
                snprintf(size, sizeof size, "-");
            for (int k = 0; k < v->n_mounted; k++)
                buf_printf(&by, "%s%s", k ? "," : "", v->mounted_by[k]);
            const char *row[4] = {v->id, v->name, size, v->n_mounted > 0 ? buf_cstr(&by) : "-"};
            cli_table_add_row(t, row);
            buf_free(&by);
        }
        if (t) cli_table_print(t, c->stdout_fp);
        cli_table_free(t);
    }
    volume_list_free(&l);
    free(r.body);
    return CLI_EXIT_OK;
}

/* A volume id, or the id of the volume with that name. */
static int volume_resolve(struct cli *c, const char *ref, char **id, struct error *err)
{
    struct cli_raw r = {0};
    struct volume_list l = {0};
    *id = NULL;
    if (cli_raw_wait(c, api_volumes_list(c->api, cli_raw_cb, &r), &r) < 0 ||
        volume_list_parse(r.body, r.len, &l, &r.err) < 0) {
        *err = r.err;
        free(r.body);
        return -1;
    }
    for (int i = 0; i < l.n && !*id; i++)
        if (!strcmp(l.items[i].id, ref) || (l.items[i].name && !strcmp(l.items[i].name, ref)))
            *id = strdup(l.items[i].id);
    volume_list_free(&l);
    free(r.body);
    if (!*id) return error_set(err, ERROR_NOT_FOUND, _("no volume %s"), ref);
    return 0;
}

int cli_cmd_volume(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, OPT_JSON},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *vals[128] = {0}, *pos[64];
    int npos, rc = parse(c, argc, argv, opts, _(VOLUME_HELP), vals, pos, 64, &npos);
    if (rc >= 0) return rc;
    if (npos == 0 || !strcmp(pos[0], "ls") || !strcmp(pos[0], "list")) return volume_ls(c);
    struct error err = {0};
    if (!strcmp(pos[0], "create")) {
        if (npos != 2) return cli_usage_error(c, "volume create", _("missing NAME"));
        if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
        struct cli_raw r = {0};
        struct volume_info v = {0};
        if (cli_raw_wait(c, api_volume_create(c->api, pos[1], cli_raw_cb, &r), &r) < 0 ||
            volume_info_parse(r.body, r.len, &v, &r.err) < 0) {
            free(r.body);
            return cli_fail(c, &r.err);
        }
        if (c->out == CLI_OUT_JSON) { /* without the content token: a secret */
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "volumeID", v.id);
            cJSON_AddStringToObject(o, "name", v.name ? v.name : "");
            cli_print_json(c, o, false);
        } else {
            cli_print_line(c->stdout_fp, v.id);
        }
        volume_info_free(&v);
        free(r.body);
        return CLI_EXIT_OK;
    }
    if (!strcmp(pos[0], "rm") || !strcmp(pos[0], "delete")) {
        if (npos < 2) return cli_usage_error(c, "volume rm", _("missing VOLUME_ID"));
        if (cli_connect(c, &err) < 0) return cli_fail(c, &err);
        rc = CLI_EXIT_OK;
        for (int i = 1; i < npos; i++) {
            char *id;
            struct cli_raw r = {0};
            if (volume_resolve(c, pos[i], &id, &err) < 0) {
                rc = cli_fail(c, &err);
                continue;
            }
            if (cli_raw_wait(c, api_volume_delete(c->api, id, cli_raw_cb, &r), &r) < 0) {
                rc = cli_fail(c, &r.err);
            } else {
                char line[512];
                snprintf(line, sizeof line, _("deleted %s"), pos[i]);
                cli_print_line(c->stdout_fp, line);
            }
            free(r.body);
            free(id);
        }
        return rc;
    }
    return cli_usage_error(c, argv[0], _("unknown volume command: %s"), pos[0]);
}
