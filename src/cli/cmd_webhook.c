/* cmd_webhook.c - boxtop webhook ls|add|set|rm|deliveries: the team's lifecycle webhooks.
 *
 * The signature secret is write-only and never a command-line argument (argv is visible to
 * every local user in ps and lands in shell history): it comes from --secret-from FILE, from
 * stdin with --secret-from -, or is typed at a prompt without echo. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "boxtop/i18n.h"
#include "boxtop/webhooks.h"
#include "cli_private.h"

#define SECRET_MAX 1024

static const char WEBHOOK_HELP[] =
    "Usage: boxtop webhook COMMAND [ARGS] [--json]\n"
    "The team's lifecycle webhooks (events POSTed to a URL, signed with a secret).\n"
    "  ls                                 list webhooks\n"
    "  add --name N --url U --events LIST [--disabled] [--secret-from FILE|-]\n"
    "                                     create one (prints its id)\n"
    "  set ID [--name N] [--url U] [--events LIST] [--enable|--disable]\n"
    "         [--secret-from FILE|-]      change fields of one\n"
    "  rm ID                              delete one\n"
    "  deliveries ID                      its recent delivery attempts, newest first\n"
    "LIST: comma-separated created, killed, updated, paused, resumed, checkpointed (or\n"
    "sandbox.lifecycle.* names), or all. The secret is read from FILE, from stdin with '-',\n"
    "or typed at a prompt (add, on a terminal); it is never an argument and never shown.\n";

/* ---- one synchronous call keeping the raw answer ----------------------------------------- */

struct raw {
    bool done;
    struct error err;
    long status;
    bool no_history;
    struct buf body;
};

static void raw_cb(struct api_result *res, void *ud)
{
    struct raw *r = ud;
    r->done = true;
    r->err = res->err;
    r->status = res->status;
    r->no_history = webhook_no_history(res);
    if (res->body) buf_append(&r->body, res->body, res->body_len);
}

static int raw_wait(struct cli *c, struct api_call *call, struct raw *r)
{
    if (!call) return error_set(&r->err, ERROR_GENERIC, _("cannot start the request"));
    api_wait(c->api, call);
    if (!r->done) return error_set(&r->err, ERROR_GENERIC, _("the request did not finish"));
    return r->err.kind == ERROR_NONE ? 0 : -1;
}

/* ---- the secret -------------------------------------------------------------------------- */

static void wipe(char *s)
{
    if (s) memset(s, 0, strlen(s));
    free(s);
}

static char *read_secret_fd(int fd, struct error *err)
{
    char *s = calloc(1, SECRET_MAX + 2);
    size_t n = 0;
    if (!s) {
        error_set(err, ERROR_GENERIC, "out of memory");
        return NULL;
    }
    for (;;) {
        ssize_t k = read(fd, s + n, SECRET_MAX + 1 - n);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            error_set(err, ERROR_GENERIC, _("cannot read the secret: %s"), strerror(errno));
            wipe(s);
            return NULL;
        }
        if (k == 0) break;
        n += (size_t)k;
        if (n > SECRET_MAX) {
            error_set(err, ERROR_USAGE, _("the secret is longer than %d bytes"), SECRET_MAX);
            wipe(s);
            return NULL;
        }
    }
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) /* the file's last line ending */
        s[--n] = '\0';
    if (!n || memchr(s, '\0', n)) {
        error_set(err, ERROR_USAGE, "%s",
                  !n ? _("the secret is empty") : _("the secret contains a NUL byte"));
        wipe(s);
        return NULL;
    }
    return s;
}

static char *secret_from(const char *src, struct error *err)
{
    if (!strcmp(src, "-")) return read_secret_fd(0, err);
    FILE *f = fopen(src, "re");
    if (!f) {
        error_set(err, ERROR_USAGE, _("cannot open %s: %s"), src, strerror(errno));
        return NULL;
    }
    char *s = read_secret_fd(fileno(f), err);
    fclose(f);
    return s;
}

/* Typed once at the terminal, echo off. */
static char *secret_prompt(struct cli *c, struct error *err)
{
    struct termios old, quiet;
    if (!isatty(0) || tcgetattr(0, &old) < 0) {
        error_set(err, ERROR_USAGE,
                  _("a signature secret is needed: use --secret-from FILE, or '-' for stdin"));
        return NULL;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fprintf(c->stderr_fp, "%s", _("Signature secret (not shown): "));
    fflush(c->stderr_fp);
    tcsetattr(0, TCSAFLUSH, &quiet);
    char line[SECRET_MAX + 2];
    char *got = fgets(line, sizeof line, stdin);
    tcsetattr(0, TCSAFLUSH, &old);
    fputc('\n', c->stderr_fp);
    char *s = NULL;
    if (got) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0]) s = strdup(line);
    }
    memset(line, 0, sizeof line);
    if (!s) error_set(err, ERROR_USAGE, "%s", _("the secret is empty"));
    return s;
}

