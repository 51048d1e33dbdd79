/* config.c - resolve where boxtop's backend is and which key it uses.
 *
 * Every setting is resolved on its own, highest first:
 *   command-line flag > environment > selected context of ~/.config/boxtop/config >
 *   ~/.e2b/config.json (API key and team only) > default.
 * The context is --context NAME, else "context = NAME" at the top of the file, else none.
 * Like the E2B SDK, E2B_DEBUG=true points the API at http://localhost:3000 (and sandboxes at
 * http://localhost:49983) unless a URL is given explicitly, and the API URL is otherwise
 * https://api.<domain>. An api_key_command runs only when its key is the one that wins.
 * ~/.e2b/config.json is only read when nothing above gave a key; the team id then comes
 * from the same file, so a key and a team id of different accounts are never mixed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtop/config.h"
#include "boxtop/i18n.h"
#include "boxtop/json.h"
#include "boxtop/secret.h"

#define CONFIG_FILE_MAX (1024 * 1024)
#define DEFAULT_DOMAIN  "e2b.app"

const char *config_source_name(enum config_source src)
{
    switch (src) {
    case CONFIG_SRC_DEFAULT:
        return _("default");
    case CONFIG_SRC_E2B_FILE:
        return _("~/.e2b/config.json");
    case CONFIG_SRC_PROFILE:
        return _("config file");
    case CONFIG_SRC_ENV:
        return _("environment");
    case CONFIG_SRC_FLAG:
        return _("command line");
    }
    return "?";
}

static void free_context(struct config_context *c)
{
    free(c->name);
    free(c->domain);
    free(c->api_url);
    free(c->sandbox_url);
    if (c->api_key) explicit_bzero(c->api_key, strlen(c->api_key));
    free(c->api_key);
    free(c->api_key_command);
    free(c->team_id);
}

void config_free(struct config *cfg)
{
    if (!cfg) return;
    secret_free(cfg->api_key);
    free(cfg->domain);
    free(cfg->api_url);
    free(cfg->sandbox_url);
    free(cfg->team_id);
    free(cfg->context);
    for (int i = 0; i < cfg->n_contexts; i++)
        free_context(&cfg->contexts[i]);
    free(cfg->contexts);
    free(cfg->default_context);
    free(cfg->theme);
    for (int i = 0; i < cfg->n_keys; i++) {
        free(cfg->keys[i].action);
        free(cfg->keys[i].key);
    }
    free(cfg->keys);
    free(cfg->config_path);
    memset(cfg, 0, sizeof *cfg);
}

/* Read a whole (small) regular file. 0, -ENOENT when it does not exist, or -1 with err. */
static int read_file(const char *path, struct buf *out, struct error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return -ENOENT;
        return error_set(err, ERROR_USAGE, _("cannot read %s: %s"), path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
        close(fd);
        return error_set(err, ERROR_USAGE, _("%s: not a regular file of at most 1 MiB"), path);
    }
    char chunk[4096];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || out->len + (size_t)n > CONFIG_FILE_MAX || buf_append(out, chunk, (size_t)n)) {
            close(fd);
            return error_set(err, ERROR_USAGE, _("cannot read %s"), path);
        }
    }
    close(fd);
    return 0;
}

/* A value worth using: set and not empty (the SDK treats empty variables as unset). */
static const char *given(const char *s)
{
    return s && *s ? s : NULL;
}

static int set_str(char **dst, const char *src, struct error *err)
{
    free(*dst);
    *dst = src ? strdup(src) : NULL;
    if (src && !*dst) return error_set(err, ERROR_GENERIC, _("out of memory"));
    return 0;
}

/* Keys go into HTTP headers: printable ASCII without spaces, and not absurdly long. */
static int check_key(const char *key, enum config_source src, struct error *err)
{
    size_t n = strlen(key);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)key[i] <= 0x20 || (unsigned char)key[i] >= 0x7F) n = 0;
    if (n == 0 || n > 1024)
        return error_set(err, ERROR_AUTH, _("the API key from the %s is malformed"),
                         config_source_name(src));
    return 0;
}

