/* test_tui_files.c - the file panes' listings (src/tui/files/flist.c): local reading with
 * hostile names and symlinks, envd answers (hostile names dropped), sort/filter/hidden, path
 * helpers, mode strings and free names for the "rename" answer of the clash dialog. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "files/flist.h"
#include "files/flist_envd.h"

static char dir[64];

static void touch(const char *name, size_t size)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    fclose(f);
}

static void test_local(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_tui_files.XXXXXX");
    assert_non_null(mkdtemp(dir));
    touch("b.txt", 10);
    touch("a b", 300);
    touch("nl\nname", 1);
    touch("esc\033[31mred", 2);
    touch("bad\xff\xfe", 3);
    touch(".hidden", 4);
    char p[512];
    snprintf(p, sizeof p, "%s/sub", dir);
    assert_int_equal(mkdir(p, 0750), 0);
    snprintf(p, sizeof p, "%s/lnk", dir);
    assert_int_equal(symlink("sub", p), 0);
    snprintf(p, sizeof p, "%s/dangling", dir);
    assert_int_equal(symlink("nowhere", p), 0);

    struct flist l = {0};
    struct error err = {0};
    assert_int_equal(flist_read_local(&l, dir, &err), 0);
    assert_int_equal(l.n, 9);
    assert_int_equal(l.nidx, 8); /* .hidden not shown */
    /* directories (and links to them) first, then names in byte order */
    assert_string_equal(flist_at(&l, 0)->name, "lnk");
    assert_int_equal(flist_at(&l, 0)->type, FENT_LINK);
    assert_true(flist_at(&l, 0)->link_dir);
    assert_string_equal(flist_at(&l, 0)->target, "sub");
    assert_string_equal(flist_at(&l, 1)->name, "sub");
    assert_int_equal(flist_at(&l, 1)->mode, 0750);
    long i = flist_find(&l, "nl\nname");
    assert_true(i >= 0);
    assert_true(flist_find(&l, "bad\xff\xfe") >= 0);
    long d = flist_find(&l, "dangling");
    assert_true(d >= 0);
    assert_false(flist_at(&l, (size_t)d)->link_dir);
    /* a dangling link is a link (ls: lrwxrwxrwx) marked broken; a good one is not */
    assert_int_equal(flist_at(&l, (size_t)d)->type, FENT_LINK);
    assert_true(flist_at(&l, (size_t)d)->link_broken);
    assert_string_equal(flist_at(&l, (size_t)d)->target, "nowhere");
    assert_false(flist_at(&l, 0)->link_broken);

    l.show_hidden = 1;
    flist_apply(&l);
    assert_int_equal(l.nidx, 9);
    l.sort = FSORT_SIZE;
    l.reverse = 1;
    flist_apply(&l);
    /* reverse by size: directories still first, then the largest file first */
    assert_int_equal(flist_at(&l, 2)->size, 300);
    assert_string_equal(flist_at(&l, l.nidx - 1)->name, "nl\nname");
    snprintf(l.filter, sizeof l.filter, "B");
    l.sort = FSORT_NAME;
    l.reverse = 0;
    flist_apply(&l);
    assert_int_equal(l.nidx, 4); /* "sub", "a b", "b.txt", "bad.." (case-insensitive) */
    assert_string_equal(flist_at(&l, 0)->name, "sub");
    assert_string_equal(flist_at(&l, 1)->name, "a b");
    assert_true(flist_has(&l, ".hidden"));

    char *fn = flist_free_name(&l, "b.txt");
    assert_string_equal(fn, "b.txt.1");
    free(fn);
    flist_free(&l);
    assert_int_equal(flist_read_local(&l, "/nonexistent/x", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/x"));
    flist_free(&l);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_envd(void **state)
{
    (void)state;
    struct envd_entry v[5] = {
        {.name = "file", .type = ENVD_FILE_FILE, .size = 5, .mode = 0644, .owner = "user"},
        {.name = "../evil", .type = ENVD_FILE_FILE},
        {.name = "..", .type = ENVD_FILE_DIRECTORY},
        {.name = "dir", .type = ENVD_FILE_DIRECTORY, .mode = 0755},
        {.name = "ln", .type = ENVD_FILE_SYMLINK, .symlink_target = "/etc/passwd"},
    };
    struct envd_entries es = {v, 5};
    struct flist l = {0};
    struct error err = {0};
    assert_int_equal(flist_set_envd(&l, "/home/user", &es, &err), 0);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.path, "/home/user");
    assert_string_equal(flist_at(&l, 0)->name, "dir");
    assert_string_equal(flist_at(&l, 2)->target, "/etc/passwd");
    flist_free(&l);
}

/* envd on a dangling link (boxtopd as E2B's envd): no type, no mode, symlinkTarget the link's
 * own path, permissions "Lrwxrwxrwx" - a link in the pane, broken, with the link's own bits. */
static void test_envd_dangling(void **state)
{
    (void)state;
    struct envd_entry v[2] = {
        {.name = "gone",
         .path = "/home/user/gone",
         .type = ENVD_FILE_UNSPECIFIED,
         .permissions = "Lrwxrwxrwx",
         .symlink_target = "/home/user/gone"},
        {.name = "ok", .type = ENVD_FILE_SYMLINK, .mode = 0644, .symlink_target = "/etc/passwd"},
    };
    struct envd_entries es = {v, 2};
    struct flist l = {0};
    struct error err = {0};
    assert_int_equal(flist_set_envd(&l, "/home/user", &es, &err), 0);
    assert_int_equal(l.n, 2);
    long i = flist_find(&l, "gone");
    assert_true(i >= 0);
    const struct fent *e = flist_at(&l, (size_t)i);
    assert_int_equal(e->type, FENT_LINK);
    assert_true(e->link_broken);
    assert_false(e->link_dir);
    assert_null(e->target); /* its own path is not where it points */
    char m[11];
    fmode_str(m, e->type, e->mode);
    assert_string_equal(m, "lrwxrwxrwx");
    e = flist_at(&l, (size_t)flist_find(&l, "ok"));
    assert_false(e->link_broken);
    assert_string_equal(e->target, "/etc/passwd");
    flist_free(&l);
}

static void test_paths(void **state)
{
    (void)state;
    char *p = fpath_join("/", "a");
    assert_string_equal(p, "/a");
    free(p);
    p = fpath_join("/home/user", "x y");
    assert_string_equal(p, "/home/user/x y");
    free(p);
    p = fpath_parent("/home/user");
    assert_string_equal(p, "/home");
    free(p);
    p = fpath_parent("/home");
    assert_string_equal(p, "/");
    free(p);
    p = fpath_parent("/");
    assert_string_equal(p, "/");
    free(p);
    char m[11];
    fmode_str(m, FENT_DIR, 0755);
    assert_string_equal(m, "drwxr-xr-x");
    fmode_str(m, FENT_FILE, 04755);
    assert_string_equal(m, "-rwsr-xr-x");
    fmode_str(m, FENT_LINK, 01777);
    assert_string_equal(m, "lrwxrwxrwt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local),
        cmocka_unit_test(test_envd),
        cmocka_unit_test(test_envd_dangling),
        cmocka_unit_test(test_paths),
    };
    cmocka_set_message_output(CM_OUTPUT_TAP);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
