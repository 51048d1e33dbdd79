/* backend_e2b.h - the live E2B platform API as a TUI backend (see backend_e2b.c). */
#ifndef BOXTOP_TUI_BACKEND_E2B_H
#define BOXTOP_TUI_BACKEND_E2B_H

#include "backend.h"

/* api_key may be NULL (the server then answers 401, shown in the status line). The key is
 * handed to the api client, which keeps it out of every message. */
struct backend *backend_e2b_new(struct loop *loop, struct model *model, const char *api_url,
                                const char *api_key, struct error *err);

#endif
