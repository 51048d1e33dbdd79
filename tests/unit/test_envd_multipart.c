/* test_envd_multipart.c - streaming multipart parser: every split position, hostile input. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boxtop/buf.h"
#include "multipart.h"

struct got {
    int nparts, nend;
    char names[8][64];
    char files[8][256];
    struct buf data[8];
};

static int on_begin(void *ud, const struct mp_part *p)
{
    struct got *g = ud;
    if (g->nparts >= 8) return -7;
    snprintf(g->names[g->nparts], 64, "%.63s", p->name);
    snprintf(g->files[g->nparts], 256, "%.255s", p->filename);
    g->nparts++;
    return 0;
}

static int on_data(void *ud, const void *d, size_t n)
{
    struct got *g = ud;
    return buf_append(&g->data[g->nparts - 1], d, n);
}

static int on_end(void *ud)
{
    struct got *g = ud;
    g->nend++;
    return 0;
}

static void got_free(struct got *g)
{
    for (int i = 0; i < 8; i++)
        buf_free(&g->data[i]);
}

/* Parse body in pieces cut at the given offsets (sorted, may be empty). */
static int parse_split(const char *boundary, const char *body, size_t len, const size_t *cuts,
                       int ncuts, struct got *g)
{
    memset(g, 0, sizeof *g);
    struct mp_parser *p = malloc(sizeof *p);
    struct mp_callbacks cb = {g, on_begin, on_data, on_end};
    struct error err;
    assert_int_equal(mp_init(p, boundary, &cb, &err), 0);
    size_t at = 0;
    int rc = 0;
    for (int i = 0; i <= ncuts && rc == 0; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        rc = mp_feed(p, body + at, end - at, &err);
        at = end;
    }
    if (rc == 0) rc = mp_finish(p, &err);
    free(p);
    return rc;
}

/* The SDK's multi-file write (files-write-multi transcript) plus a tricky payload. */
static const char BOUNDARY[] = "----formdata-undici-059852732689";
static const char BODY[] =
    "------formdata-undici-059852732689\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"/tmp/t/a.txt\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "A\r\n--\r\n------formdata-undici-05985273268\r\r\n"
    "\r\n"
    "------formdata-undici-059852732689\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"/tmp/t/b.bin\"\r\n"
    "Content-Type: application/octet-stream\r\n"
    "\r\n"
    "\x00\x01\x02\xff\r\n"
    "------formdata-undici-059852732689\r\n"
    "Content-Disposition: form-data; name=\"other\"\r\n"
    "\r\n"
    "\r\n"
    "------formdata-undici-059852732689--\r\n";
static const char PART1[] = "A\r\n--\r\n------formdata-undici-05985273268\r\r\n";

static void check_got(struct got *g)
{
    assert_int_equal(g->nparts, 3);
    assert_int_equal(g->nend, 3);
    assert_string_equal(g->names[0], "file");
    assert_string_equal(g->files[0], "/tmp/t/a.txt");
    assert_int_equal(g->data[0].len, sizeof PART1 - 1);
    assert_memory_equal(g->data[0].data, PART1, sizeof PART1 - 1);
    assert_string_equal(g->files[1], "/tmp/t/b.bin");
    assert_int_equal(g->data[1].len, 4);
    assert_memory_equal(g->data[1].data, "\x00\x01\x02\xff", 4);
    assert_string_equal(g->names[2], "other");
    assert_string_equal(g->files[2], "");
    assert_int_equal(g->data[2].len, 0);
}

static void every_single_split(void **state)
{
    (void)state;
    size_t len = sizeof BODY - 1;
    struct got g;
    assert_int_equal(parse_split(BOUNDARY, BODY, len, NULL, 0, &g), 0);
    check_got(&g);
    got_free(&g);
    for (size_t cut = 0; cut <= len; cut++) {
        assert_int_equal(parse_split(BOUNDARY, BODY, len, &cut, 1, &g), 0);
        check_got(&g);
        got_free(&g);
    }
}

static void every_pair_of_splits(void **state)
{
    (void)state;
    size_t len = sizeof BODY - 1;
    struct got g;
    for (size_t a = 0; a <= len; a += 3)
        for (size_t b = a; b <= len; b += 5) {
            size_t cuts[2] = {a, b};
            assert_int_equal(parse_split(BOUNDARY, BODY, len, cuts, 2, &g), 0);
            check_got(&g);
            got_free(&g);
        }
}

static void byte_at_a_time(void **state)
{
    (void)state;
    size_t len = sizeof BODY - 1;
    size_t *cuts = malloc(len * sizeof *cuts);
    for (size_t i = 0; i < len; i++)
        cuts[i] = i;
    struct got g;
    assert_int_equal(parse_split(BOUNDARY, BODY, len, cuts, (int)len, &g), 0);
    check_got(&g);
    got_free(&g);
    free(cuts);
}

