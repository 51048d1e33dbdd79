/* tui_main.c - entry of the interactive UI: flags, backend choice, then app_run().
 *
 * Flags: --replay FILE (drive the UI from a recorded model), --record FILE (write the model
 * as JSON on exit), --readonly, --no-color, --theme NAME, --api-url URL, --context NAME.
 * NO_COLOR in the environment is honoured too and wins over any theme. The config file's
 * `theme =` and [keys] apply in every mode, the replay too. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"
#include "boxtop/config.h"
#include "boxtop/api_log.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/local_backend.h"
#include "boxtop/supervise.h"
#include "boxtop/loop.h"
#include "tui.h"
#include "app.h"
#include "backend_e2b.h"

#define LOCAL_START_TIMEOUT_MS 15000

struct tui_opts {
    const char *replay, *record, *state_dir;
    const char *record_sessions; /* --record-sessions DIR: asciicast v2 per terminal */
    const char *theme;           /* --theme NAME (over the config file's theme =) */
    struct config_flags flags;   /* --api-key --api-url --sandbox-url --domain --context --config */
    int readonly, no_color;
};

static void usage(FILE *f)
{
    fprintf(f, _("usage: boxtop [--readonly] [--no-color] [--theme NAME] [--context NAME]\n"
                 "              [--api-url URL] [--api-key KEY] [--sandbox-url URL]\n"
                 "              [--domain DOMAIN] [--config FILE] [--state-dir DIR]\n"
                 "              [--record FILE] [--replay FILE] [--record-sessions DIR]\n"));
}

/* The global flags of the command-line mode (same names, "--flag VALUE" or "--flag=VALUE"),
 * plus the TUI's own, with getopt_long (whole names only: no abbreviations). */
enum {
    O_READONLY = 256,
    O_NO_COLOR,
    O_REPLAY,
    O_RECORD,
    O_RECORD_SESSIONS,
    O_THEME,
    O_STATE_DIR,
    O_API_KEY,
    O_API_URL,
    O_SANDBOX_URL,
    O_DOMAIN,
    O_CONTEXT,
    O_CONFIG,
};

static const struct option tui_opts_table[] = {
    {"readonly", no_argument, NULL, O_READONLY},
    {"no-color", no_argument, NULL, O_NO_COLOR},
    {"help", no_argument, NULL, 'h'},
    {"replay", required_argument, NULL, O_REPLAY},
    {"record", required_argument, NULL, O_RECORD},
    {"record-sessions", required_argument, NULL, O_RECORD_SESSIONS},
    {"theme", required_argument, NULL, O_THEME},
    {"state-dir", required_argument, NULL, O_STATE_DIR},
    {"api-key", required_argument, NULL, O_API_KEY},
    {"api-url", required_argument, NULL, O_API_URL},
    {"sandbox-url", required_argument, NULL, O_SANDBOX_URL},
    {"domain", required_argument, NULL, O_DOMAIN},
    {"context", required_argument, NULL, O_CONTEXT},
    {"config", required_argument, NULL, O_CONFIG},
    {NULL, 0, NULL, 0},
};

static const char **opt_dst(struct tui_opts *o, int k)
{
    switch (k) {
    case O_REPLAY:
        return &o->replay;
    case O_RECORD:
        return &o->record;
    case O_RECORD_SESSIONS:
        return &o->record_sessions;
    case O_THEME:
        return &o->theme;
    case O_STATE_DIR:
        return &o->state_dir;
    case O_API_KEY:
        return &o->flags.api_key;
    case O_API_URL:
        return &o->flags.api_url;
    case O_SANDBOX_URL:
        return &o->flags.sandbox_url;
    case O_DOMAIN:
        return &o->flags.domain;
    case O_CONTEXT:
        return &o->flags.context;
    case O_CONFIG:
        return &o->flags.config_path;
    default:
        return NULL;
    }
}

