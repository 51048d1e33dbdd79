/* fuzz_commands_json.c - logs pages (v1 raw lines, v2 fields) into process events, paired
 * into a command history, and one command's output with the live seam. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/commands.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use(struct cmd_hist *h)
{
    char res[96];
    cmd_hist_rebuild(h);
    for (size_t i = 0; i < h->n; i++) {
        const struct cmd *c = &h->v[i];
        if (c->result > CMD_GONE) abort();
        cmd_result_text(c, res, sizeof res);
        (void)cmd_display(c->command);
        (void)cmd_exit_status(c);
        (void)cmd_matches(c, "state:failed x");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct error err = {0};
    struct cmd_evs evs = {0};
    struct cmd_page page;
    struct cmd_hist h;
    cmd_hist_init(&h);
    if (cmd_parse_v1((const char *)data, size, false, &evs, &page, &err) == 0)
        cmd_hist_add(&h, &evs);
    cmd_evs_free(&evs);
    if (cmd_parse_v2((const char *)data, size, true, &evs, &page, &err) == 0) {
        /* the same events as one command's logged output, then a live tail */
        struct cmd_output o;
        struct cmd_evs copy = {0};
        cmd_output_init(&o);
        copy.v = calloc(evs.n ? evs.n : 1, sizeof *copy.v);
        if (copy.v) {
            for (size_t i = 0; i < evs.n; i++) {
                copy.v[i] = evs.v[i];
                copy.v[i].text = evs.v[i].text ? strdup(evs.v[i].text) : NULL;
            }
            copy.n = copy.cap = evs.n;
            cmd_output_attach(&o, evs.n ? evs.v[evs.n / 2].ts_ns : 1);
            cmd_output_add_logged(&o, &copy);
            cmd_output_add_live(&o, size % 2, (const char *)data, size < 64 ? size : 64);
            cmd_output_seam(&o, size % 3 == 0);
            cmd_output_live_end(&o);
            cmd_output_seam(&o, true);
        }
        cmd_output_free(&o);
        cmd_hist_add(&h, &evs);
    }
    cmd_evs_free(&evs);
    use(&h);
    cmd_hist_free(&h);
    int64_t ns;
    char t[64];
    snprintf(t, sizeof t, "%.*s", (int)(size < 63 ? size : 63), (const char *)data);
    (void)cmd_parse_time_ns(t, &ns);
    return 0;
}
