/* fake_backend.h - the TUI's live backend (backend_e2b.c) on a loop, HTTP client and model of
 * its own, connected to a unit test's fake platform server (fake_server.h) on loopback: the
 * opening and closing the backend tests (test_tui_backend, _batches, _list_memo, _list_v1)
 * share. */
#ifndef BOXTOP_TESTS_FAKE_BACKEND_H
#define BOXTOP_TESTS_FAKE_BACKEND_H

#include "boxtop/http.h"
#include "boxtop/loop.h"
#include "backend.h"
#include "model.h"

struct fake_backend {
    struct loop *l;
    struct http *h;
    struct model m;
    struct backend *be;
};

/* Connects b to http://127.0.0.1:port with a well-formed API key; events go to on_event
 * (NULL: dropped) with ud. A refused connect fails the test. */
void fake_backend_open(struct fake_backend *b, int port, backend_event_cb on_event, void *ud);
/* Destroys the backend and frees the client, model and loop. */
void fake_backend_close(struct fake_backend *b);

#endif
