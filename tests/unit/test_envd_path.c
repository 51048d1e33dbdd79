/* test_envd_path.c - path expansion/cleaning and confinement inside a sandbox root (confine.c:
 * open, mkdir, remove, rename, realpath, a directory's names). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "confine.h"
#include "path.h"

static void clean_like_go(void **state)
{
    (void)state;
    static const char *cases[][2] = {
        {"", "."},
        {"/", "/"},
        {"//a//b/", "/a/b"},
        {"/a/./b/.", "/a/b"},
        {"/a/b/..", "/a"},
        {"/a/..", "/"},
        {"/..", "/"},
        {"/../../etc", "/etc"},
        {"a/../..", ".."},
        {"../a/..", ".."},
        {"a/b/../c", "a/c"},
        {"./", "."},
        {"/a/b/../../..", "/"},
        {"..a/b", "..a/b"},
        {"/a/.b/..c", "/a/.b/..c"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char p[64];
        snprintf(p, sizeof p, "%s", cases[i][0]);
        denvd_path_clean(p);
        assert_string_equal(p, cases[i][1]);
    }
}

static void resolve_against_home(void **state)
{
    (void)state;
    char out[ENVD_PATH_MAX];
    struct error err;
    assert_int_equal(denvd_path_resolve("", "/home/user", out, sizeof out, &err), 0);
    assert_string_equal(out, "/home/user");
    assert_int_equal(denvd_path_resolve("~", "/home/user", out, sizeof out, &err), 0);
    assert_string_equal(out, "/home/user");
    assert_int_equal(denvd_path_resolve("~/x/../y", "/home/user", out, sizeof out, &err), 0);
    assert_string_equal(out, "/home/user/y");
    assert_int_equal(denvd_path_resolve("a.txt", "/root", out, sizeof out, &err), 0);
    assert_string_equal(out, "/root/a.txt");
    assert_int_equal(denvd_path_resolve("../../../etc/passwd", "/home/user", out, sizeof out, &err),
                     0);
    assert_string_equal(out, "/etc/passwd"); /* inside the sandbox: confined by openat2 */
    assert_int_equal(denvd_path_resolve("/tmp//t/", "/home/user", out, sizeof out, &err), 0);
    assert_string_equal(out, "/tmp/t");
    assert_int_equal(denvd_path_resolve("~other/x", "/home/user", out, sizeof out, &err), -1);
    char small[8];
    assert_int_equal(denvd_path_resolve("/a/long/path", "/h", small, sizeof small, &err), -1);
}

static void split(void **state)
{
    (void)state;
    char p[64], b[64];
    denvd_path_split("/a/b/c", p, sizeof p, b, sizeof b);
    assert_string_equal(p, "/a/b");
    assert_string_equal(b, "c");
    denvd_path_split("/a", p, sizeof p, b, sizeof b);
    assert_string_equal(p, "/");
    assert_string_equal(b, "a");
    denvd_path_split("/", p, sizeof p, b, sizeof b);
    assert_string_equal(p, "/");
    assert_string_equal(b, ".");
}

/* A fake host layout: outside/secret next to root/, with hostile symlinks inside root. */
struct tree {
    char top[256], root[300];
    int root_fd;
};