static int parse_opts(int argc, char **argv, struct tui_opts *o)
{
    optind = 0; /* glibc: start over on this argv */
    opterr = 0; /* the messages are ours */
    for (;;) {
        int at = optind > 0 ? optind : 1;
        int k = getopt_long(argc, argv, "-:h", tui_opts_table, NULL);
        if (k == -1) break;
        const char *a = at < argc ? argv[at] : "";
        size_t nl = strcspn(a, "=");
        const struct option *opt = NULL;
        for (const struct option *t = tui_opts_table; t->name && !opt; t++)
            if (t->val == (k == ':' ? optopt : k)) opt = t;
        /* getopt_long takes a unique prefix; a flag must be spelled whole */
        bool whole = opt && (a[1] != '-' ||
                             (strlen(opt->name) == nl - 2 && !strncmp(a + 2, opt->name, nl - 2)));
        if (k == ':' && whole) {
            fprintf(stderr, _("boxtop: %s needs a value\n"), a);
            return -1;
        }
        if (k == 1 || k == '?' || k == ':' || !whole) {
            /* the option name only: never echo a value that might be a key */
            fprintf(stderr, _("boxtop: unknown option %.*s\n"), (int)nl, a);
            usage(stderr);
            return -1;
        }
        if (k == 'h') {
            usage(stdout);
            return 1;
        }
        if (k == O_READONLY) o->readonly = 1;
        if (k == O_NO_COLOR) o->no_color = 1;
        const char **dst = opt_dst(o, k);
        if (dst) *dst = optarg;
    }
    if (optind < argc) { /* after "--": the TUI takes no arguments */
        fprintf(stderr, _("boxtop: unknown option %.*s\n"), (int)strcspn(argv[optind - 1], "="),
                argv[optind - 1]);
        usage(stderr);
        return -1;
    }
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0]) o->no_color = 1;
    return 0;
}

/* What the live backend needs beyond the app: the http client shared by the API client and
 * the local boxtopd starter, and the starter itself. */
struct live {
    struct app *a;
    struct http *http;
    struct supervisor *sup; /* keeps the local boxtopd (supervise.h) */
    char *local_label;      /* the local boxtopd's label; NULL while it is down (no base note) */
    int local_down;         /* reported offline by on_local_down: say when it is back */
};

static void set_label(struct app *a, const char *fmt, const char *url, const char *extra)
{
    struct buf b = BUF_INIT;
    buf_printf(&b, fmt, url, extra ? extra : "");
    box_set_str(&a->model.backend_label, buf_cstr(&b));
    buf_free(&b);
    app_dirty(a, DIRTY_HEADER);
}

/* "E2B URL": the URL as an error would show it (a key in its user info or query never
 * reaches the header) */
static void set_label_url(struct app *a, const char *url)
{
    char shown[512];
    if (url && strpbrk(url, "@?#")) /* else as given (curl's form adds a '/') */
        http_url_shown(url, shown, sizeof shown);
    else
        snprintf(shown, sizeof shown, "%s", url ? url : "");
    set_label(a, "E2B %s%s", shown, NULL);
}

/* boxtopd's base image while it is built, when it failed, or --base host: shown in the
 * header next to the backend, so that a slow first create has its reason in sight. */
static void on_base_note(struct local_backend *lb, const char *note, void *ud)
{
    (void)lb;
    struct live *lv = ud;
    if (!lv->local_label) return;
    snprintf(lv->a->backend_note, sizeof lv->a->backend_note, "%s", note);
    app_dirty(lv->a, DIRTY_HEADER);
}

static void on_local_ready(struct supervisor *sup, struct local_backend *lb,
                           const struct local_backend_info *info, void *ud)
{
    (void)sup;
    struct live *lv = ud;
    struct app *a = lv->a;
    struct error err = {0};
    /* boxtopd has one team, "local" (the team view and the header's start rate use it); a
     * restarted one has new URLs: the views follow the backend (sessions re-read them) */
    if (backend_e2b_connect(a->be, info->api_url, info->api_key, info->sandbox_url, NULL, "local",
                            &err))
        backend_report(a->be, BACKEND_ACTION_FAILED, "%s", err.msg);
    set_label(a, _("local boxtopd %s %s"), info->api_url,
              local_backend_started_by_us(lb) ? _("(started by boxtop, stopped on exit)")
                                              : _("(already running)"));
    free(lv->local_label);
    lv->local_label = a->model.backend_label ? strdup(a->model.backend_label) : NULL;
    local_backend_watch_base(lb, on_base_note, lv);
    a->be->retry_kind = BACKEND_RETRY_POLL; /* the API rounds count down again */
    if (lv->local_down)                     /* it answered /health: online again */
        backend_report(a->be, BACKEND_ONLINE, _("local boxtopd is back at %s"), info->api_url);
    lv->local_down = 0;
}

/* The local boxtopd went away or did not start: the header says so and when the next try is. */
static void on_local_down(struct supervisor *sup, const char *why, int retry_ms, bool restarting,
                          void *ud)
{
    (void)sup;
    struct live *lv = ud;
    struct app *a = lv->a;
    free(lv->local_label);
    lv->local_label = NULL; /* no base note over this */
    a->backend_note[0] = '\0';
    lv->local_down = 1;
    /* the header and the message count down to the try (app.c); R tries at once */
    a->be->retry_at = loop_now_ms() + retry_ms;
    a->be->retry_kind = restarting ? BACKEND_RETRY_RESTART : BACKEND_RETRY_LOOK;
    char when[32];
    snprintf(when, sizeof when, "%d.%d s", retry_ms / 1000, retry_ms % 1000 / 100);
    backend_report(a->be, BACKEND_OFFLINE, _("local boxtopd: %s (back-off %s)"), why, when);
    box_set_str(&a->model.backend_label,
                restarting ? _("local boxtopd (down, restarting)") : _("local boxtopd (down)"));
    app_dirty(a, DIRTY_HEADER);
    a->model.loading = 0;
}

