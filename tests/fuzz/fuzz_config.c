/* fuzz_config.c - config_parse_text on arbitrary bytes (parsing only; no key command runs).
 * Checks that a failure always says where, and that what was accepted is well-formed:
 * unique, valid context names and no empty values. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_value(const char *v)
{
    if (v && (!*v || strchr(v, '\n'))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;
    struct error err;
    memset(&cfg, 0, sizeof cfg);
    error_clear(&err);
    if (config_parse_text(&cfg, (const char *)data, size, "fuzz", &err) < 0) {
        if (strncmp(err.msg, "fuzz:", 5) != 0) abort(); /* every parse error names file:line */
    } else {
        check_value(cfg.theme);
        check_value(cfg.default_context);
        for (int i = 0; i < cfg.n_contexts; i++) {
            const struct config_context *c = &cfg.contexts[i];
            if (!c->name || !*c->name || config_find_context(&cfg, c->name) != c) abort();
            if (c->api_key && c->api_key_command) abort();
            check_value(c->domain);
            check_value(c->api_url);
            check_value(c->sandbox_url);
            check_value(c->api_key);
            check_value(c->api_key_command);
            check_value(c->team_id);
        }
    }
    config_free(&cfg);
    return 0;
}
