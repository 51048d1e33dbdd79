/* test_tui_list_memo.c - list pages that come back unchanged are taken as they are
 * (list_memo.c, issue 22), and only those: a changed page, a page that changes back, a page
 * whose sandboxes another page changed, and any page after a sandbox left are merged again.
 * The second half drives the live backend against a fake platform server through rounds
 * whose middle page changes and changes back, and checks the model after each. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fastscan.h"
#include "list_memo.h"
#include "model.h"

#include "fake_backend.h"
#include "fake_conn.h"
#include "fake_server.h"

/* ---- the memo alone ---------------------------------------------------------------------- */

static const char PAGE_A[] = "[{\"sandboxID\":\"a\"},{\"sandboxID\":\"b\"}]";
static const char PAGE_B[] = "[{\"sandboxID\":\"a\"},{\"sandboxID\":\"c\"}]";

struct fixture {
    struct model m;
    struct box *s[3];
    struct list_memo lm;
};

/* As the backend leaves a merged page: each sandbox holds the hash of its object. */
static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    model_init(&f->m);
    const char *ids[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++) {
        f->s[i] = model_upsert(&f->m, ids[i]);
        assert_non_null(f->s[i]);
        f->s[i]->list_hash = 100 + (uint64_t)i;
    }
}

static void fixture_free(struct fixture *f)
{
    list_memo_free(&f->lm);
    model_free(&f->m);
}

static void t_same_page_taken(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct box *page[] = {f.s[0], f.s[1]};
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, page, 2, 2, 7), 0);
    int listed = 0, items = -1, cursor = -1;
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 5, &listed, &items, &cursor), 1);
    assert_int_equal(items, 2);
    assert_int_equal(cursor, 7);
    assert_int_equal(listed, 2);
    assert_int_equal(f.s[0]->seen, 5);
    assert_int_equal(f.s[1]->seen, 5);
    assert_int_equal(f.s[2]->seen, 0); /* not on the page */
    /* the same page again in the same round (a repeated page): counted once */
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 5, &listed, &items, &cursor), 1);
    assert_int_equal(listed, 2);
    /* another page number holds nothing */
    assert_int_equal(
        list_memo_take(&f.lm, 1, PAGE_A, strlen(PAGE_A), &f.m, 6, &listed, &items, &cursor), 0);
    assert_int_equal(f.s[0]->seen, 5);
    fixture_free(&f);
}

static void t_changed_page_merged(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct box *page[] = {f.s[0], f.s[1]};
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, page, 2, 2, 2), 0);
    int listed = 0, items = -1, cursor = -1;
    /* one byte differs, same length */
    char changed[sizeof PAGE_A];
    memcpy(changed, PAGE_A, sizeof PAGE_A);
    changed[16] = 'z';
    assert_int_equal(
        list_memo_take(&f.lm, 0, changed, strlen(changed), &f.m, 5, &listed, &items, &cursor), 0);
    /* shorter */
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A) - 1, &f.m, 5, &listed, &items, &cursor), 0);
    assert_int_equal(listed, 0);
    assert_int_equal(f.s[0]->seen, 0); /* nothing stamped: the caller merges */
    assert_int_equal(items, -1);
    fixture_free(&f);
}

/* A → B → A: the memo holds B once B was merged, so A coming back is merged again. */
static void t_page_changes_back(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct box *pa[] = {f.s[0], f.s[1]}, *pb[] = {f.s[0], f.s[2]};
    int listed = 0, items, cursor;
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, pa, 2, 2, 2), 0);
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_B, strlen(PAGE_B), &f.m, 2, &listed, &items, &cursor), 0);
    f.s[0]->list_hash = 200; /* B's object for "a" merged */
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_B, strlen(PAGE_B), &f.m, pb, 2, 2, 2), 0);
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 3, &listed, &items, &cursor), 0);
    f.s[0]->list_hash = 100; /* A's merged again, and recorded */
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, pa, 2, 2, 2), 0);
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 4, &listed, &items, &cursor), 1);
    assert_int_equal(f.s[1]->seen, 4);
    fixture_free(&f);
}

