/* config.h - where boxtop finds its backend.
 *
 * Precedence, highest first: command-line flags > environment (E2B_API_KEY, E2B_DOMAIN,
 * E2B_API_URL, E2B_SANDBOX_URL, E2B_DEBUG) > the selected context of ~/.config/boxtop/config
 * > ~/.e2b/config.json (what `e2b auth login` writes). */
#ifndef BOXTOP_CONFIG_H
#define BOXTOP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
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

#define CONFIG_KEYS_VIEW_MAX 15 /* the VIEW of [keys.VIEW] */

struct config_keybind { /* one "ACTION = KEY" line of the [keys] section (checked by the TUI) */
    char *action;
    char *key;
    int line; /* for "FILE:LINE:" messages */
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
    char *default_context;       /* "context = NAME" at the top of the file */
    char *theme;                 /* "theme = dark" (the name is checked by the TUI) */
    int theme_line;              /* its line, for messages */
    struct config_keybind *keys; /* the [keys] section, in file order */
    int n_keys;
    int keys_seen;     /* [keys] was read (it may appear once; [keys.VIEW] once each too) */
    char *config_path; /* the file actually read (may not exist) */
};

/* home NULL -> $HOME. A missing file is fine; a malformed one is an error naming the line.
 * Call it before the UI takes the terminal: an api_key_command runs synchronously (up to
 * CONFIG_KEY_COMMAND_TIMEOUT_MS) with the terminal's stdin and stderr. On error cfg is left
 * empty (config_free is still safe). Error messages never contain a key. */
int config_load(struct config *cfg, const struct config_flags *flags, const char *home,
                struct error *err);
void config_free(struct config *cfg);
const char *config_source_name(enum config_source src);

/* Parse the text of a boxtop config file into cfg->contexts, default_context and theme.
 * cfg starts zeroed; name is used in messages ("NAME:LINE: ..."). Only parses: runs nothing.
 * On error cfg may hold part of the file, so config_free() it either way. */
int config_parse_text(struct config *cfg, const char *text, size_t len, const char *name,
                      struct error *err);
/* Only find, read and parse the config file (config_path NULL = the default place; home NULL
 * = $HOME): no environment, no key commands. For the TUI's theme and [keys] in any mode. */
int config_read_file(struct config *cfg, const char *config_path, const char *home,
                     struct error *err);
/* The context called name, or NULL. */
const struct config_context *config_find_context(const struct config *cfg, const char *name);

#define CONFIG_KEY_COMMAND_TIMEOUT_MS 60000
/* Run cmd with /bin/sh -c and return the first line of its stdout (malloc'd) in *key.
 * A non-zero exit, a signal, a timeout or an empty line is an error that does not include
 * the command's output. label names the command in messages ("context prod"). */
int config_run_key_command(const char *cmd, const char *label, char **key, struct error *err);

#endif
