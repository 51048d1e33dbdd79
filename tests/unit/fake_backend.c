/* fake_backend.c - the live backend against a loopback fake (see fake_backend.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "backend_e2b.h"
#include "fake_backend.h"

static void drop_event(void *ud, enum backend_event ev, const char *msg)
{
    (void)ud, (void)ev, (void)msg;
}

void fake_backend_open(struct fake_backend *b, int port, backend_event_cb on_event, void *ud)
{
    b->l = loop_new();
    b->h = http_new(b->l, NULL);
    model_init(&b->m);
    b->be = backend_e2b_new(b->l, &b->m, b->h);
    b->be->on_event = on_event ? on_event : drop_event;
    b->be->ud = ud;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    struct error err = {0};
    assert_int_equal(backend_e2b_connect(b->be, url, "e2b_0000000000000000000000000000000000001234",
                                         NULL, NULL, NULL, &err),
                     0);
}

void fake_backend_close(struct fake_backend *b)
{
    b->be->ops->destroy(b->be);
    http_free(b->h);
    model_free(&b->m);
    loop_free(b->l);
}