/* Another page merged a different object for one of the page's sandboxes since. */
static void t_sandbox_changed_elsewhere(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct box *page[] = {f.s[0], f.s[1]};
    int listed = 0, items, cursor;
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, page, 2, 2, 2), 0);
    f.s[1]->list_hash = 999;
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 5, &listed, &items, &cursor), 0);
    assert_int_equal(f.s[0]->seen, 0);
    fixture_free(&f);
}

/* A sandbox left the model: the recorded pointers may be stale, every page is merged. */
static void t_removal_forgets(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct box *page[] = {f.s[0], f.s[1]};
    int listed = 0, items, cursor;
    assert_int_equal(list_memo_record(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, page, 2, 2, 2), 0);
    assert_int_equal(model_remove(&f.m, "c"), 0);
    assert_int_equal(
        list_memo_take(&f.lm, 0, PAGE_A, strlen(PAGE_A), &f.m, 5, &listed, &items, &cursor), 0);
    /* a dropped page is merged too */
    assert_int_equal(list_memo_record(&f.lm, 3, PAGE_A, strlen(PAGE_A), &f.m, page, 2, 2, 2), 0);
    list_memo_drop(&f.lm, 3);
    assert_int_equal(
        list_memo_take(&f.lm, 3, PAGE_A, strlen(PAGE_A), &f.m, 5, &listed, &items, &cursor), 0);
    fixture_free(&f);
}

/* ---- the live backend, round after round ------------------------------------------------- */

#define PAGES    3
#define PER_PAGE 2

struct shared {
    int lists;   /* list pages answered */
    int flip;    /* page 1's first sandbox is paused (1), has 4 CPUs (2: the same length) */
    int dropped; /* page 2 lists one sandbox, not two */
};

static void list_page(int fd, const char *req, struct shared *sh)
{
    int page = 0;
    const char *t = strstr(req, "nextToken=p");
    if (t) page = atoi(t + 11);
    if (page < 0 || page >= PAGES) page = 0;
    char body[4096], hdr[64] = "";
    size_t l = 0;
    int n = page == 2 && sh->dropped ? 1 : PER_PAGE;
    for (int i = 0; i < n; i++) {
        int first = page == 1 && i == 0;
        l += (size_t)snprintf(body + l, sizeof body - l,
                              "%s{\"templateID\":\"base\",\"sandboxID\":\"ip%d%d\",\"clientID\":"
                              "\"c\",\"startedAt\":\"2026-11-25T10:00:00Z\",\"endAt\":"
                              "\"2099-11-25T10:05:00Z\",\"cpuCount\":%d,\"memoryMB\":256,"
                              "\"diskSizeMB\":512,\"state\":\"%s\",\"envdVersion\":\"0.2.0\"}",
                              i ? "," : "[", page, i, first && sh->flip == 2 ? 4 : 1,
                              first && sh->flip == 1 ? "paused" : "running");
    }
    snprintf(body + l, sizeof body - l, "]");
    if (page + 1 < PAGES) snprintf(hdr, sizeof hdr, "X-Next-Token: p%d\r\n", page + 1);
    fake_reply_json(fd, hdr, body);
    __atomic_add_fetch(&sh->lists, 1, __ATOMIC_SEQ_CST);
}

static void serve(int fd, int no, void *shared)
{
    (void)no;
    struct shared *sh = shared;
    struct conn c = {.fd = fd};
    for (size_t used; (used = conn_head(&c)); conn_drop(&c, used)) { /* GETs only: no bodies */
        if (!strncmp(c.buf, "GET /v2/sandboxes", 17))
            list_page(fd, c.buf, sh);
        else /* no v1 list (GET /sandboxes) nor templates: 404, so every round pages
              * through /v2/sandboxes (test_tui_list_v1 covers v1) */
            fake_reply_unknown(fd, c.buf);
    }
}

