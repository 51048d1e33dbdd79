/* config_file.c - the parser of ~/.config/boxtop/config.
 *
 * The format is INI-like and strict, so that a typo is an error at its line instead of a
 * silently ignored setting:
 *
 *     # comment
 *     context = prod            top level: the context used when --context is not given
 *     theme = dark
 *     [context prod]
 *     domain = e2b.app
 *     api_key_command = pass show e2b/prod
 *     [context local]
 *     api_url = http://127.0.0.1:3000
 *     api_key = e2b_...
 *     [keys]
 *     kill = K                  ACTION = KEY; names and key syntax are checked by the TUI
 *
 * Values may be wrapped in double quotes (kept verbatim inside); there are no escapes and no
 * trailing comments, so a value (a shell command) may contain '#'. Messages name the file
 * and line but never quote a value, which may be a key. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/config.h"
#include "boxtop/i18n.h"

#define CONFIG_NAME_MAX 64

static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

static char *dup_range(const char *s, const char *e)
{
    size_t n = (size_t)(e - s);
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static bool valid_name(const char *s, const char *e)
{
    if (s == e || e - s > CONFIG_NAME_MAX) return false;
    for (; s < e; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return false;
    return true;
}

static void strip_quotes(const char **s, const char **e)
{
    if (*e - *s >= 2 && **s == '"' && (*e)[-1] == '"') {
        (*s)++;
        (*e)--;
    }
}

const struct config_context *config_find_context(const struct config *cfg, const char *name)
{
    for (int i = 0; name && i < cfg->n_contexts; i++)
        if (strcmp(cfg->contexts[i].name, name) == 0) return &cfg->contexts[i];
    return NULL;
}

/* Where a key's value goes: in a context (ctx != NULL) or at the top level. */
static char **setting_slot(struct config *cfg, struct config_context *ctx, const char *key)
{
    if (!ctx) {
        if (strcmp(key, "context") == 0) return &cfg->default_context;
        if (strcmp(key, "theme") == 0) return &cfg->theme;
        return NULL;
    }
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"domain", offsetof(struct config_context, domain)},
        {"api_url", offsetof(struct config_context, api_url)},
        {"sandbox_url", offsetof(struct config_context, sandbox_url)},
        {"api_key", offsetof(struct config_context, api_key)},
        {"api_key_command", offsetof(struct config_context, api_key_command)},
        {"team_id", offsetof(struct config_context, team_id)},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(key, keys[i].key) == 0) return (char **)((char *)ctx + keys[i].off);
    return NULL;
}

/* Sections: what the settings that follow belong to. */
enum section { SEC_TOP = 0, SEC_CONTEXT, SEC_KEYS };

static int parse_section(struct config *cfg, const char *s, const char *e, const char *name,
                         int line, enum section *sec, char *view, size_t view_n, struct error *err)
{
    if (e - s < 2 || e[-1] != ']')
        return error_set(err, ERROR_USAGE, _("%s:%d: expected [context NAME] or [keys]"), name,
                         line);
    s++;
    e--;
    trim(&s, &e);
    view[0] = '\0';
    /* [keys.VIEW]: the keys of one view ("follow = F" there is "VIEW.follow = F") */
    if (e - s > 5 && strncmp(s, "keys.", 5) == 0) {
        size_t vl = (size_t)(e - s - 5);
        for (size_t i = 0; i < vl; i++)
            if (s[5 + i] < 'a' || s[5 + i] > 'z' || vl >= view_n)
                return error_set(err, ERROR_USAGE, _("%s:%d: expected [keys.VIEW] (a view name)"),
                                 name, line);
        memcpy(view, s + 5, vl);
        view[vl] = '\0';
        *sec = SEC_KEYS;
        return 0;
    }
    if (e - s == 4 && strncmp(s, "keys", 4) == 0) {
        if (cfg->keys_seen)
            return error_set(err, ERROR_USAGE, _("%s:%d: [keys] appears twice"), name, line);
        cfg->keys_seen = 1;
        *sec = SEC_KEYS;
        return 0;
    }
    *sec = SEC_CONTEXT;
    if (e - s < 8 || strncmp(s, "context", 7) != 0 || (s[7] != ' ' && s[7] != '\t'))
        return error_set(err, ERROR_USAGE, _("%s:%d: expected [context NAME] or [keys]"), name,
                         line);
    s += 7;
    trim(&s, &e);
    strip_quotes(&s, &e);
    if (!valid_name(s, e))
        return error_set(err, ERROR_USAGE,
                         _("%s:%d: a context name is 1-%d letters, digits, '.', '_' or '-'"), name,
                         line, CONFIG_NAME_MAX);
    char *ctx_name = dup_range(s, e);
    if (!ctx_name) return error_set(err, ERROR_GENERIC, _("out of memory"));
    if (config_find_context(cfg, ctx_name)) {
        error_set(err, ERROR_USAGE, _("%s:%d: context %s is defined twice"), name, line, ctx_name);
        free(ctx_name);
        return -1;
    }
    struct config_context *p =
        realloc(cfg->contexts, (size_t)(cfg->n_contexts + 1) * sizeof *cfg->contexts);
    if (!p) {
        free(ctx_name);
        return error_set(err, ERROR_GENERIC, _("out of memory"));
    }
    cfg->contexts = p;
    memset(&p[cfg->n_contexts], 0, sizeof *p);
    p[cfg->n_contexts++].name = ctx_name;
    return 0;
}