static void live_retry_now(struct app *a, void *ud)
{
    (void)a;
    struct live *lv = ud;
    supervise_retry_now(lv->sup);
}

/* Start (or find) the local boxtopd of the state dir (local_backend.h; it sends boxtopd's
 * output to DIR/boxtopd.log, away from the terminal the TUI owns). */
static int live_start_local(struct live *lv, const char *state_dir, struct error *err)
{
    char *dir = state_dir ? strdup(state_dir) : local_backend_default_dir();
    if (!dir)
        return error_set(err, ERROR_USAGE, _("no home directory for the local boxtopd state"));
    struct supervise_cbs cbs = {on_local_ready, on_local_down, lv};
    lv->sup = supervise_start(lv->a->loop, lv->http, dir, NULL, LOCAL_START_TIMEOUT_MS, &cbs, err);
    free(dir);
    if (!lv->sup) return -1;
    box_set_str(&lv->a->model.backend_label, _("local boxtopd (starting…)"));
    lv->a->retry_now = live_retry_now;
    lv->a->retry_ud = lv;
    return 0;
}

static void contexts_to_app(struct app *a, const struct config *cfg)
{
    const char **names = calloc((size_t)cfg->n_contexts + 1, sizeof(*names));
    if (!names) return;
    for (int i = 0; i < cfg->n_contexts; i++)
        names[i] = cfg->contexts[i].name;
    app_set_contexts(a, names, cfg->n_contexts);
    free(names);
}

/* :ctx NAME - reload the configuration with that context and point the backend at it. The
 * usual precedence still holds (a key in E2B_API_KEY beats the context's). */
static int live_switch_ctx(struct app *a, const char *name, struct error *err, void *ud)
{
    (void)ud;
    struct config cfg;
    struct config_flags flags = {0};
    flags.context = name;
    int rc = -1;
    if (config_load(&cfg, &flags, NULL, err)) goto out;
    if (!config_find_context(&cfg, name)) {
        error_set(err, ERROR_USAGE, _("no context %s in %s"), name,
                  cfg.config_path ? cfg.config_path : "~/.config/boxtop/config");
        goto out;
    }
    if (!cfg.api_key && !cfg.api_url_explicit) {
        error_set(err, ERROR_USAGE, _("context %s has no API key or URL"), name);
        goto out;
    }
    /* the old backend's sandboxes are not this one's */
    void (*gone)(struct model *, struct box *, void *) = a->model.on_gone;
    a->model.on_gone = NULL; /* leaving a context does not end its sandboxes */
    while (a->model.n)
        model_remove(&a->model, a->model.sb[0]->id);
    a->model.on_gone = gone;
    a->model.loading = 1;
    a->model.starts_per_min = -1;
    model_touch(&a->model);
    if (backend_e2b_connect(a->be, cfg.api_url, cfg.api_key, cfg.sandbox_url, cfg.domain,
                            cfg.team_id, err))
        goto out;
    box_set_str(&a->model.context, name);
    set_label_url(a, cfg.api_url);
    rc = 0;
out:
    config_free(&cfg);
    return rc;
}

/* Flags > environment > context > ~/.e2b/config.json (config.h). With a key: that API.
 * Without one: the local boxtopd, started if needed. */
static struct backend *backend_live_new(struct live *lv, const struct tui_opts *o,
                                        struct error *err)
{
    struct app *a = lv->a;
    struct config cfg;
    if (config_load(&cfg, &o->flags, NULL, err)) {
        config_free(&cfg);
        return NULL;
    }
    if (cfg.context) box_set_str(&a->model.context, cfg.context);
    contexts_to_app(a, &cfg);
    a->switch_ctx = live_switch_ctx;
    a->switch_ud = lv;
    lv->http = http_new(a->loop, NULL);
    /* `:api` (views/view_apilog.c): every call from now on, redacted as it is stored */
    if (lv->http && (a->api_log = api_log_new(API_LOG_MAX)))
        http_set_observer(lv->http, api_log_observe, a->api_log);
    struct backend *be = lv->http ? backend_e2b_new(a->loop, &a->model, lv->http) : NULL;
    if (!be) {
        error_set(err, ERROR_GENERIC, "out of memory");
        config_free(&cfg);
        return NULL;
    }
    int rc;
    if (cfg.api_key || cfg.api_url_explicit) {
        rc = backend_e2b_connect(be, cfg.api_url, cfg.api_key, cfg.sandbox_url, cfg.domain,
                                 cfg.team_id, err);
        /* the URL only: the key never reaches the screen */
        if (!rc) set_label_url(a, cfg.api_url);
    } else {
        a->be = be; /* on_local_ready reports through it */
        rc = live_start_local(lv, o->state_dir, err);
    }
    config_free(&cfg);
    if (rc) {
        be->ops->destroy(be);
        a->be = NULL;
        return NULL;
    }
    return be;
}