/* One more round: poll now, wait for its pages and let it finish. */
static void round_once(struct loop *l, struct backend *be, struct shared *sh)
{
    int want = __atomic_load_n(&sh->lists, __ATOMIC_SEQ_CST) + PAGES;
    be->ops->poll_now(be);
    int64_t end = loop_now_ms() + 20000;
    while (__atomic_load_n(&sh->lists, __ATOMIC_SEQ_CST) < want && loop_now_ms() < end)
        loop_run_once(l, 50);
    assert_int_equal(__atomic_load_n(&sh->lists, __ATOMIC_SEQ_CST), want);
    for (int i = 0; i < 10; i++) /* the last page read and merged, the round's metrics asked */
        loop_run_once(l, 20);
}

static enum box_state state_of(struct model *m, const char *id)
{
    struct box *s = model_find(m, id);
    assert_non_null(s);
    return s->state;
}

/* Started and stopped by cmocka's setup and teardown (fake_server.h says why). */
static int server_up(void **state)
{
    return fake_server_setup(state, sizeof(struct shared), serve);
}

static void t_backend_rounds(void **state)
{
    struct fake_server *fs = *state;
    struct shared *sh = fs->shared;
    struct fake_backend b;
    fake_backend_open(&b, fs->port, NULL, NULL);
    struct loop *l = b.l;
    struct backend *be = b.be;
    struct model *m = &b.m;
    int64_t end = loop_now_ms() + 20000;
    while ((m->loading || __atomic_load_n(&sh->lists, __ATOMIC_SEQ_CST) < PAGES) &&
           loop_now_ms() < end)
        loop_run_once(l, 50);
    for (int i = 0; i < 10; i++)
        loop_run_once(l, 20);
    assert_int_equal(m->n, PAGES * PER_PAGE);
    assert_int_equal(state_of(m, "ip10"), BOX_RUNNING);
    round_once(l, be, sh); /* unchanged pages */
    assert_int_equal(m->n, PAGES * PER_PAGE);
    assert_int_equal(state_of(m, "ip10"), BOX_RUNNING);
    __atomic_store_n(&sh->flip, 1, __ATOMIC_SEQ_CST); /* page 1 changes */
    round_once(l, be, sh);
    assert_int_equal(state_of(m, "ip10"), BOX_PAUSED);
    assert_int_equal(state_of(m, "ip11"), BOX_RUNNING);
    round_once(l, be, sh); /* and stays so */
    assert_int_equal(state_of(m, "ip10"), BOX_PAUSED);
    __atomic_store_n(&sh->flip, 0, __ATOMIC_SEQ_CST); /* and changes back */
    round_once(l, be, sh);
    assert_int_equal(state_of(m, "ip10"), BOX_RUNNING);
    round_once(l, be, sh);
    assert_int_equal(state_of(m, "ip10"), BOX_RUNNING);
    __atomic_store_n(&sh->flip, 2, __ATOMIC_SEQ_CST); /* a change of the same length */
    round_once(l, be, sh);
    assert_int_equal(model_find(m, "ip10")->cpu_count, 4);
    round_once(l, be, sh);
    assert_int_equal(model_find(m, "ip10")->cpu_count, 4);
    __atomic_store_n(&sh->flip, 0, __ATOMIC_SEQ_CST);
    round_once(l, be, sh);
    assert_int_equal(model_find(m, "ip10")->cpu_count, 1);
    __atomic_store_n(&sh->dropped, 1, __ATOMIC_SEQ_CST); /* a sandbox goes */
    round_once(l, be, sh);
    assert_int_equal(m->n, PAGES * PER_PAGE - 1);
    assert_null(model_find(m, "ip21"));
    round_once(l, be, sh); /* the unchanged pages after it are still all there */
    assert_int_equal(m->n, PAGES * PER_PAGE - 1);
    __atomic_store_n(&sh->dropped, 0, __ATOMIC_SEQ_CST); /* and comes back */
    round_once(l, be, sh);
    assert_int_equal(m->n, PAGES * PER_PAGE);
    assert_non_null(model_find(m, "ip21"));
    fake_backend_close(&b);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_same_page_taken),
        cmocka_unit_test(t_changed_page_merged),
        cmocka_unit_test(t_page_changes_back),
        cmocka_unit_test(t_sandbox_changed_elsewhere),
        cmocka_unit_test(t_removal_forgets),
        cmocka_unit_test_setup_teardown(t_backend_rounds, server_up, fake_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
