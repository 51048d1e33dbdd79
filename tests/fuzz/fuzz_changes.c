/* fuzz_changes.c - find's changed-file records (src/e2b/changes_parse.c) and the post-mortem
 * JSON (src/e2b/postmortem.c) on hostile input: the bytes fed in two pieces split where the
 * first byte says, so records across reads are exercised too. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/changes.h"
#include "boxtop/postmortem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct chg_parser p = {0};
    struct chg_list l = {0};
    size_t cut = size ? data[0] % (size + 1) : 0;
    if (chg_feed(&p, (const char *)data, cut, &l) >= 0)
        (void)chg_feed(&p, (const char *)data + cut, size - cut, &l);
    for (size_t i = 0; i < l.n; i++) /* every kept record: an absolute path, sane fields */
        if (!l.v[i].path || l.v[i].path[0] != '/' || l.v[i].size < 0 || l.v[i].mode > 07777)
            abort();
    (void)chg_add_deleted(&l, "/deleted", 1);
    chg_sort(&l);
    chg_list_free(&l);
    chg_parser_free(&p);

    struct postmortem pm;
    struct error err = {0};
    if (pm_from_json((const char *)data, size, &pm, &err) == 0) {
        char **lines = NULL;
        int n = pm_card_lines(&pm, &lines, 0);
        if (n > 0) pm_lines_free(lines, n);
        char *js = pm_to_json(&pm);
        free(js);
        pm_free(&pm);
    }
    return 0;
}
