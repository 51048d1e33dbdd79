/* test_tui_filter.c - the `/` filter of the sandboxes and templates views: parsing and
 * matching. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "filter.h"
#include "model.h"

struct fx {
    struct model m;
    struct box *alice, *bob, *idle;
};

static int setup(void **state)
{
    static struct fx f;
    model_init(&f.m);
    f.alice = model_upsert(&f.m, "ibxALICE1");
    box_set_str(&f.alice->template_id, "base");
    box_set_meta(f.alice, "owner", "alice");
    f.bob = model_upsert(&f.m, "ibxBOB2");
    box_set_str(&f.bob->template_id, "base");
    box_set_meta(f.bob, "owner", "bob");
    box_set_meta(f.bob, "team", "Payments");
    f.bob->state = BOX_PAUSED;
    f.idle = model_upsert(&f.m, "ibxIDLE3");
    box_set_str(&f.idle->template_id, "py3tmpl");
    box_set_str(&f.idle->alias, "python");
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    model_free(&f->m);
    return 0;
}

static int count(struct fx *f, const char *text, struct box **only)
{
    struct filter flt = {0};
    assert_int_equal(filter_parse(&flt, text), 0);
    int n = 0;
    for (int i = 0; i < f->m.n; i++)
        if (filter_match(&flt, f->m.sb[i])) {
            n++;
            if (only) *only = f->m.sb[i];
        }
    filter_free(&flt);
    return n;
}

static void t_empty_matches_all(void **state)
{
    assert_int_equal(count(*state, "", NULL), 3);
    assert_int_equal(count(*state, "   ", NULL), 3);
}

static void t_meta_exact(void **state)
{
    struct fx *f = *state;
    struct box *s = NULL;
    assert_int_equal(count(f, "meta:owner=alice", &s), 1);
    assert_ptr_equal(s, f->alice);
    /* exact: a prefix of the value does not match */
    assert_int_equal(count(f, "meta:owner=ali", NULL), 0);
    /* key exists */
    assert_int_equal(count(f, "meta:owner", NULL), 2);
    assert_int_equal(count(f, "meta:team", &s), 1);
    assert_ptr_equal(s, f->bob);
}

static void t_state(void **state)
{
    struct fx *f = *state;
    struct box *s = NULL;
    assert_int_equal(count(f, "state:paused", &s), 1);
    assert_ptr_equal(s, f->bob);
    assert_int_equal(count(f, "state:running", NULL), 2);
    assert_int_equal(count(f, "STATE:Paused", NULL), 1);
}

static void t_negation(void **state)
{
    struct fx *f = *state;
    assert_int_equal(count(f, "!state:paused", NULL), 2);
    assert_int_equal(count(f, "!meta:owner=alice", NULL), 2);
    assert_int_equal(count(f, "!alice", NULL), 2);
    /* a lone "!" is a plain word, not an empty negation */
    assert_int_equal(count(f, "!", NULL), 0);
}

static void t_words(void **state)
{
    struct fx *f = *state;
    struct box *s = NULL;
    /* substring, case-insensitive, on id, template, alias, metadata keys and values */
    assert_int_equal(count(f, "idle", &s), 1);
    assert_ptr_equal(s, f->idle);
    assert_int_equal(count(f, "PYTHON", NULL), 1);
    assert_int_equal(count(f, "payments", NULL), 1);
    assert_int_equal(count(f, "base", NULL), 2);
    assert_int_equal(count(f, "ibx", NULL), 3);
    assert_int_equal(count(f, "nothing-like-this", NULL), 0);
}

static void t_and_and_prefixes(void **state)
{
    struct fx *f = *state;
    struct box *s = NULL;
    assert_int_equal(count(f, "base !state:paused", &s), 1);
    assert_ptr_equal(s, f->alice);
    assert_int_equal(count(f, "template:python", &s), 1);
    assert_ptr_equal(s, f->idle);
    assert_int_equal(count(f, "id:BOB", &s), 1);
    assert_ptr_equal(s, f->bob);
    /* unknown prefix: a plain word containing the colon */
    assert_int_equal(count(f, "foo:bar", NULL), 0);
    /* meta value containing '=' keeps everything after the first '=' */
    box_set_meta(f->idle, "expr", "a=b");
    assert_int_equal(count(f, "meta:expr=a=b", &s), 1);
    assert_ptr_equal(s, f->idle);
}

