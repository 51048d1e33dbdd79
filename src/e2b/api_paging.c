/* api_paging.c - when to stop following next-tokens (see api.h, struct api_paging).
 *
 * A server that always has one more page (fat or not), repeats a token or answers empty
 * pages with a token must not keep a listing going forever: `boxtop ls` reached 8 GB in 70 s
 * and the TUI spun at 90 % CPU. Both stop at the same bounds with the same message. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/api.h"
#include "boxtop/i18n.h"

void api_paging_free(struct api_paging *p)
{
    free(p->token);
    memset(p, 0, sizeof *p);
}

enum api_paging_step api_paging_next(struct api_paging *p, int items, size_t bytes,
                                     const char *next_token)
{
    p->pages++;
    p->items += items;
    p->bytes += bytes;
    p->why[0] = '\0';
    if (!next_token || !*next_token) return API_PAGING_DONE;
    if (items == 0 || (p->token && !strcmp(p->token, next_token))) {
        snprintf(p->why, sizeof p->why,
                 items ? _("the server sent the same next-page token again after %d pages; "
                           "the listing may be incomplete")
                       : _("the server sent an empty page with a next-page token after %d pages; "
                           "the listing may be incomplete"),
                 p->pages);
        return API_PAGING_STUCK;
    }
    if (p->pages >= API_LIST_MAX_PAGES || p->items >= API_LIST_MAX_ITEMS ||
        p->bytes >= API_LIST_MAX_BYTES) {
        snprintf(p->why, sizeof p->why,
                 _("listing cut at %d sandboxes (%d pages, %zu MiB): the server still had more "
                   "(limits: %d sandboxes, %d pages, %d MiB)"),
                 p->items, p->pages, p->bytes >> 20, API_LIST_MAX_ITEMS, API_LIST_MAX_PAGES,
                 (int)(API_LIST_MAX_BYTES >> 20));
        return API_PAGING_CUT;
    }
    char *t = strdup(next_token);
    if (!t) {
        snprintf(p->why, sizeof p->why, "%s", _("out of memory"));
        return API_PAGING_CUT;
    }
    free(p->token);
    p->token = t;
    return API_PAGING_MORE;
}
