/* test_envd_entry.c - EntryInfo: Go FileMode strings, timestamps, symlink handling, JSON. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "entry.h"

static void mode_strings(void **state)
{
    (void)state;
    static const struct {
        mode_t m;
        const char *s;
    } cases[] = {
        {S_IFREG | 0644, "-rw-r--r--"},   {S_IFREG | 0640, "-rw-r-----"},
        {S_IFDIR | 0755, "drwxr-xr-x"},   {S_IFLNK | 0777, "Lrwxrwxrwx"},
        {S_IFDIR | 01777, "dtrwxrwxrwx"}, {S_IFREG | 04755, "urwxr-xr-x"},
        {S_IFREG | 02755, "grwxr-xr-x"},  {S_IFCHR | 0666, "Dcrw-rw-rw-"},
        {S_IFBLK | 0660, "Drw-rw----"},   {S_IFIFO | 0600, "prw-------"},
        {S_IFSOCK | 0755, "Srwxr-xr-x"},  {S_IFREG | 0, "----------"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char s[16];
        denvd_mode_string(cases[i].m, s);
        assert_string_equal(s, cases[i].s);
    }
}

static void timestamps(void **state)
{
    (void)state;
    char s[64];
    denvd_format_timestamp((struct timespec){1767225600, 0}, s, sizeof s);
    assert_string_equal(s, "2026-01-01T00:00:00Z");
    denvd_format_timestamp((struct timespec){1767225600, 123000000}, s, sizeof s);
    assert_string_equal(s, "2026-01-01T00:00:00.123Z");
    denvd_format_timestamp((struct timespec){1767225600, 123456000}, s, sizeof s);
    assert_string_equal(s, "2026-01-01T00:00:00.123456Z");
    denvd_format_timestamp((struct timespec){1767225600, 123456789}, s, sizeof s);
    assert_string_equal(s, "2026-01-01T00:00:00.123456789Z");
}

static void stat_and_json(void **state)
{
    (void)state;
    char top[] = "/tmp/test_envd_entry.XXXXXX";
    assert_non_null(mkdtemp(top));
    char p[256];
    snprintf(p, sizeof p, "%s/d", top);
    mkdir(p, 0750);
    snprintf(p, sizeof p, "%s/d/a.txt", top);
    FILE *f = fopen(p, "w");
    fputs("abc", f);
    fclose(f);
    chmod(p, 0640);
    snprintf(p, sizeof p, "%s/d/empty", top);
    f = fopen(p, "w");
    fclose(f);
    snprintf(p, sizeof p, "%s/d/link", top);
    assert_int_equal(symlink("a.txt", p), 0);
    snprintf(p, sizeof p, "%s/d/dirlink", top);
    assert_int_equal(symlink("/d", p), 0);
    snprintf(p, sizeof p, "%s/d/dangling", top);
    assert_int_equal(symlink("/nowhere", p), 0);
    int root = open(top, O_PATH | O_DIRECTORY);
    assert_true(root >= 0);

    struct denvd_entry e;
    assert_int_equal(denvd_entry_stat(root, "/d/a.txt", &e), 0);
    assert_string_equal(e.name, "a.txt");
    assert_string_equal(e.path, "/d/a.txt");
    assert_int_equal(e.type, ENVD_FT_FILE);
    assert_int_equal(e.size, 3);
    assert_int_equal(e.mode, 0640);
    assert_string_equal(e.perms, "-rw-r-----");
    assert_false(e.has_target);
    cJSON *j = denvd_entry_json(&e, "user", "user");
    char *txt = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(txt, "\"size\":\"3\""));
    assert_non_null(strstr(txt, "\"type\":\"FILE_TYPE_FILE\""));
    assert_non_null(strstr(txt, "\"mode\":416"));
    assert_non_null(strstr(txt, "\"owner\":\"user\""));
    assert_null(strstr(txt, "symlinkTarget"));
    free(txt);
    cJSON_Delete(j);

    assert_int_equal(denvd_entry_stat(root, "/d/empty", &e), 0);
    j = denvd_entry_json(&e, "root", "root");
    txt = cJSON_PrintUnformatted(j);
    assert_null(strstr(txt, "\"size\"")); /* proto3 omits zero */
    free(txt);
    cJSON_Delete(j);

    assert_int_equal(denvd_entry_stat(root, "/d/link", &e), 0);
    assert_int_equal(e.type, ENVD_FT_FILE);
    assert_int_equal(e.mode, 0640);
    assert_string_equal(e.perms, "Lrwxrwxrwx");
    assert_true(e.has_target);
    assert_string_equal(e.target, "/d/a.txt");

    assert_int_equal(denvd_entry_stat(root, "/d/dirlink", &e), 0);
    assert_int_equal(e.type, ENVD_FT_DIRECTORY);
    assert_string_equal(e.target, "/d"); /* resolved inside the root, not on the host */

    assert_int_equal(denvd_entry_stat(root, "/d/dangling", &e), 0);
    assert_int_equal(e.type, ENVD_FT_UNSPECIFIED);
    j = denvd_entry_json(&e, "root", "root");
    txt = cJSON_PrintUnformatted(j);
    assert_null(strstr(txt, "\"type\""));
    free(txt);
    cJSON_Delete(j);

    assert_int_equal(denvd_entry_stat(root, "/d", &e), 0);
    assert_int_equal(e.type, ENVD_FT_DIRECTORY);
    assert_string_equal(e.perms, "drwxr-x---");
    assert_true(denvd_entry_stat(root, "/d/missing", &e) < 0);
    close(root);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mode_strings),
        cmocka_unit_test(timestamps),
        cmocka_unit_test(stat_and_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
