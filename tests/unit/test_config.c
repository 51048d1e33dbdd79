/* test_config.c - configuration precedence (flag > env > context > ~/.e2b/config.json >
 * default), contexts, api_key_command, malformed files, and keys kept out of messages.
 * Every test runs with a fresh temporary HOME and a clean E2B_* environment. */
#include "config.h"

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "boxtop/config.h"

#define FLAG_KEY "e2b_flag0000000000000000000000000000000001"
#define ENV_KEY  "e2b_env00000000000000000000000000000000002"
#define CTX_KEY  "e2b_ctx00000000000000000000000000000000003"
#define FILE_KEY "e2b_file0000000000000000000000000000000004"

static const char *const env_vars[] = {"E2B_API_KEY",     "E2B_DOMAIN", "E2B_API_URL",
                                       "E2B_SANDBOX_URL", "E2B_DEBUG",  "E2B_TEAM_ID",
                                       "XDG_CONFIG_HOME"};

struct fixture {
    char home[64];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->home, "/tmp/boxtop-test-config-XXXXXX");
    if (!mkdtemp(f->home)) return -1;
    for (size_t i = 0; i < sizeof env_vars / sizeof env_vars[0]; i++)
        unsetenv(env_vars[i]);
    *state = f;
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    nftw(f->home, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Write HOME/rel (creating directories). */
static void put(struct fixture *f, const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->home, rel);
    for (char *p = path + strlen(f->home) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static const char e2b_v2[] =
    "{\"version\":2,\"identity\":{\"email\":\"a@b.c\"},\"tokens\":{\"access_token\":"
    "\"sk_e2b_tok\",\"refresh_token\":\"r\"},\"projectName\":\"p\",\"projectId\":\"team-file\","
    "\"projectApiKey\":\"" FILE_KEY "\"}";

static void defaults_without_any_file(void **state)
{
    struct fixture *f = *state;
    struct config cfg;
    struct error err;
    error_clear(&err);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_null(cfg.api_key);
    assert_string_equal(cfg.domain, "e2b.app");
    assert_string_equal(cfg.api_url, "https://api.e2b.app");
    assert_false(cfg.api_url_explicit);
    assert_int_equal(cfg.url_source, CONFIG_SRC_DEFAULT);
    assert_null(cfg.sandbox_url);
    assert_null(cfg.context);
    assert_false(cfg.debug);
    assert_int_equal(cfg.n_contexts, 0);
    char want[128];
    snprintf(want, sizeof want, "%s/.config/boxtop/config", f->home);
    assert_string_equal(cfg.config_path, want);
    config_free(&cfg);
    config_free(&cfg); /* safe twice */
}

static void key_precedence(void **state)
{
    struct fixture *f = *state;
    put(f, ".e2b/config.json", e2b_v2);
    put(f, ".config/boxtop/config",
        "context = withkey\n[context withkey]\napi_key = " CTX_KEY "\nteam_id = team-ctx\n"
        "[context nokey]\ndomain = nokey.example\n");
    setenv("E2B_API_KEY", ENV_KEY, 1);
    struct config_flags flags = {.api_key = FLAG_KEY};
    struct config cfg;
    struct error err;
    error_clear(&err);

    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, FLAG_KEY);
    assert_int_equal(cfg.key_source, CONFIG_SRC_FLAG);
    assert_string_equal(cfg.team_id, "team-ctx");
    config_free(&cfg);

    flags.api_key = NULL;
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, ENV_KEY);
    assert_int_equal(cfg.key_source, CONFIG_SRC_ENV);
    config_free(&cfg);

    setenv("E2B_API_KEY", "", 1); /* empty counts as unset, as in the SDK */
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, CTX_KEY);
    assert_int_equal(cfg.key_source, CONFIG_SRC_PROFILE);
    assert_string_equal(cfg.context, "withkey");
    config_free(&cfg);

    unsetenv("E2B_API_KEY");
    flags.context = "nokey";
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, FILE_KEY);
    assert_int_equal(cfg.key_source, CONFIG_SRC_E2B_FILE);
    assert_string_equal(cfg.team_id, "team-file"); /* comes with the file's key */
    assert_string_equal(cfg.context, "nokey");
    assert_string_equal(cfg.domain, "nokey.example");
    config_free(&cfg);

    /* An environment key does not pick up the e2b file's team. */
    setenv("E2B_API_KEY", ENV_KEY, 1);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_null(cfg.team_id);
    setenv("E2B_TEAM_ID", "team-env", 1);
    config_free(&cfg);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.team_id, "team-env");
    config_free(&cfg);
}