/* "ACTION = KEY" in [keys]: the action's spelling is checked here (like any KEY), what it
 * means by the TUI, which names the line. An empty [keys] section is allowed (all
 * defaults), and so is one that appears before or after the contexts. */
static int parse_keybind(struct config *cfg, const char *key, const char *vs, const char *ve,
                         const char *name, int line, struct error *err)
{
    for (int i = 0; i < cfg->n_keys; i++)
        if (strcmp(cfg->keys[i].action, key) == 0)
            return error_set(err, ERROR_USAGE, _("%s:%d: %s is set twice"), name, line, key);
    if (vs == ve)
        return error_set(err, ERROR_USAGE, _("%s:%d: %s has an empty value"), name, line, key);
    struct config_keybind *p = realloc(cfg->keys, (size_t)(cfg->n_keys + 1) * sizeof *p);
    if (!p) return error_set(err, ERROR_GENERIC, _("out of memory"));
    cfg->keys = p;
    struct config_keybind *k = &p[cfg->n_keys];
    k->action = strdup(key);
    k->key = dup_range(vs, ve);
    k->line = line;
    cfg->n_keys++;
    if (!k->action || !k->key) return error_set(err, ERROR_GENERIC, _("out of memory"));
    return 0;
}

static int parse_setting(struct config *cfg, struct config_context *ctx, enum section sec,
                         const char *view, const char *s, const char *e, const char *name, int line,
                         struct error *err)
{
    const char *eq = memchr(s, '=', (size_t)(e - s));
    if (!eq) return error_set(err, ERROR_USAGE, _("%s:%d: expected KEY = VALUE"), name, line);
    const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
    trim(&ks, &ke);
    trim(&vs, &ve);
    char key[32];
    size_t kn = (size_t)(ke - ks);
    if (kn == 0 || kn >= sizeof key)
        return error_set(err, ERROR_USAGE, _("%s:%d: expected KEY = VALUE"), name, line);
    for (size_t i = 0; i < kn; i++) {
        /* '.' only in [keys]: VIEW.action */
        if ((ks[i] < 'a' || ks[i] > 'z') && ks[i] != '_' &&
            (ks[i] != '.' || sec != SEC_KEYS || view[0]))
            return error_set(err, ERROR_USAGE, _("%s:%d: expected KEY = VALUE"), name, line);
        key[i] = ks[i];
    }
    key[kn] = '\0';
    if (sec == SEC_KEYS) {
        /* no quote stripping: `"` may be a key, and `"x"` is not a key name */
        char full[sizeof key + CONFIG_KEYS_VIEW_MAX + 1];
        snprintf(full, sizeof full, "%s%s%s", view, view[0] ? "." : "", key);
        return parse_keybind(cfg, full, vs, ve, name, line, err);
    }
    char **slot = setting_slot(cfg, ctx, key);
    if (!slot) {
        struct config_context probe = {0};
        if (!ctx && setting_slot(cfg, &probe, key))
            return error_set(err, ERROR_USAGE, _("%s:%d: %s belongs in a [context NAME] section"),
                             name, line, key);
        return error_set(err, ERROR_USAGE, _("%s:%d: unknown setting %s"), name, line, key);
    }
    if (*slot) return error_set(err, ERROR_USAGE, _("%s:%d: %s is set twice"), name, line, key);
    strip_quotes(&vs, &ve);
    if (vs == ve)
        return error_set(err, ERROR_USAGE, _("%s:%d: %s has an empty value"), name, line, key);
    if (slot == &cfg->default_context && !valid_name(vs, ve))
        return error_set(err, ERROR_USAGE,
                         _("%s:%d: a context name is 1-%d letters, digits, '.', '_' or '-'"), name,
                         line, CONFIG_NAME_MAX);
    if (ctx && ((slot == &ctx->api_key && ctx->api_key_command) ||
                (slot == &ctx->api_key_command && ctx->api_key)))
        return error_set(err, ERROR_USAGE,
                         _("%s:%d: context %s has both api_key and api_key_command"), name, line,
                         ctx->name);
    if (!(*slot = dup_range(vs, ve))) return error_set(err, ERROR_GENERIC, _("out of memory"));
    if (slot == &cfg->theme) cfg->theme_line = line;
    return 0;
}

int config_parse_text(struct config *cfg, const char *text, size_t len, const char *name,
                      struct error *err)
{
    if (!name) name = "config";
    int line = 0;
    enum section sec = SEC_TOP;
    char view[CONFIG_KEYS_VIEW_MAX + 1] = ""; /* of a [keys.VIEW] section */
    const char *p = text, *end = text + len;
    while (p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        if (e > s && e[-1] == '\r') e--;
        for (const char *c = s; c < e; c++)
            if ((unsigned char)*c < 0x20 ? *c != '\t' : *c == 0x7F)
                return error_set(err, ERROR_USAGE, _("%s:%d: control character in line"), name,
                                 line);
        trim(&s, &e);
        if (s == e || *s == '#') continue;
        int rc = *s == '['
                     ? parse_section(cfg, s, e, name, line, &sec, view, sizeof view, err)
                     : parse_setting(
                           cfg, sec == SEC_CONTEXT ? &cfg->contexts[cfg->n_contexts - 1] : NULL,
                           sec, view, s, e, name, line, err);
        if (rc < 0) return rc;
    }
    return 0;
}
