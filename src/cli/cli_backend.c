/* cli_backend.c - the global flags and the backend they select.
 *
 * Backend choice: a key from flags/env/config uses that API (cloud or self-hosted); without
 * a key a running local boxtopd (its state dir's boxtopd.json + api-key) is used; with
 * neither the command fails with a message saying how to get one. The CLI never starts
 * boxtopd itself: that is the TUI's job (it also stops what it started). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "cli.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/local_backend.h"
#include "boxtop/loop.h"
#include "boxtop/secret.h"
#include "cli_private.h"

/* ---- global flags ------------------------------------------------------------------------ */

/* The global flags are taken out of argv wherever they stand before a "--" and the rest is
 * left in place for the command's own getopt_long: a filter, which getopt cannot be (it
 * would stop at, or reorder, the options it does not know). Each flag names its destination. */
int cli_take_global_flags(struct cli *c, int *argc, char **argv, struct error *err)
{
    const struct {
        const char *name;
        const char **dst;
    } global[] = {
        {"api-key", &c->flags.api_key},         {"api-url", &c->flags.api_url},
        {"sandbox-url", &c->flags.sandbox_url}, {"domain", &c->flags.domain},
        {"context", &c->flags.context},         {"config", &c->flags.config_path},
        {"state-dir", &c->state_dir_flag},
    };
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--")) { /* everything after belongs to the command */
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        if (!strcmp(s, "--no-start")) {
            c->no_start = true;
            continue;
        }
        const char **dst = NULL, *val = NULL;
        for (size_t j = 0; j < sizeof global / sizeof global[0] && !dst; j++) {
            size_t n = strlen(global[j].name);
            if (strncmp(s, "--", 2) || strncmp(s + 2, global[j].name, n)) continue;
            if (s[2 + n] == '=') {
                dst = global[j].dst;
                val = s + 3 + n;
            } else if (s[2 + n] == '\0') {
                dst = global[j].dst;
                if (i + 1 >= *argc)
                    return error_set(err, ERROR_USAGE, _("option --%s needs a value"),
                                     global[j].name);
                val = argv[++i];
            }
        }
        if (!dst) {
            argv[out++] = argv[i];
            continue;
        }
        *dst = val;
    }
    *argc = out;
    argv[out] = NULL;
    return 0;
}

/* ---- backend ----------------------------------------------------------------------------- */

static int dup_into(char **dst, const char *src, struct error *err)
{
    free(*dst);
    *dst = src ? strdup(src) : NULL;
    if (src && !*dst) return error_set(err, ERROR_GENERIC, "out of memory");
    return 0;
}

int cli_connect(struct cli *c, struct error *err)
{
    if (c->api) return 0;
    if (!c->cfg_loaded) {
        if (config_load(&c->cfg, &c->flags, NULL, err) < 0) return -1;
        c->cfg_loaded = true;
    }
    c->state_dir = c->state_dir_flag ? strdup(c->state_dir_flag) : local_backend_default_dir();
    if (!(c->loop = loop_new()) || !(c->http = http_new(c->loop, NULL)))
        return error_set(err, ERROR_GENERIC, "out of memory");
    if (dup_into(&c->domain, c->cfg.domain ? c->cfg.domain : "e2b.app", err) < 0 ||
        dup_into(&c->sandbox_url, c->cfg.sandbox_url, err) < 0)
        return -1;

    if (c->cfg.api_key) {
        if (dup_into(&c->api_url, c->cfg.api_url, err) < 0 ||
            dup_into(&c->api_key, c->cfg.api_key, err) < 0)
            return -1;
    } else {
        struct local_backend_info info;
        struct error lerr = {0};
        bool have_local =
            c->state_dir && local_backend_probe(c->loop, c->http, c->state_dir, &info, &lerr) == 0;
        /* none running (not one that fails to answer): start it, as the TUI would */
        if (!have_local && !c->cfg.api_url_explicit && !c->no_start && c->state_dir &&
            lerr.kind == ERROR_NOT_FOUND) {
            if (cli_start_local(c, &info, err) < 0) return -1;
            have_local = true;
        }
        if (have_local && (!c->cfg.api_url_explicit || !strcmp(c->cfg.api_url, info.api_url))) {
            c->local = true;
            if (dup_into(&c->api_url, info.api_url, err) < 0 ||
                dup_into(&c->api_key, info.api_key, err) < 0 ||
                (!c->sandbox_url && dup_into(&c->sandbox_url, info.sandbox_url, err) < 0)) {
                local_backend_info_free(&info);
                return -1;
            }
        } else if (c->cfg.api_url_explicit) {
            /* An explicit URL without a key: try it; the server says 401 if it needs one. */
            if (dup_into(&c->api_url, c->cfg.api_url, err) < 0) return -1;
        } else {
            if (have_local) local_backend_info_free(&info);
            if (lerr.kind != ERROR_NONE && lerr.kind != ERROR_NOT_FOUND)
                return error_set(err, ERROR_AUTH,
                                 _("no backend: %s; set E2B_API_KEY, use --api-url, or run "
                                   "boxtop to start the local backend"),
                                 lerr.msg);
            return error_set(err, ERROR_AUTH,
                             _("no backend: set E2B_API_KEY, use --api-url, or run boxtop to "
                               "start the local backend"));
        }
        if (have_local) local_backend_info_free(&info);
    }
    c->api = api_new(c->http, c->api_url, c->api_key, err);
    return c->api ? 0 : -1;
}

void cli_free(struct cli *c)
{
    api_free(c->api);
    http_free(c->http);
    loop_free(c->loop);
    if (c->cfg_loaded) config_free(&c->cfg);
    free(c->state_dir);
    free(c->api_url);
    secret_free(c->api_key);
    free(c->sandbox_url);
    free(c->domain);
    memset(c, 0, sizeof *c);
}