static void url_and_domain_precedence(void **state)
{
    struct fixture *f = *state;
    put(f, ".config/boxtop/config",
        "context = c\n[context c]\ndomain = ctx.example\napi_url = https://ctx-api.example/\n"
        "sandbox_url = http://127.0.0.1:5000\n");
    setenv("E2B_DOMAIN", "env.example", 1);
    setenv("E2B_API_URL", "http://127.0.0.1:4000", 1);
    setenv("E2B_SANDBOX_URL", "http://127.0.0.1:4001", 1);
    struct config_flags flags = {.api_url = "http://127.0.0.1:3999",
                                 .domain = "flag.example",
                                 .sandbox_url = "http://127.0.0.1:3998/"};
    struct config cfg;
    struct error err;
    error_clear(&err);

    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "http://127.0.0.1:3999");
    assert_int_equal(cfg.url_source, CONFIG_SRC_FLAG);
    assert_true(cfg.api_url_explicit);
    assert_string_equal(cfg.domain, "flag.example");
    assert_string_equal(cfg.sandbox_url, "http://127.0.0.1:3998"); /* trailing '/' dropped */
    config_free(&cfg);

    flags = (struct config_flags){0};
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "http://127.0.0.1:4000");
    assert_int_equal(cfg.url_source, CONFIG_SRC_ENV);
    assert_string_equal(cfg.domain, "env.example");
    assert_string_equal(cfg.sandbox_url, "http://127.0.0.1:4001");
    config_free(&cfg);

    unsetenv("E2B_API_URL");
    unsetenv("E2B_DOMAIN");
    unsetenv("E2B_SANDBOX_URL");
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "https://ctx-api.example");
    assert_int_equal(cfg.url_source, CONFIG_SRC_PROFILE);
    assert_true(cfg.api_url_explicit);
    assert_string_equal(cfg.domain, "ctx.example");
    assert_string_equal(cfg.sandbox_url, "http://127.0.0.1:5000");
    config_free(&cfg);

    /* No explicit URL anywhere: derived from the domain of whichever source won. */
    put(f, ".config/boxtop/config", "context = c\n[context c]\ndomain = ctx.example\n");
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "https://api.ctx.example");
    assert_false(cfg.api_url_explicit);
    assert_int_equal(cfg.url_source, CONFIG_SRC_PROFILE);
    assert_null(cfg.sandbox_url);
    config_free(&cfg);
    setenv("E2B_DOMAIN", "env.example", 1);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "https://api.env.example");
    assert_int_equal(cfg.url_source, CONFIG_SRC_ENV);
    config_free(&cfg);
}

/* Issue 15: a key read from a file goes only to the API it belongs to. */
static void key_stays_with_its_api(void **state)
{
    struct fixture *f = *state;
    struct config cfg;
    struct error err;
    error_clear(&err);
    put(f, ".e2b/config.json", e2b_v2);
    setenv("E2B_API_URL", "http://127.0.0.1:4000", 1);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_null(cfg.api_key);
    assert_non_null(strstr(err.msg, "not sending the API key from ~/.e2b/config.json to "
                                    "http://127.0.0.1:4000"));
    assert_null(strstr(err.msg, FILE_KEY));
    setenv("E2B_API_URL", "https://api.e2b.app/", 1); /* its own API, spelled out: fine */
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_key, FILE_KEY);
    config_free(&cfg);
    setenv("E2B_API_URL", "http://127.0.0.1:4000", 1);
    setenv("E2B_API_KEY", ENV_KEY, 1); /* an explicit key goes where it is told */
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_key, ENV_KEY);
    config_free(&cfg);
    unsetenv("E2B_API_KEY");
    unsetenv("E2B_API_URL");

    /* a context's key: to the context's URL only; not over --api-url elsewhere */
    put(f, ".config/boxtop/config",
        "context = c\n[context c]\napi_key = " CTX_KEY "\napi_url = https://ctx-api.example\n"
        "[context u]\napi_url = https://other.example\n");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_key, CTX_KEY);
    config_free(&cfg);
    struct config_flags flags = {.api_url = "http://127.0.0.1:3999"};
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "belongs to https://ctx-api.example"));
    assert_null(strstr(err.msg, CTX_KEY));
    /* a context with a URL but no key does not get the e2b file's key */
    flags = (struct config_flags){.context = "u"};
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "https://other.example"));
}

