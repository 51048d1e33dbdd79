/* test_local_error.c - local file errors in words a person acts on (src/core/local_error.c):
 * who refused a permission (owner, mode, who we are) and on what (the file or its directory),
 * a full device, a directory where a file was meant, a missing directory; the call and
 * strerror() kept as the detail. Real errnos where a root test can make them (EISDIR,
 * ENOTDIR, ENOENT); EACCES and ENOSPC given, as root does not meet them, on real paths. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "boxtop/local_error.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/boxtop-lerr-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *me(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw ? pw->pw_name : "?";
}

static void test_permission_of_the_file(void **state)
{
    (void)state;
    char p[128], want[256];
    snprintf(p, sizeof p, "%s/secret.txt", tmp);
    int fd = open(p, O_WRONLY | O_CREAT, 0640);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(p, 0640), 0);
    struct error e;
    assert_int_equal(local_error(&e, LOCAL_READ, "open", p, EACCES), -1);
    snprintf(want, sizeof want,
             "cannot read %s: permission denied (owner %s, mode 0640; you are %s)", p, me(), me());
    assert_string_equal(e.msg, want);
    assert_int_equal(e.kind, ERROR_GENERIC);
    snprintf(want, sizeof want, "open %s: %s (errno %d)", p, strerror(EACCES), EACCES);
    assert_string_equal(e.detail, want);
}

static void test_permission_of_the_directory(void **state)
{
    (void)state;
    char d[128], p[160], want[400];
    snprintf(d, sizeof d, "%s/closed", tmp);
    assert_int_equal(mkdir(d, 0555), 0);
    assert_int_equal(chmod(d, 0555), 0);
    snprintf(p, sizeof p, "%s/new.bin", d); /* not there: creating it is the directory's */
    struct error e;
    local_error(&e, LOCAL_WRITE, "open", p, EACCES);
    snprintf(want, sizeof want,
             "cannot write %s: permission denied on its directory %s (owner %s, mode 0555; you "
             "are %s)",
             p, d, me(), me());
    assert_string_equal(e.msg, want);
    local_error(&e, LOCAL_MKDIR, "mkdir", p, EPERM);
    assert_non_null(strstr(e.msg, "cannot make the directory "));
    assert_non_null(strstr(e.msg, "on its directory "));
}

static void test_full_device(void **state)
{
    (void)state;
    char p[128], want[256];
    snprintf(p, sizeof p, "%s/big.iso", tmp);
    struct error e;
    local_error(&e, LOCAL_WRITE, "write", p, ENOSPC);
    snprintf(want, sizeof want, "no space left on the device holding %s", p);
    assert_string_equal(e.msg, want);
    assert_non_null(strstr(e.detail, strerror(ENOSPC)));
}

static void test_real_errnos(void **state)
{
    (void)state;
    char p[160], want[400];
    struct error e;
    /* a directory opened as a file to write */
    assert_true(open(tmp, O_WRONLY) < 0);
    local_error(&e, LOCAL_WRITE, "open", tmp, errno);
    snprintf(want, sizeof want, "cannot write %s: it is a directory", tmp);
    assert_string_equal(e.msg, want);
    /* a file listed as a directory */
    snprintf(p, sizeof p, "%s/plain", tmp);
    int fd = open(p, O_WRONLY | O_CREAT, 0600);
    close(fd);
    assert_null(opendir(p));
    local_error(&e, LOCAL_LIST, "opendir", p, errno);
    snprintf(want, sizeof want, "cannot list %s: it is not a directory", p);
    assert_string_equal(e.msg, want);
    /* a file written into a directory that is not there */
    snprintf(p, sizeof p, "%s/nodir/x.txt", tmp);
    assert_true(open(p, O_WRONLY | O_CREAT, 0600) < 0);
    local_error(&e, LOCAL_WRITE, "open", p, errno);
    snprintf(want, sizeof want, "cannot write %s: its directory %s/nodir does not exist", p, tmp);
    assert_string_equal(e.msg, want);
    assert_int_equal(e.kind, ERROR_NOT_FOUND);
    /* a missing file read */
    snprintf(p, sizeof p, "%s/gone", tmp);
    assert_true(open(p, O_RDONLY) < 0);
    local_error(&e, LOCAL_READ, "open", p, errno);
    snprintf(want, sizeof want, "cannot read %s: it does not exist", p);
    assert_string_equal(e.msg, want);
    snprintf(want, sizeof want, "open %s: %s (errno %d)", p, strerror(ENOENT), ENOENT);
    assert_string_equal(e.detail, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_permission_of_the_file),
        cmocka_unit_test(test_permission_of_the_directory),
        cmocka_unit_test(test_full_device),
        cmocka_unit_test(test_real_errnos),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