static int tree_setup(void **state)
{
    struct tree *t = calloc(1, sizeof *t);
    snprintf(t->top, sizeof t->top, "/tmp/test_envd_path.XXXXXX");
    if (!mkdtemp(t->top)) return -1;
    char p[600];
    snprintf(t->root, sizeof t->root, "%s/root", t->top);
    mkdir(t->root, 0755);
    snprintf(p, sizeof p, "%s/secret", t->top);
    FILE *f = fopen(p, "w");
    fputs("host secret", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/etc", t->root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/etc/passwd", t->root);
    f = fopen(p, "w");
    fputs("sandbox passwd", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/to_slash", t->root);
    if (symlink("/", p) < 0) return -1;
    snprintf(p, sizeof p, "%s/up", t->root);
    if (symlink("../../..", p) < 0) return -1;
    snprintf(p, sizeof p, "%s/abs_secret", t->root);
    char target[600];
    snprintf(target, sizeof target, "%s/secret", t->top);
    if (symlink(target, p) < 0) return -1;
    t->root_fd = open(t->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    *state = t;
    return t->root_fd < 0 ? -1 : 0;
}

static int tree_teardown(void **state)
{
    struct tree *t = *state;
    close(t->root_fd);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->top);
    int rc = system(cmd);
    free(t);
    return rc == 0 ? 0 : -1;
}

static void read_all(int fd, char *out, size_t n)
{
    ssize_t r = read(fd, out, n - 1);
    assert_true(r >= 0);
    out[r] = '\0';
    close(fd);
}

static void confinement(void **state)
{
    struct tree *t = *state;
    char buf[64];
    /* ".." past the root stays at the root */
    int fd = cf_open(t->root_fd, "/../../etc/passwd", O_RDONLY, 0);
    assert_true(fd >= 0);
    read_all(fd, buf, sizeof buf);
    assert_string_equal(buf, "sandbox passwd");
    /* an absolute symlink to "/" means the sandbox's "/" */
    fd = cf_open(t->root_fd, "/to_slash/etc/passwd", O_RDONLY, 0);
    assert_true(fd >= 0);
    read_all(fd, buf, sizeof buf);
    assert_string_equal(buf, "sandbox passwd");
    fd = cf_open(t->root_fd, "/up/etc/passwd", O_RDONLY, 0);
    assert_true(fd >= 0);
    read_all(fd, buf, sizeof buf);
    assert_string_equal(buf, "sandbox passwd");
    /* a symlink to a host path resolves inside the root, where it does not exist */
    assert_int_equal(cf_open(t->root_fd, "/abs_secret", O_RDONLY, 0), -ENOENT);
    /* the sandbox path of what we opened never names a host directory */
    char sp[ENVD_PATH_MAX];
    assert_int_equal(cf_realpath(t->root_fd, "/to_slash/etc", sp, sizeof sp), 0);
    assert_string_equal(sp, "/etc");
    assert_int_equal(cf_realpath(t->root_fd, "/up", sp, sizeof sp), 0);
    assert_string_equal(sp, "/");
    /* creating through a hostile symlink creates inside the root */
    fd = cf_open(t->root_fd, "/up/newfile", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    close(fd);
    struct stat st;
    char p[600];
    snprintf(p, sizeof p, "%s/newfile", t->root);
    assert_int_equal(stat(p, &st), 0);
    snprintf(p, sizeof p, "%s/newfile", t->top);
    assert_int_equal(stat(p, &st), -1);
}

static void mkdir_remove_rename(void **state)
{
    struct tree *t = *state;
    int created = -1;
    assert_int_equal(cf_mkdir_p(t->root_fd, "/a/b/c", getuid(), getgid(), &created), 0);
    assert_int_equal(created, 1);
    assert_int_equal(cf_mkdir_p(t->root_fd, "/a/b/c", getuid(), getgid(), &created), 0);
    assert_int_equal(created, 0);
    assert_int_equal(cf_mkdir_p(t->root_fd, "/etc/passwd/x", getuid(), getgid(), NULL), -ENOTDIR);
    /* mkdir through a symlink to "/" stays inside */
    assert_int_equal(cf_mkdir_p(t->root_fd, "/to_slash/viaslash", getuid(), getgid(), NULL), 0);
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/viaslash", t->root);
    assert_int_equal(stat(p, &st), 0);
    int fd = cf_open(t->root_fd, "/a/b/c/f", O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(cf_rename(t->root_fd, "/a/b/c/f", "/a/g"), 0);
    assert_int_equal(cf_lstat(t->root_fd, "/a/g", &st), 0);
    assert_int_equal(cf_lstat(t->root_fd, "/a/b/c/f", &st), -ENOENT);
    /* removing a symlink to "/" removes the link, not the target */
    assert_int_equal(cf_remove_all(t->root_fd, "/to_slash"), 0);
    assert_int_equal(cf_lstat(t->root_fd, "/etc/passwd", &st), 0);
    assert_int_equal(cf_remove_all(t->root_fd, "/a"), 0);
    assert_int_equal(cf_lstat(t->root_fd, "/a", &st), -ENOENT);
    assert_int_equal(cf_remove_all(t->root_fd, "/a"), 0); /* missing is success */
    assert_int_equal(cf_remove_all(t->root_fd, "/"), -EBUSY);
    /* the host file next to the root is untouched */
    snprintf(p, sizeof p, "%s/secret", t->top);
    assert_int_equal(stat(p, &st), 0);
}

static void touch_at(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    assert_true(fd >= 0);
    close(fd);
}

/* The names of a directory, as both ListDir's walk and the volume listing read them. */
static void list_names(void **state)
{
    struct tree *t = *state;
    char p[600];
    snprintf(p, sizeof p, "%s/d", t->root);
    assert_int_equal(mkdir(p, 0755), 0);
    int dfd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(dfd >= 0);
    /* names a terminal would act on, a newline, bytes that are not UTF-8: kept to the byte */
    static const char *hostile[] = {"\x1b[2Jx", "a\nb", "\x01", "\xff\xfe", "z", "-rf", " "};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++)
        touch_at(dfd, hostile[i]);
    touch_at(dfd, ".boxtopd-rm-0123");
    char **names = NULL;
    size_t n = 99;
    assert_int_equal(cf_list_names(t->root_fd, "/d", NULL, 100, &names, &n), 0);
    assert_int_equal(n, 8);        /* never "." nor ".." */
    for (size_t i = 1; i < n; i++) /* bytewise order, the same on every file system */
        assert_true(strcmp(names[i - 1], names[i]) < 0);
    assert_memory_equal(names[0], "\x01", 2);
    assert_string_equal(names[n - 1], "\xff\xfe");
    cf_names_free(names, n);
    /* a tree being removed is left out when asked */
    assert_int_equal(cf_list_names(t->root_fd, "/d", ".boxtopd-rm-", 100, &names, &n), 0);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_null(strstr(names[i], ".boxtopd-rm-"));
    cf_names_free(names, n);

    /* symlinks out of the root list the sandbox's own directories, never the host's: "up"
     * (../../..) is the root, whose names are not those of the host directory around it */
    assert_int_equal(cf_list_names(t->root_fd, "/up", NULL, 100, &names, &n), 0);
    int has_d = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(names[i], "secret");
        assert_string_not_equal(names[i], "root");
        has_d |= strcmp(names[i], "d") == 0;
    }
    assert_true(has_d);
    cf_names_free(names, n);
    snprintf(p, sizeof p, "%s/host_top", t->root); /* an absolute link to the host's directory */
    assert_int_equal(symlink(t->top, p), 0);
    assert_int_equal(cf_list_names(t->root_fd, "/host_top", NULL, 100, &names, &n), -ENOENT);
    assert_null(names);
    assert_int_equal(n, 0);

    /* not a directory, missing */
    assert_int_equal(cf_list_names(t->root_fd, "/etc/passwd", NULL, 100, &names, &n), -ENOTDIR);
    assert_int_equal(cf_list_names(t->root_fd, "/nothing", NULL, 100, &names, &n), -ENOENT);
    assert_null(names);

    /* a huge directory: past max it fails instead of reading it all into memory */
    enum { HUGE = 5000 };
    char name[32];
    for (int i = 0; i < HUGE - 8; i++) {
        snprintf(name, sizeof name, "f%05d", i);
        touch_at(dfd, name);
    }
    assert_int_equal(cf_list_names(t->root_fd, "/d", NULL, HUGE - 1, &names, &n), -E2BIG);
    assert_null(names);
    assert_int_equal(n, 0);
    assert_int_equal(cf_list_names(t->root_fd, "/d", NULL, HUGE, &names, &n), 0);
    assert_int_equal(n, HUGE);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(names[i - 1], names[i]) < 0);
    cf_names_free(names, n);
    /* the names skipped do not count against max */
    assert_int_equal(cf_list_names(t->root_fd, "/d", ".boxtopd-rm-", HUGE - 1, &names, &n), 0);
    assert_int_equal(n, HUGE - 1);
    cf_names_free(names, n);
    close(dfd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_like_go),
        cmocka_unit_test(resolve_against_home),
        cmocka_unit_test(split),
        cmocka_unit_test_setup_teardown(confinement, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(mkdir_remove_rename, tree_setup, tree_teardown),
        cmocka_unit_test_setup_teardown(list_names, tree_setup, tree_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