static void debug_mode(void **state)
{
    struct fixture *f = *state;
    struct config cfg;
    struct error err;
    error_clear(&err);
    setenv("E2B_DEBUG", "TRUE", 1);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_true(cfg.debug);
    assert_string_equal(cfg.api_url, "http://localhost:3000");
    assert_string_equal(cfg.sandbox_url, "http://localhost:49983");
    assert_false(cfg.api_url_explicit);
    config_free(&cfg);
    setenv("E2B_API_URL", "http://127.0.0.1:9", 1); /* explicit beats debug */
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_url, "http://127.0.0.1:9");
    config_free(&cfg);
    setenv("E2B_DEBUG", "1", 1); /* only "true" means true, as in the SDK */
    unsetenv("E2B_API_URL");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_false(cfg.debug);
    assert_string_equal(cfg.api_url, "https://api.e2b.app");
    config_free(&cfg);
}

static void contexts_and_theme(void **state)
{
    struct fixture *f = *state;
    put(f, ".config/boxtop/config",
        "# boxtop\n"
        "context = \"prod\"\r\n"
        "theme = dark\n"
        "\n"
        "[context prod]\n"
        "  domain = prod.example  \n"
        "[ context \"local-1\" ]\n"
        "\tapi_url = http://127.0.0.1:3000\n"
        "api_key_command = printf '%s\\n' 'e2b_x#y'  # not a comment\n");
    struct config cfg;
    struct error err;
    error_clear(&err);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_int_equal(cfg.n_contexts, 2);
    assert_string_equal(cfg.default_context, "prod");
    assert_string_equal(cfg.theme, "dark");
    assert_string_equal(cfg.context, "prod");
    assert_string_equal(cfg.domain, "prod.example");
    const struct config_context *c = config_find_context(&cfg, "local-1");
    assert_non_null(c);
    assert_string_equal(c->api_url, "http://127.0.0.1:3000");
    assert_string_equal(c->api_key_command, "printf '%s\\n' 'e2b_x#y'  # not a comment");
    assert_null(config_find_context(&cfg, "Prod"));
    config_free(&cfg);

    struct config_flags flags = {.context = "local-1"};
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.context, "local-1");
    assert_string_equal(cfg.api_url, "http://127.0.0.1:3000");
    assert_string_equal(cfg.api_key, "e2b_x#y");
    assert_string_equal(cfg.domain, "e2b.app");
    config_free(&cfg);

    flags.context = "staging";
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    assert_non_null(strstr(err.msg, "no context staging"));
    assert_null(cfg.api_url); /* left empty on error */

    /* --config PATH replaces the default file; a missing explicit file is an error. */
    put(f, "other.conf", "[context o]\ndomain = o.example\n");
    char path[128];
    snprintf(path, sizeof path, "%s/other.conf", f->home);
    flags = (struct config_flags){.config_path = path, .context = "o"};
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.domain, "o.example");
    assert_string_equal(cfg.config_path, path);
    config_free(&cfg);
    snprintf(path, sizeof path, "%s/missing.conf", f->home);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "missing.conf"));
}