static void preamble_and_epilogue_ignored(void **state)
{
    (void)state;
    const char body[] = "junk before\r\n--xyz\r\n"
                        "content-disposition: form-data; name=file; filename=x.txt\r\n\r\n"
                        "data\r\n--xyz--\r\nepilogue --xyz\r\n";
    struct got g;
    assert_int_equal(parse_split("xyz", body, sizeof body - 1, NULL, 0, &g), 0);
    assert_int_equal(g.nparts, 1);
    assert_string_equal(g.files[0], "x.txt");
    assert_int_equal(g.data[0].len, 4);
    got_free(&g);
}

static void truncated_and_malformed(void **state)
{
    (void)state;
    struct got g;
    const char trunc[] = "--b\r\ncontent-disposition: form-data; name=file\r\n\r\npartial data";
    assert_int_equal(parse_split("b", trunc, sizeof trunc - 1, NULL, 0, &g), -1);
    got_free(&g);
    const char none[] = "no delimiter at all";
    assert_int_equal(parse_split("b", none, sizeof none - 1, NULL, 0, &g), -1);
    got_free(&g);
    const char bad[] = "--bX\r\n";
    assert_int_equal(parse_split("b", bad, sizeof bad - 1, NULL, 0, &g), -1);
    got_free(&g);
    const char quote[] = "--b\r\ncontent-disposition: form-data; name=\"file\r\n\r\nx\r\n--b--";
    assert_int_equal(parse_split("b", quote, sizeof quote - 1, NULL, 0, &g), -1);
    got_free(&g);
    /* a header block larger than MP_HEADER_MAX is refused, not buffered */
    size_t big = MP_HEADER_MAX + 100;
    char *huge = malloc(big + 10);
    memcpy(huge, "--b\r\nX: ", 8);
    memset(huge + 8, 'a', big);
    assert_int_equal(parse_split("b", huge, big + 8, NULL, 0, &g), -1);
    got_free(&g);
    free(huge);
}

static void boundary_from_content_type(void **state)
{
    (void)state;
    char b[80];
    struct error err;
    assert_int_equal(mp_boundary_from_content_type(
                         "multipart/form-data; boundary=----formdata-undici-1", b, sizeof b, &err),
                     0);
    assert_string_equal(b, "----formdata-undici-1");
    assert_int_equal(mp_boundary_from_content_type(
                         "Multipart/Form-Data; charset=x; boundary=\"a b:c\"", b, sizeof b, &err),
                     0);
    assert_string_equal(b, "a b:c");
    assert_int_equal(mp_boundary_from_content_type("multipart/form-data", b, sizeof b, &err), -1);
    assert_int_equal(
        mp_boundary_from_content_type("multipart/form-data; boundary=", b, sizeof b, &err), -1);
    assert_int_equal(
        mp_boundary_from_content_type("multipart/form-data; boundary=a\rb", b, sizeof b, &err), -1);
    assert_int_equal(mp_boundary_from_content_type("text/plain; boundary=x", b, sizeof b, &err),
                     -1);
    char longb[200] = "multipart/form-data; boundary=";
    memset(longb + strlen(longb), 'x', 71);
    assert_int_equal(mp_boundary_from_content_type(longb, b, sizeof b, &err), -1);
}

static void header_params(void **state)
{
    (void)state;
    char out[64];
    const char *v = " form-data; name=\"file\"; filename=\"/a/\\\"q\\\".txt\"";
    assert_int_equal(mp_header_param(v, "name", out, sizeof out), 1);
    assert_string_equal(out, "file");
    assert_int_equal(mp_header_param(v, "filename", out, sizeof out), 1);
    assert_string_equal(out, "/a/\"q\".txt");
    assert_int_equal(mp_header_param(v, "size", out, sizeof out), 0);
    assert_int_equal(mp_header_param(" form-data; name=\"unterminated", "name", out, sizeof out),
                     -1);
}

static int stop_cb(void *ud, const void *d, size_t n)
{
    (void)ud;
    (void)d;
    (void)n;
    return -28; /* e.g. ENOSPC from the disk write */
}

static void callback_error_stops(void **state)
{
    (void)state;
    struct mp_parser *p = malloc(sizeof *p);
    struct mp_callbacks cb = {NULL, NULL, stop_cb, NULL};
    struct error err;
    assert_int_equal(mp_init(p, "b", &cb, &err), 0);
    const char body[] = "--b\r\n\r\nsome data";
    assert_int_equal(mp_feed(p, body, sizeof body - 1, &err), -28);
    assert_int_equal(mp_feed(p, "x", 1, &err), -1);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_single_split),      cmocka_unit_test(every_pair_of_splits),
        cmocka_unit_test(byte_at_a_time),          cmocka_unit_test(preamble_and_epilogue_ignored),
        cmocka_unit_test(truncated_and_malformed), cmocka_unit_test(boundary_from_content_type),
        cmocka_unit_test(header_params),           cmocka_unit_test(callback_error_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
