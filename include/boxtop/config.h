/* config.h - where boxtop finds its backend.
 *
 * Precedence, highest first: command-line flags > environment (E2B_API_KEY, E2B_DOMAIN,
 * E2B_API_URL, E2B_SANDBOX_URL, E2B_DEBUG) > the selected context of ~/.config/boxtop/config
 * > ~/.e2b/config.json (what `e2b auth login` writes). */
#ifndef BOXTOP_CONFIG_H
#define BOXTOP_CONFIG_H

#include <stdbool.h>
#include "boxtop/error.h"

enum config_source {
    CONFIG_SRC_DEFAULT = 0,
    CONFIG_SRC_E2B_FILE,
    CONFIG_SRC_PROFILE,
    CONFIG_SRC_ENV,
    CONFIG_SRC_FLAG,
};

struct config_flags { /* NULL = not given */
    const char *api_key;
    const char *api_url;
    const char *sandbox_url;
    const char *domain;
    const char *context;
    const char *config_path; /* overrides ~/.config/boxtop/config */
};

struct config_context { /* one [context NAME] section of the config file */
    char *name;
    char *domain;
    char *api_url;
    char *sandbox_url;
    char *api_key;
    char *api_key_command; /* run with /bin/sh -c, first line of stdout is the key */
    char *team_id;
};

struct config {
    char *api_key;     /* NULL when none: boxtop then starts boxtopd */
    char *domain;      /* default "e2b.app" */
    char *api_url;     /* resolved: E2B_API_URL, else https://api.<domain>, debug localhost:3000 */
    char *sandbox_url; /* NULL = per-sandbox https://49983-<id>.<domain> */
    char *team_id;     /* for team metrics; from E2B_TEAM_ID or the e2b config */
    char *context;     /* name of the context used, or NULL */
    bool debug;
    bool api_url_explicit; /* api_url came from a flag/env/profile, not derived from domain */
    enum config_source key_source, url_source;

    struct config_context *contexts; /* every context in the config file */
    int n_contexts;
    char *default_context;           /* "context = NAME" at the top of the file */
    char *theme;                     /* "theme = dark" */
    char *config_path;               /* the file actually read (may not exist) */
};

/* home NULL -> $HOME. A missing file is fine; a malformed one is an error naming the line. */
int config_load(struct config *cfg, const struct config_flags *flags, const char *home,
                struct error *err);
void config_free(struct config *cfg);
const char *config_source_name(enum config_source src);

#endif