static void key_command(void **state)
{
    struct fixture *f = *state;
    char text[1024];
    snprintf(text, sizeof text,
             "[context ok]\napi_key_command = printf '  " CTX_KEY "  \\r\\nsecond line\\n'\n"
             "[context fails]\napi_key_command = echo e2b_leaked_output; echo oops >&2; exit 3\n"
             "[context empty]\napi_key_command = printf '\\n\\n'\n"
             "[context killed]\napi_key_command = kill -9 $$\n"
             "[context marker]\napi_key_command = touch '%s/ran'; echo e2b_m\n",
             f->home);
    put(f, ".config/boxtop/config", text);
    struct config_flags flags = {.context = "ok"};
    struct config cfg;
    struct error err;
    error_clear(&err);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, CTX_KEY);
    assert_int_equal(cfg.key_source, CONFIG_SRC_PROFILE);
    config_free(&cfg);

    flags.context = "fails";
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_int_equal(err.kind, ERROR_AUTH);
    assert_non_null(strstr(err.msg, "context fails"));
    assert_non_null(strstr(err.msg, "exit status 3"));
    assert_null(strstr(err.msg, "e2b_leaked"));
    assert_null(strstr(err.msg, "oops"));

    flags.context = "empty";
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "printed no key"));
    flags.context = "killed";
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "signal 9"));

    /* A higher-precedence key means the command never runs. */
    char marker[128];
    snprintf(marker, sizeof marker, "%s/ran", f->home);
    flags.context = "marker";
    setenv("E2B_API_KEY", ENV_KEY, 1);
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, ENV_KEY);
    assert_int_not_equal(access(marker, F_OK), 0);
    config_free(&cfg);
    unsetenv("E2B_API_KEY");
    assert_int_equal(config_load(&cfg, &flags, f->home, &err), 0);
    assert_string_equal(cfg.api_key, "e2b_m");
    assert_int_equal(access(marker, F_OK), 0);
    config_free(&cfg);
}

/* Each malformed file is an error of kind USAGE naming file:line, never quoting a value. */
static void malformed_files(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *text;
        int line;
    } bad[] = {
        {"[context a]\napi_key e2b_secretvalue\n", 2},
        {"# ok\n\n[context]\n", 3},
        {"[context a\n", 1},
        {"[profile a]\n", 1},
        {"[context a b]\n", 1},
        {"[context a]\n[context a]\n", 2},
        {"[context a]\ndomian = x\n", 2},
        {"domain = x\n", 1},
        {"[context a]\ntheme = x\n", 2},
        {"[context a]\napi_key = e2b_secretvalue\napi_key = e2b_secretvalue\n", 3},
        {"[context a]\napi_key = e2b_secretvalue\napi_key_command = pass\n", 3},
        {"context =\n", 1},
        {"context = a b\n", 1},
        {"[context a]\ndomain = a\x01"
         "b\n",
         2},
        {"API_KEY = e2b_secretvalue\n", 1},
        {"= e2b_secretvalue\n", 1},
        {"[keys]\nkill = X\nkill = Y\n", 3},
        {"[keys]\nkill =\n", 2},
        {"[keys]\nkill X\n", 2},
        {"[keys]\nKill = X\n", 2},
        {"[keys]\n[keys]\n", 2},
        {"[keys]\nkill = X\n[context a]\n[keys]\n", 4},
        {"[keys\n", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        put(f, ".config/boxtop/config", bad[i].text);
        struct config cfg;
        struct error err;
        error_clear(&err);
        assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
        assert_int_equal(err.kind, ERROR_USAGE);
        char want[128];
        snprintf(want, sizeof want, "/.config/boxtop/config:%d: ", bad[i].line);
        if (!strstr(err.msg, want))
            fail_msg("case %zu: \"%s\" does not name line %d", i, err.msg, bad[i].line);
        assert_null(strstr(err.msg, "secretvalue"));
        config_free(&cfg);
    }
    /* A context named at the top that does not exist. */
    put(f, ".config/boxtop/config", "context = nope\n");
    struct config cfg;
    struct error err;
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "no context nope"));
}