/* http:// or https:// followed by a host, no blanks or controls; strips trailing '/'. */
static int check_url(char *url, const char *what, struct error *err)
{
    size_t n = strlen(url);
    const char *rest = strncmp(url, "https://", 8) == 0  ? url + 8
                       : strncmp(url, "http://", 7) == 0 ? url + 7
                                                         : NULL;
    bool ok = rest && *rest && *rest != '/';
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7F) ok = false;
    if (!ok) return error_set(err, ERROR_USAGE, _("%s: not an http:// or https:// URL"), what);
    while (n > 0 && url[n - 1] == '/' && url + n - 1 > rest)
        url[--n] = '\0';
    return 0;
}

static int check_domain(const char *d, const char *what, struct error *err)
{
    if (!*d ||
        strspn(d, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:") !=
            strlen(d) ||
        d[0] == '.' || d[0] == '-')
        return error_set(err, ERROR_USAGE, _("%s: not a domain name"), what);
    return 0;
}

/* ~/.e2b/config.json as `e2b auth login` writes it: version 2 has projectApiKey/projectId,
 * version 1 teamApiKey/teamId, older files defaultTeamApiKey/defaultTeamId. */
static int load_e2b_file(struct config *cfg, const char *home, struct error *err)
{
    struct buf path = BUF_INIT, text = BUF_INIT;
    int rc = buf_printf(&path, "%s/.e2b/config.json", home);
    if (rc < 0) {
        buf_free(&path);
        return error_set(err, ERROR_GENERIC, _("out of memory"));
    }
    rc = read_file(path.data, &text, err);
    if (rc == -ENOENT) {
        buf_free(&path);
        return 0;
    }
    cJSON *root = NULL;
    if (rc == 0 && !(root = json_parse(text.data, text.len, err))) rc = -1;
    if (rc == 0) rc = json_expect_object(root, "", err);
    static const char *const key_fields[] = {"projectApiKey", "teamApiKey", "defaultTeamApiKey"};
    static const char *const team_fields[] = {"projectId", "teamId", "defaultTeamId"};
    for (int i = 0; rc == 0 && i < 3 && !cfg->api_key; i++) {
        const char *key = NULL, *team = NULL;
        rc = json_opt_string(root, "", key_fields[i], &key, err);
        if (rc == 0) rc = json_opt_string(root, "", team_fields[i], &team, err);
        if (rc == 0 && given(key)) {
            cfg->key_source = CONFIG_SRC_E2B_FILE;
            rc = set_str(&cfg->api_key, key, err);
            if (rc == 0 && !cfg->team_id) rc = set_str(&cfg->team_id, given(team), err);
        }
    }
    if (rc < 0) error_prefix(err, "%s", path.data);
    cJSON_Delete(root);
    if (text.data) explicit_bzero(text.data, text.len);
    buf_free(&text);
    buf_free(&path);
    return rc;
}

static int load_profile_file(struct config *cfg, const struct config_flags *flags, const char *home,
                             bool home_given, struct error *err)
{
    const char *explicit_path = given(flags->config_path);
    const char *xdg = given(getenv("XDG_CONFIG_HOME"));
    struct buf path = BUF_INIT, text = BUF_INIT;
    int rc;
    if (explicit_path)
        rc = buf_append_str(&path, explicit_path);
    else if (xdg && xdg[0] == '/' && !home_given)
        rc = buf_printf(&path, "%s/boxtop/config", xdg);
    else if (home)
        rc = buf_printf(&path, "%s/.config/boxtop/config", home);
    else
        return 0; /* no HOME: no file */
    if (rc < 0) {
        buf_free(&path);
        return error_set(err, ERROR_GENERIC, _("out of memory"));
    }
    cfg->config_path = buf_steal(&path);
    rc = read_file(cfg->config_path, &text, err);
    if (rc == -ENOENT) {
        rc = explicit_path ? error_set(err, ERROR_USAGE, _("%s: no such file"), cfg->config_path)
                           : 0;
    } else if (rc == 0) {
        rc = config_parse_text(cfg, buf_cstr(&text), text.len, cfg->config_path, err);
    }
    if (text.data) explicit_bzero(text.data, text.len);
    buf_free(&text);
    return rc;
}

/* The context's key: api_key, or the output of api_key_command. */
static int profile_key(struct config *cfg, const struct config_context *ctx, struct error *err)
{
    if (ctx->api_key) return set_str(&cfg->api_key, ctx->api_key, err);
    if (!ctx->api_key_command) return 0;
    char label[128], *key = NULL;
    snprintf(label, sizeof label, _("context %s"), ctx->name);
    if (config_run_key_command(ctx->api_key_command, label, &key, err) < 0) return -1;
    free(cfg->api_key);
    cfg->api_key = key;
    return 0;
}

static bool same_url(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    while (la && a[la - 1] == '/')
        la--;
    while (lb && b[lb - 1] == '/')
        lb--;
    return la == lb && strncasecmp(a, b, la) == 0;
}

/* A key read from a file (~/.e2b/config.json: E2B's API; a context: the context's API) goes
 * only to the API it belongs to: one given elsewhere (--api-url, E2B_API_URL, or a context's
 * URL for the e2b file's key) without a key for it would receive someone else's secret. */
static int check_key_owner(struct config *cfg, const struct config_context *ctx, struct error *err)
{
    if (!cfg->api_key || !cfg->api_url_explicit) return 0;
    if (cfg->key_source != CONFIG_SRC_E2B_FILE && cfg->key_source != CONFIG_SRC_PROFILE) return 0;
    if (cfg->key_source == CONFIG_SRC_PROFILE && cfg->url_source == CONFIG_SRC_PROFILE) return 0;
    struct buf owner = BUF_INIT;
    if (cfg->key_source == CONFIG_SRC_PROFILE && ctx && ctx->api_url)
        buf_append_str(&owner, ctx->api_url);
    else
        buf_printf(&owner, "https://api.%s", cfg->domain);
    bool ok = owner.data && same_url(owner.data, cfg->api_url);
    if (!ok)
        error_set(err, ERROR_USAGE,
                  _("not sending the API key from %s to %s (it belongs to %s): give that API's "
                    "key with --api-key or E2B_API_KEY"),
                  cfg->key_source == CONFIG_SRC_E2B_FILE ? _("~/.e2b/config.json")
                                                         : _("the config file's context"),
                  cfg->api_url, owner.data ? owner.data : "?");
    buf_free(&owner);
    if (!ok) {
        explicit_bzero(cfg->api_key, strlen(cfg->api_key));
        free(cfg->api_key);
        cfg->api_key = NULL;
        return -1;
    }
    return 0;
}

static int resolve(struct config *cfg, const struct config_flags *flags, const char *home,
                   struct error *err)
{
    const char *ctx_name = given(flags->context) ? flags->context : cfg->default_context;
    const struct config_context *ctx = NULL;
    if (ctx_name) {
        ctx = config_find_context(cfg, ctx_name);
        if (!ctx)
            return error_set(err, ERROR_USAGE, _("no context %s in %s"), ctx_name,
                             cfg->config_path ? cfg->config_path : _("the config file"));
        if (set_str(&cfg->context, ctx_name, err) < 0) return -1;
    }
    const char *debug = given(getenv("E2B_DEBUG"));
    cfg->debug = debug && strcasecmp(debug, "true") == 0;

    /* Domain. */
    const char *v;
    enum config_source dom_src = CONFIG_SRC_DEFAULT;
    const char *dom_what = "E2B_DOMAIN";
    if ((v = given(flags->domain))) {
        dom_src = CONFIG_SRC_FLAG;
        dom_what = "--domain";
    } else if ((v = given(getenv("E2B_DOMAIN")))) {
        dom_src = CONFIG_SRC_ENV;
    } else if (ctx && (v = ctx->domain)) {
        dom_src = CONFIG_SRC_PROFILE;
        dom_what = cfg->config_path;
    } else {
        v = DEFAULT_DOMAIN;
    }
    if (check_domain(v, dom_what, err) < 0 || set_str(&cfg->domain, v, err) < 0) return -1;

    /* API URL: explicit, else debug's localhost, else derived from the domain. */
    const char *url_what = "--api-url";
    cfg->api_url_explicit = true;
    if ((v = given(flags->api_url))) {
        cfg->url_source = CONFIG_SRC_FLAG;
    } else if ((v = given(getenv("E2B_API_URL")))) {
        cfg->url_source = CONFIG_SRC_ENV;
        url_what = "E2B_API_URL";
    } else if (ctx && (v = ctx->api_url)) {
        cfg->url_source = CONFIG_SRC_PROFILE;
        url_what = cfg->config_path;
    } else {
        cfg->api_url_explicit = false;
    }
    if (v) {
        if (set_str(&cfg->api_url, v, err) < 0 || check_url(cfg->api_url, url_what, err) < 0)
            return -1;
    } else if (cfg->debug) {
        cfg->url_source = CONFIG_SRC_ENV;
        if (set_str(&cfg->api_url, "http://localhost:3000", err) < 0) return -1;
    } else {
        struct buf b = BUF_INIT;
        if (buf_printf(&b, "https://api.%s", cfg->domain) < 0) {
            buf_free(&b);
            return error_set(err, ERROR_GENERIC, _("out of memory"));
        }
        cfg->api_url = buf_steal(&b);
        cfg->url_source = dom_src;
    }

    /* Sandbox URL: NULL means per-sandbox https://49983-<id>.<domain>. */
    const char *sb_what = "--sandbox-url";
    if (!(v = given(flags->sandbox_url))) {
        sb_what = "E2B_SANDBOX_URL";
        if (!(v = given(getenv("E2B_SANDBOX_URL"))) && ctx) {
            sb_what = cfg->config_path;
            v = ctx->sandbox_url;
        }
    }
    if (!v && cfg->debug) v = "http://localhost:49983";
    if (v &&
        (set_str(&cfg->sandbox_url, v, err) < 0 || check_url(cfg->sandbox_url, sb_what, err) < 0))
        return -1;

    /* Team id from the environment or the context (the e2b file's comes with its key). */
    if ((v = given(getenv("E2B_TEAM_ID"))) || (ctx && (v = ctx->team_id)))
        if (set_str(&cfg->team_id, v, err) < 0) return -1;

    /* API key. */
    if ((v = given(flags->api_key))) {
        cfg->key_source = CONFIG_SRC_FLAG;
        if (set_str(&cfg->api_key, v, err) < 0) return -1;
    } else if ((v = given(getenv("E2B_API_KEY")))) {
        cfg->key_source = CONFIG_SRC_ENV;
        if (set_str(&cfg->api_key, v, err) < 0) return -1;
    } else if (ctx && (ctx->api_key || ctx->api_key_command)) {
        cfg->key_source = CONFIG_SRC_PROFILE;
        if (profile_key(cfg, ctx, err) < 0) return -1;
    } else if (home && load_e2b_file(cfg, home, err) < 0) {
        return -1;
    }
    if (cfg->api_key && check_key(cfg->api_key, cfg->key_source, err) < 0) return -1;
    return check_key_owner(cfg, ctx, err);
}

int config_read_file(struct config *cfg, const char *config_path, const char *home,
                     struct error *err)
{
    struct config_flags flags = {0};
    flags.config_path = config_path;
    memset(cfg, 0, sizeof *cfg);
    bool home_given = home != NULL;
    if (!home) home = given(getenv("HOME"));
    if (load_profile_file(cfg, &flags, home, home_given, err) < 0) {
        config_free(cfg);
        return -1;
    }
    return 0;
}

int config_load(struct config *cfg, const struct config_flags *flags, const char *home,
                struct error *err)
{
    static const struct config_flags no_flags;
    memset(cfg, 0, sizeof *cfg);
    if (!flags) flags = &no_flags;
    bool home_given = home != NULL;
    if (!home) home = given(getenv("HOME"));
    int rc = load_profile_file(cfg, flags, home, home_given, err);
    if (rc == 0) rc = resolve(cfg, flags, home, err);
    if (rc < 0) {
        config_free(cfg);
        return -1;
    }
    return 0;
}
