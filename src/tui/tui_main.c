/* tui_main.c - entry of the interactive UI: flags, backend choice, then app_run().
 *
 * Flags: --replay FILE (drive the UI from a recorded model), --record FILE (write the model
 * as JSON on exit), --readonly, --no-color, --api-url URL, --context NAME. NO_COLOR in the
 * environment is honoured too. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/buf.h"
#include "boxtop/error.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/tui.h"
#include "app.h"
#include "backend_e2b.h"

struct tui_opts {
    const char *replay, *record, *api_url, *context;
    int readonly, no_color;
};

static void usage(FILE *f)
{
    fprintf(f, _("usage: boxtop [--readonly] [--no-color] [--context NAME] [--api-url URL]\n"
                 "              [--record FILE] [--replay FILE]\n"));
}

static int parse_opts(int argc, char **argv, struct tui_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!strcmp(a, "--readonly"))
            o->readonly = 1;
        else if (!strcmp(a, "--no-color"))
            o->no_color = 1;
        else if (!strcmp(a, "--replay"))
            dst = &o->replay;
        else if (!strcmp(a, "--record"))
            dst = &o->record;
        else if (!strcmp(a, "--api-url"))
            dst = &o->api_url;
        else if (!strcmp(a, "--context"))
            dst = &o->context;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 1;
        } else {
            fprintf(stderr, _("boxtop: unknown option %s\n"), a);
            usage(stderr);
            return -1;
        }
        if (dst) {
            if (i + 1 >= argc) {
                fprintf(stderr, _("boxtop: %s needs a value\n"), a);
                return -1;
            }
            *dst = argv[++i];
        }
    }
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0]) o->no_color = 1;
    return 0;
}

/* Where the live data comes from: --api-url / E2B_API_URL / E2B_DOMAIN with E2B_API_KEY. */
static struct backend *backend_live_new(struct app *a, const struct tui_opts *o, struct error *err)
{
    const char *key = getenv("E2B_API_KEY");
    const char *url = o->api_url ? o->api_url : getenv("E2B_API_URL");
    const char *domain = getenv("E2B_DOMAIN");
    char derived[512];
    if (key && !key[0])
        key = NULL;
    if (!url || !url[0]) {
        if (!key) {
            error_set(err, ERROR_USAGE,
                      _("no API key (E2B_API_KEY) and no --api-url: starting a local boxtopd "
                        "is not in this build yet; use --api-url, E2B_API_KEY or --replay FILE"));
            return NULL;
        }
        snprintf(derived, sizeof(derived), "https://api.%s",
                 domain && domain[0] ? domain : "e2b.app");
        url = derived;
    }
    struct backend *be = backend_e2b_new(a->loop, &a->model, url, key, err);
    if (be) {
        struct buf b = BUF_INIT;
        /* the URL only: the key never reaches the screen */
        buf_printf(&b, "E2B API %s", url);
        box_set_str(&a->model.backend_label, buf_cstr(&b));
        buf_free(&b);
    }
    return be;
}

int tui_main(int argc, char **argv)
{
    struct tui_opts o = {0};
    int rc = parse_opts(argc, argv, &o);
    if (rc) return rc > 0 ? 0 : 2;

    struct app *a = calloc(1, sizeof(*a));
    if (!a) return 1;
    a->readonly = o.readonly;
    a->no_color = o.no_color;
    a->record_path = o.record;
    model_init(&a->model);
    if (o.context) box_set_str(&a->model.context, o.context);
    a->loop = loop_new();
    struct error err = {0};
    if (!a->loop) {
        rc = 1;
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
        a->be = backend_live_new(a, &o, &err);
    }
    if (!a->be) {
        fprintf(stderr, "boxtop: %s\n", err.msg);
        rc = 1;
        goto out;
    }
    rc = app_run(a);
out:
    if (a->be) a->be->ops->destroy(a->be);
    if (a->loop) loop_free(a->loop);
    model_free(&a->model);
    free(a);
    return rc;
}