static void e2b_file_versions(void **state)
{
    struct fixture *f = *state;
    struct config cfg;
    struct error err;
    error_clear(&err);
    put(f, ".e2b/config.json",
        "{\"version\":1,\"email\":\"a@b.c\",\"accessToken\":\"sk_e2b_t\",\"teamName\":\"n\","
        "\"teamId\":\"team-v1\",\"teamApiKey\":\"" FILE_KEY "\"}");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_key, FILE_KEY);
    assert_string_equal(cfg.team_id, "team-v1");
    config_free(&cfg);
    put(f, ".e2b/config.json",
        "{\"defaultTeamId\":\"team-old\",\"defaultTeamApiKey\":\"" FILE_KEY "\"}");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.api_key, FILE_KEY);
    assert_string_equal(cfg.team_id, "team-old");
    config_free(&cfg);
    put(f, ".e2b/config.json", "{\"email\":\"a@b.c\"}"); /* logged out: no key */
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), 0);
    assert_null(cfg.api_key);
    config_free(&cfg);
    put(f, ".e2b/config.json", "{\"teamApiKey\": \"" FILE_KEY "\",");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, ".e2b/config.json"));
    assert_null(strstr(err.msg, FILE_KEY));
    put(f, ".e2b/config.json", "{\"projectApiKey\": 42}");
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "projectApiKey: expected a string"));
}

static void malformed_values(void **state)
{
    struct fixture *f = *state;
    struct config cfg;
    struct error err;
    error_clear(&err);
    setenv("E2B_API_KEY", "e2b_has space", 1);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_int_equal(err.kind, ERROR_AUTH);
    assert_null(strstr(err.msg, "has space"));
    unsetenv("E2B_API_KEY");
    setenv("E2B_API_URL", "ftp://x", 1);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "E2B_API_URL"));
    unsetenv("E2B_API_URL");
    setenv("E2B_DOMAIN", "evil.example/path", 1);
    assert_int_equal(config_load(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "E2B_DOMAIN"));
}

/* home == NULL: $XDG_CONFIG_HOME/boxtop/config if set, else $HOME/.config/boxtop/config. */
static void home_from_environment(void **state)
{
    struct fixture *f = *state;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    char xdg[128];
    snprintf(xdg, sizeof xdg, "%s/xdg", f->home);
    put(f, "xdg/boxtop/config", "context = x\n[context x]\ndomain = xdg.example\n");
    put(f, ".config/boxtop/config", "context = h\n[context h]\ndomain = home.example\n");
    put(f, ".e2b/config.json", "{\"teamApiKey\":\"" FILE_KEY "\"}");
    setenv("HOME", f->home, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
    struct config cfg;
    struct error err;
    error_clear(&err);
    assert_int_equal(config_load(&cfg, NULL, NULL, &err), 0);
    assert_string_equal(cfg.domain, "xdg.example");
    assert_string_equal(cfg.api_key, FILE_KEY); /* ~/.e2b stays in HOME */
    config_free(&cfg);
    unsetenv("XDG_CONFIG_HOME");
    assert_int_equal(config_load(&cfg, NULL, NULL, &err), 0);
    assert_string_equal(cfg.domain, "home.example");
    config_free(&cfg);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_home);
}

