/* backend_e2b.h - the live E2B platform API as a TUI backend (see backend_e2b.c). */
#ifndef BOXTOP_TUI_BACKEND_E2B_H
#define BOXTOP_TUI_BACKEND_E2B_H

#include "backend.h"

struct http;

/* A backend with no server yet (the model stays "loading"); http is borrowed. */
struct backend *backend_e2b_new(struct loop *loop, struct model *model, struct http *http);
/* Point it at a server and poll at once. api_key may be NULL (the server then answers 401,
 * shown in the status line); the api client keeps the key out of every message. sandbox_url
 * (E2B_SANDBOX_URL, or the local boxtopd's) and domain locate envd for the process list;
 * team_id (may be NULL) gives the header's start rate from the team metrics. */
int backend_e2b_connect(struct backend *be, const char *api_url, const char *api_key,
                        const char *sandbox_url, const char *domain, const char *team_id,
                        struct error *err);

/* For the views' one-shot fetches (backend_fetch.c): the api client (NULL before connect)
 * and the team id given to connect (NULL = unknown; "local" for boxtopd). */
struct api *backend_e2b_api(struct backend *be);
const char *backend_e2b_team(struct backend *be);

#endif
