/* fuzz_cp_args.c - `boxtop cp` argument parser and the transfer engine's relative-path check
 * (xfer_relpath_safe) on hostile strings. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/e2b/cp_args.h"
#include "boxtop/xfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    struct cp_arg a;
    struct error err;
    if (cp_arg_parse(s, &a, &err) == 0) {
        /* Invariants of a successful parse. */
        if (!a.path || !*a.path) abort();
        if (a.remote && (!a.id[0] || strlen(a.id) > CP_ID_MAX)) abort();
        for (const char *p = s; *p; p++)
            if ((unsigned char)*p < 0x20) abort();
    }
    /* Split the input in two halves for the two-argument plan. */
    size_t half = strlen(s) / 2;
    char *second = strdup(s + half);
    if (second) {
        s[half] = '\0';
        struct cp_plan plan;
        if (cp_args_plan(s, second, &plan, &err) == 0 && plan.src.remote == plan.dst.remote)
            abort();
        free(second);
    }
    if (xfer_relpath_safe(s) && (s[0] == '/' || !strcmp(s, "..") || !strncmp(s, "../", 3) ||
                                 strstr(s, "/../") || strstr(s, "//")))
        abort();
    free(s);
    return 0;
}