/* [keys]: ACTION = KEY in file order with lines; contexts before and after it keep theirs. */
static void keys_section(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct error err;
    error_clear(&err);
    const char text[] = "theme = monochrome\n[context a]\nteam_id = t1\n[keys]\n"
                        "# comment\nkill = X\nfilter = /\n  mark = Space  \ncommand = =\n"
                        "help = #\n[context b]\nteam_id = t2\n";
    assert_int_equal(config_parse_text(&cfg, text, sizeof text - 1, "mem", &err), 0);
    assert_string_equal(cfg.theme, "monochrome");
    assert_int_equal(cfg.theme_line, 1);
    assert_int_equal(cfg.n_keys, 5);
    assert_string_equal(cfg.keys[0].action, "kill");
    assert_string_equal(cfg.keys[0].key, "X");
    assert_int_equal(cfg.keys[0].line, 6);
    assert_string_equal(cfg.keys[1].key, "/");
    assert_string_equal(cfg.keys[2].action, "mark");
    assert_string_equal(cfg.keys[2].key, "Space");
    assert_string_equal(cfg.keys[3].key, "=");
    assert_string_equal(cfg.keys[4].key, "#"); /* no trailing comments */
    assert_int_equal(cfg.n_contexts, 2);
    assert_string_equal(cfg.contexts[0].team_id, "t1");
    assert_string_equal(cfg.contexts[1].team_id, "t2");
    config_free(&cfg);
    /* a setting after [keys] is a key binding, not a top-level one */
    const char t2[] = "[keys]\ntheme = dark\n";
    assert_int_equal(config_parse_text(&cfg, t2, sizeof t2 - 1, "mem", &err), 0);
    assert_null(cfg.theme);
    assert_int_equal(cfg.n_keys, 1);
    config_free(&cfg);
    /* the keys of other views: VIEW.action in [keys], or action under [keys.VIEW] */
    const char t3[] = "[keys]\nfiles.hidden = H\n[keys.logs]\nfollow = F\n";
    assert_int_equal(config_parse_text(&cfg, t3, sizeof t3 - 1, "mem", &err), 0);
    assert_int_equal(cfg.n_keys, 2);
    assert_string_equal(cfg.keys[0].action, "files.hidden");
    assert_string_equal(cfg.keys[1].action, "logs.follow");
    assert_int_equal(cfg.keys[1].line, 4);
    config_free(&cfg);
    const char t4[] = "[keys.logs]\nfiles.hidden = H\n"; /* no second view inside one */
    assert_int_equal(config_parse_text(&cfg, t4, sizeof t4 - 1, "mem", &err), -1);
    config_free(&cfg);
    const char t5[] = "[keys.Logs]\n";
    assert_int_equal(config_parse_text(&cfg, t5, sizeof t5 - 1, "mem", &err), -1);
    config_free(&cfg);
}

/* config_read_file: the same file, parsed only (no key command runs). */
static void read_file_only(void **state)
{
    struct fixture *f = *state;
    put(f, ".config/boxtop/config",
        "theme = light\n[context a]\napi_key_command = exit 3\n[keys]\nquit = Q\n");
    struct config cfg;
    struct error err;
    error_clear(&err);
    assert_int_equal(config_read_file(&cfg, NULL, f->home, &err), 0);
    assert_string_equal(cfg.theme, "light");
    assert_int_equal(cfg.n_keys, 1);
    assert_string_equal(cfg.keys[0].key, "Q");
    assert_non_null(strstr(cfg.config_path, "/.config/boxtop/config"));
    config_free(&cfg);
    put(f, ".config/boxtop/config", "[keys]\nquit\n");
    assert_int_equal(config_read_file(&cfg, NULL, f->home, &err), -1);
    assert_non_null(strstr(err.msg, "config:2: "));
    config_free(&cfg);
}

static void parse_text_directly(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct error err;
    error_clear(&err);
    const char text[] = "theme = light\n[context a]\nteam_id = t1";
    assert_int_equal(config_parse_text(&cfg, text, sizeof text - 1, "mem", &err), 0);
    assert_string_equal(cfg.theme, "light");
    assert_int_equal(cfg.n_contexts, 1);
    assert_string_equal(cfg.contexts[0].team_id, "t1"); /* last line without '\n' */
    config_free(&cfg);
    assert_int_equal(config_parse_text(&cfg, "x\0y", 3, "mem", &err), -1);
    assert_string_equal(err.msg, "mem:1: control character in line");
    config_free(&cfg);
    assert_string_equal(config_source_name(CONFIG_SRC_ENV), "environment");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(defaults_without_any_file, setup, teardown),
        cmocka_unit_test_setup_teardown(key_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(url_and_domain_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(debug_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(key_stays_with_its_api, setup, teardown),
        cmocka_unit_test_setup_teardown(contexts_and_theme, setup, teardown),
        cmocka_unit_test_setup_teardown(key_command, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_files, setup, teardown),
        cmocka_unit_test_setup_teardown(e2b_file_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_values, setup, teardown),
        cmocka_unit_test_setup_teardown(home_from_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(parse_text_directly, setup, teardown),
        cmocka_unit_test_setup_teardown(keys_section, setup, teardown),
        cmocka_unit_test_setup_teardown(read_file_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