static void on_stop_timer(struct loop *l, void *ud)
{
    struct live *lv = ud;
    supervise_stop(lv->sup); /* waits for boxtopd through nested loop turns */
    lv->sup = NULL;
    loop_stop(l);
}

/* Stop the local boxtopd if we started it. local_backend_stop() waits with loop_run_once(),
 * which returns at once while the loop is stopped (as it is after app_run), so it runs from a
 * timer inside one more loop_run(). */
static void live_stop_local(struct live *lv)
{
    loop_timer_add(lv->a->loop, 0, on_stop_timer, lv);
    loop_run(lv->a->loop);
}

/* theme = NAME and [keys] of the config file, --theme over the file's theme. */
static int load_look(struct app *a, const struct tui_opts *o, struct error *err)
{
    struct config cfg;
    int rc = -1;
    if (config_read_file(&cfg, o->flags.config_path, NULL, err)) goto out;
    const char *file = cfg.config_path ? cfg.config_path : "config";
    a->theme_id = THEME_DARK;
    if (o->theme) {
        if ((a->theme_id = theme_by_name(o->theme)) < 0) {
            error_set(err, ERROR_USAGE, _("unknown theme %s (valid: %s)"), o->theme, theme_names());
            goto out;
        }
    } else if (cfg.theme && (a->theme_id = theme_by_name(cfg.theme)) < 0) {
        error_set(err, ERROR_USAGE, _("%s:%d: unknown theme %s (valid: %s)"), file, cfg.theme_line,
                  cfg.theme, theme_names());
        goto out;
    }
    if (keymap_apply(&a->keys, cfg.keys, cfg.n_keys, file, err)) goto out;
    rc = 0;
out:
    config_free(&cfg);
    return rc;
}

int tui_main(int argc, char **argv)
{
    struct tui_opts o = {0};
    int rc = parse_opts(argc, argv, &o);
    if (rc) return rc > 0 ? 0 : 2;

#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
    /* Each refresh at 10 000 sandboxes briefly needs a few 0.5 MB blocks (sort keys, staged
     * samples). glibc would move its mmap threshold up after the first one and then carve
     * them out of the heap, where the freed space stays resident between refreshes; a fixed
     * threshold keeps them mmap()ed and given back (bench/list: ~3 MB less RSS). */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
    struct app *a = calloc(1, sizeof(*a));
    if (!a) return 1;
    a->readonly = o.readonly;
    a->no_color = o.no_color;
    a->record_path = o.record;
    a->rec_sessions_dir = o.record_sessions;
    keymap_init(&a->keys);
    model_init(&a->model);
    if (o.flags.context) box_set_str(&a->model.context, o.flags.context);
    struct live lv = {a, NULL, NULL, NULL, 0};
    a->loop = loop_new();
    struct error err = {0};
    if (!a->loop) {
        rc = 1;
        goto out;
    }
    if (load_look(a, &o, &err)) {
        fprintf(stderr, "boxtop: %s\n", err.msg);
        rc = 2;
        goto out;
    }
    if (o.replay) {
        a->be = backend_replay_new(a->loop, &a->model, o.replay, &err);
        if (a->be) {
            struct buf b = BUF_INIT;
            buf_printf(&b, _("replay of %s"), a->model.backend_label);
            box_set_str(&a->model.backend_label, buf_cstr(&b));
            buf_free(&b);
        }
    } else {
        a->be = backend_live_new(&lv, &o, &err);
    }
    if (!a->be) {
        fprintf(stderr, "boxtop: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    rc = app_run(a);
out:
    if (a->be) a->be->ops->destroy(a->be);
    if (lv.sup) live_stop_local(&lv);
    free(lv.local_label);
    if (lv.http) http_free(lv.http);
    api_log_free(a->api_log);
    if (a->loop) loop_free(a->loop);
    app_free_contexts(a);
    model_free(&a->model);
    free(a);
    return rc;
}