static void t_parse_terms(void **state)
{
    (void)state;
    struct filter flt = {0};
    assert_int_equal(filter_parse(&flt, " !meta:k=v  state:paused word "), 0);
    assert_int_equal(flt.n, 3);
    assert_int_equal(flt.terms[0].kind, FILTER_META);
    assert_true(flt.terms[0].negate);
    assert_string_equal(flt.terms[0].a, "k");
    assert_string_equal(flt.terms[0].b, "v");
    assert_int_equal(flt.terms[1].kind, FILTER_STATE);
    assert_int_equal(flt.terms[2].kind, FILTER_WORD);
    assert_string_equal(flt.terms[2].a, "word");
    /* parsing again replaces the terms */
    assert_int_equal(filter_parse(&flt, "x"), 0);
    assert_int_equal(flt.n, 1);
    filter_free(&flt);
    assert_int_equal(flt.n, 0);
}

/* The templates view's filter: the same words, on id, aliases and names. */
static int count_tpl(const char *text, const struct template_info *t, int n, int *last)
{
    struct filter flt = {0};
    assert_int_equal(filter_parse(&flt, text), 0);
    int hits = 0;
    for (int i = 0; i < n; i++)
        if (filter_match_template(&flt, &t[i])) {
            hits++;
            if (last) *last = i;
        }
    filter_free(&flt);
    return hits;
}

static void t_templates(void **state)
{
    (void)state;
    char *a0[] = {"base"}, *a1[] = {"my-app", "Web-Frontend"}, *n1[] = {"team/my-app:v2"};
    struct template_info t[] = {
        {.id = "rki5dems9wqfm4r03t7g", .aliases = a0, .n_aliases = 1, .build_status = "ready"},
        {.id = "x7app00000000000000a",
         .aliases = a1,
         .n_aliases = 2,
         .names = n1,
         .n_names = 1,
         .build_status = "building"},
        {.id = "noalias0000000000000", .build_status = NULL}, /* a server that says nothing */
    };
    int last = -1;
    assert_int_equal(count_tpl("", t, 3, NULL), 3);
    assert_int_equal(count_tpl("BASE", t, 3, &last), 1); /* an alias, any case */
    assert_int_equal(last, 0);
    assert_int_equal(count_tpl("frontend", t, 3, &last), 1); /* the second alias */
    assert_int_equal(last, 1);
    assert_int_equal(count_tpl("v2", t, 3, &last), 1); /* a name */
    assert_int_equal(last, 1);
    assert_int_equal(count_tpl("noalias", t, 3, &last), 1); /* the id */
    assert_int_equal(last, 2);
    assert_int_equal(count_tpl("id:x7app", t, 3, &last), 1);
    assert_int_equal(count_tpl("id:my-app", t, 3, NULL), 0); /* id: is the id only */
    assert_int_equal(count_tpl("template:web", t, 3, NULL), 1);
    assert_int_equal(count_tpl("state:building", t, 3, &last), 1);
    assert_int_equal(last, 1);
    assert_int_equal(count_tpl("!state:ready", t, 3, NULL), 2);
    assert_int_equal(count_tpl("!base", t, 3, NULL), 2);
    assert_int_equal(count_tpl("app !frontend", t, 3, NULL), 0); /* AND */
    assert_int_equal(count_tpl("meta:k", t, 3, NULL), 0);
    assert_int_equal(count_tpl("nothing-like-this", t, 3, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_empty_matches_all, setup, teardown),
        cmocka_unit_test_setup_teardown(t_meta_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(t_state, setup, teardown),
        cmocka_unit_test_setup_teardown(t_negation, setup, teardown),
        cmocka_unit_test_setup_teardown(t_words, setup, teardown),
        cmocka_unit_test_setup_teardown(t_and_and_prefixes, setup, teardown),
        cmocka_unit_test(t_parse_terms),
        cmocka_unit_test(t_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