/* ---- output ------------------------------------------------------------------------------ */

static void print_webhooks(struct cli *c, const struct webhook_list *l)
{
    if (c->out == CLI_OUT_JSON) {
        cJSON *arr = cJSON_CreateArray();
        for (int i = 0; arr && i < l->n; i++)
            cJSON_AddItemToArray(arr, webhook_info_to_json(&l->items[i]));
        cli_print_json(c, arr, false);
        return;
    }
    static const char *const hdr[] = {"ID", "NAME", "URL", "EVENTS", "ENABLED", "CREATED"};
    struct cli_table *t = cli_table_new(6, hdr);
    for (int i = 0; t && i < l->n; i++) {
        const struct webhook_info *w = &l->items[i];
        struct buf ev = BUF_INIT;
        char when[32];
        webhook_events_format(w->events, &ev);
        if (w->unknown_events) buf_printf(&ev, "+%d", w->unknown_events);
        cli_format_time(w->created_at_ms, when, sizeof when);
        const char *row[] = {w->id, w->name, w->url, buf_cstr(&ev), w->enabled ? _("yes") : _("no"),
                             when};
        cli_table_add_row(t, row);
        buf_free(&ev);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
}

static int print_one(struct cli *c, struct raw *r, const char *verb)
{
    struct webhook_info w;
    struct error err = {0};
    if (webhook_parse(buf_cstr(&r->body), r->body.len, &w, &err) < 0) return cli_fail(c, &err);
    if (c->out == CLI_OUT_JSON)
        cli_print_json(c, webhook_info_to_json(&w), false);
    else if (!strcmp(verb, "add"))
        cli_print_line(c->stdout_fp, w.id);
    else {
        struct buf b = BUF_INIT;
        buf_printf(&b, _("updated %s"), w.id);
        cli_print_line(c->stdout_fp, buf_cstr(&b));
        buf_free(&b);
    }
    webhook_info_free(&w);
    return CLI_EXIT_OK;
}

static void print_attempts(struct cli *c, const struct webhook_attempts *a)
{
    static const char *const hdr[] = {"TIME", "EVENT", "ATTEMPT", "RESULT", "LATENCY", "DELIVERY"};
    struct cli_table *t = cli_table_new(6, hdr);
    for (int i = 0; t && i < a->n; i++) {
        const struct webhook_attempt_info *x = &a->items[i];
        char when[32], att[16], res[160], lat[32];
        cli_format_time(x->at_ms, when, sizeof when);
        snprintf(att, sizeof att, "%d", x->attempt);
        if (x->success || !x->error)
            snprintf(res, sizeof res, "%d", x->status);
        else if (x->status)
            snprintf(res, sizeof res, "%d %s", x->status, x->error);
        else
            snprintf(res, sizeof res, "%s", x->error);
        snprintf(lat, sizeof lat, "%lld ms", (long long)x->latency_ms);
        const char *type =
            x->type && !strncmp(x->type, "sandbox.lifecycle.", 18) ? x->type + 18 : x->type;
        const char *row[] = {when, type, att, res, lat, x->delivery_id};
        cli_table_add_row(t, row);
    }
    if (t) cli_table_print(t, c->stdout_fp);
    cli_table_free(t);
}

/* ---- subcommands ------------------------------------------------------------------------- */

static const struct option opts[] = {{"name", required_argument, NULL, OPT_NAME},
                                     {"url", required_argument, NULL, OPT_URL},
                                     {"events", required_argument, NULL, OPT_EVENTS},
                                     {"secret-from", required_argument, NULL, OPT_SECRET_FROM},
                                     {"enable", no_argument, NULL, OPT_ENABLE},
                                     {"disable", no_argument, NULL, OPT_DISABLE},
                                     {"disabled", no_argument, NULL, OPT_DISABLED},
                                     {"json", no_argument, NULL, OPT_JSON},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};

int cli_cmd_webhook(struct cli *c, int argc, char **argv)
{
    struct cli_args a;
    struct error err = {0};
    const char *sub = NULL, *id = NULL, *secret_src = NULL, *events = NULL;
    struct webhook_fields f = {0};
    int k;
    cli_args_init(&a, argc, argv);
    while ((k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        switch (k) {
        case OPT_NAME:
            f.name = a.value;
            break;
        case OPT_URL:
            f.url = a.value;
            break;
        case OPT_EVENTS:
            events = a.value;
            break;
        case OPT_SECRET_FROM:
            secret_src = a.value;
            break;
        case OPT_ENABLE:
        case OPT_DISABLE:
        case OPT_DISABLED:
            f.has_enabled = true;
            f.enabled = k == OPT_ENABLE;
            break;
        case OPT_JSON:
            c->out = CLI_OUT_JSON;
            break;
        case 'h':
            return cli_help(c, WEBHOOK_HELP);
        case CLI_ARG_POSITIONAL:
            if (!sub)
                sub = a.value;
            else if (!id)
                id = a.value;
            else
                return cli_usage_error(c, "webhook", _("unexpected argument \"%.40s\""), a.value);
            break;
        case CLI_ARG_DASHDASH:
            break;
        default:
            return cli_usage_error(c, "webhook", "%s", err.msg);
        }
    }
    if (!sub)
        return cli_usage_error(c, "webhook", _("missing COMMAND (ls, add, set, rm, deliveries)"));
    bool is_ls = !strcmp(sub, "ls") || !strcmp(sub, "list"), is_add = !strcmp(sub, "add"),
         is_set = !strcmp(sub, "set"), is_rm = !strcmp(sub, "rm") || !strcmp(sub, "delete"),
         is_del = !strcmp(sub, "deliveries");
    if (!is_ls && !is_add && !is_set && !is_rm && !is_del)
        return cli_usage_error(c, "webhook", _("unknown webhook command \"%.40s\""), sub);
    if ((is_ls || is_add) && id)
        return cli_usage_error(c, "webhook", _("unexpected argument \"%.40s\""), id);
    if (!is_ls && !is_add && !id) return cli_usage_error(c, "webhook", _("missing webhook ID"));
    bool edits = f.name || f.url || events || secret_src || f.has_enabled;
    if ((is_ls || is_rm || is_del) && edits)
        return cli_usage_error(c, "webhook", _("%s takes no field options"), sub);
    if (is_add && (!f.name || !f.url || !events))
        return cli_usage_error(c, "webhook", _("add needs --name, --url and --events"));
    if (is_set && !edits) return cli_usage_error(c, "webhook", _("set: nothing to change"));
    if (events) {
        if (webhook_events_parse_list(events, &f.events, &err) < 0)
            return cli_usage_error(c, "webhook", "%s", err.msg);
        f.has_events = true;
    }
    if (is_add && !f.has_enabled) f.has_enabled = f.enabled = true;

    char *secret = NULL;
    if (secret_src) {
        if (!(secret = secret_from(secret_src, &err))) return cli_fail(c, &err);
    } else if (is_add) {
        if (!(secret = secret_prompt(c, &err))) return cli_fail(c, &err);
    }
    f.secret = secret;
    if (cli_connect(c, &err) < 0) {
        wipe(secret);
        return cli_fail(c, &err);
    }
    struct raw r = {0};
    struct api_call *call = is_ls    ? api_webhooks_list(c->api, raw_cb, &r)
                            : is_add ? api_webhook_create(c->api, &f, raw_cb, &r)
                            : is_set ? api_webhook_update(c->api, id, &f, raw_cb, &r)
                            : is_rm  ? api_webhook_delete(c->api, id, raw_cb, &r)
                                     : api_webhook_deliveries(c->api, id, raw_cb, &r);
    wipe(secret); /* the call has its own copy of the body */
    int rc = CLI_EXIT_OK;
    if (raw_wait(c, call, &r) < 0) {
        if (is_del && r.no_history)
            error_set(&r.err, ERROR_GENERIC, "%s",
                      _("this backend keeps no webhook delivery history (E2B cloud does not "
                        "offer one; boxtopd does)"));
        rc = cli_fail(c, &r.err);
    } else if (is_ls) {
        struct webhook_list l;
        if (webhook_list_parse(buf_cstr(&r.body), r.body.len, &l, &err) < 0) {
            rc = cli_fail(c, &err);
        } else {
            print_webhooks(c, &l);
            webhook_list_free(&l);
        }
    } else if (is_add || is_set) {
        rc = print_one(c, &r, sub);
    } else if (is_rm) {
        if (c->out == CLI_OUT_JSON) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "id", id);
            cJSON_AddBoolToObject(o, "deleted", true);
            cli_print_json(c, o, false);
        }
    } else if (c->out == CLI_OUT_JSON) {
        cJSON *doc = cJSON_ParseWithLength(buf_cstr(&r.body), r.body.len);
        if (!cJSON_IsArray(doc)) {
            cJSON_Delete(doc);
            error_set(&err, ERROR_PROTOCOL, "%s", _("unexpected delivery history answer"));
            rc = cli_fail(c, &err);
        } else {
            cli_print_json(c, doc, false);
        }
    } else {
        struct webhook_attempts at;
        if (webhook_attempts_parse(buf_cstr(&r.body), r.body.len, &at, &err) < 0) {
            rc = cli_fail(c, &err);
        } else {
            print_attempts(c, &at);
            webhook_attempts_free(&at);
        }
    }
    buf_free(&r.body);
    return rc;
}
