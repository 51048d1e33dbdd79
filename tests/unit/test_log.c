/* test_log.c - log lines, levels, and that registered secrets never reach the file. */
#include "config.h"

#include <errno.h>
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

#include "boxtop/buf.h"
#include "boxtop/log.h"

#define KEY   "e2b_0123456789abcdef0123456789abcdef01234567"
#define TOKEN "sk_e2b_fedcba9876543210fedcba9876543210"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    struct buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    return buf_steal(&b);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void secrets_are_redacted(void **state)
{
    (void)state;
    char dir[] = "/tmp/boxtop-test-log-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir); /* log_open creates it */
    struct log *lg = log_open(path, LOG_DEBUG);
    assert_non_null(lg);
    assert_int_equal(log_add_secret(lg, KEY), 0);
    assert_int_equal(log_add_secret(lg, TOKEN), 0);
    assert_int_equal(log_add_secret(lg, ""), -EINVAL);
    log_msg(lg, LOG_INFO, "using key %s", KEY);
    log_msg(lg, LOG_DEBUG, "X-API-Key: %s; Authorization: Bearer %s; again %s", KEY, TOKEN, KEY);
    /* Split by an escape sequence or a newline: sanitizing would join the pieces again. */
    log_msg(lg, LOG_WARN, "split e2b_0123456789abcdef\x1b[0m0123456789abcdef01234567 end");
    log_msg(lg, LOG_ERROR, "multi\nline %s\n", TOKEN);
    log_close(lg);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char *text = slurp(path);
    assert_null(strstr(text, KEY));
    assert_null(strstr(text, TOKEN));
    assert_null(strstr(text, "0123456789abcdef0123456789abcdef"));
    assert_null(strstr(text, "fedcba9876543210fedcba"));
    assert_null(strchr(text, '\x1b'));
    assert_non_null(strstr(text, "using key e2b_\xe2\x80\xa6"
                                 "4567\n"));
    assert_non_null(strstr(text, "Bearer sk_e2b_\xe2\x80\xa6"
                                 "3210; again e2b_"));
    assert_non_null(strstr(text, "split e2b_\xe2\x80\xa6"
                                 "4567 end"));
    assert_int_equal(count_lines(text), 4); /* one message, one line */
    free(text);
    unlink(path);
    rmdir(dir);
}

static void levels_and_format(void **state)
{
    (void)state;
    char dir[] = "/tmp/boxtop-test-log-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/log", dir); /* log_open creates it */
    struct log *lg = log_open(path, LOG_WARN);
    assert_non_null(lg);
    log_msg(lg, LOG_DEBUG, "hidden-debug");
    log_msg(lg, LOG_INFO, "hidden-info");
    log_msg(lg, LOG_WARN, "shown-warn %d", 42);
    log_set_level(lg, LOG_DEBUG);
    log_msg(lg, LOG_DEBUG, "shown-debug");
    log_msg(NULL, LOG_ERROR, "dropped"); /* no log: nothing happens */
    log_close(lg);
    char *text = slurp(path);
    assert_null(strstr(text, "hidden"));
    assert_int_equal(count_lines(text), 2);
    /* "YYYY-MM-DDTHH:MM:SS.mmmZ WARN  shown-warn 42" */
    assert_int_equal(strlen(text) > 25, 1);
    assert_true(text[4] == '-' && text[10] == 'T' && text[23] == 'Z');
    assert_memory_equal(text + 24, " WARN  shown-warn 42\n", 21);
    assert_non_null(strstr(text, " DEBUG shown-debug\n"));
    free(text);
    unlink(path);
    rmdir(dir);
    assert_null(log_open("/nonexistent-dir/x/log", LOG_INFO));
}

static void parse_level(void **state)
{
    (void)state;
    enum log_level l = LOG_ERROR;
    assert_int_equal(log_parse_level("debug", &l), 0);
    assert_int_equal(l, LOG_DEBUG);
    assert_int_equal(log_parse_level("WARN", &l), 0);
    assert_int_equal(l, LOG_WARN);
    assert_int_equal(log_parse_level("error", &l), 0);
    assert_int_equal(l, LOG_ERROR);
    assert_int_equal(log_parse_level("loud", &l), -EINVAL);
    assert_int_equal(log_parse_level(NULL, &l), -EINVAL);
}

static void mask(void **state)
{
    (void)state;
    char out[16];
    log_mask_secret(KEY, out, sizeof out);
    assert_string_equal(out, "e2b_\xe2\x80\xa6"
                             "4567");
    log_mask_secret(TOKEN, out, sizeof out);
    assert_string_equal(out, "sk_e2b_\xe2\x80\xa6"
                             "3210");
    log_mask_secret("e2b_short", out, sizeof out); /* too short to show any of it */
    assert_string_equal(out, "e2b_\xe2\x80\xa6");
    log_mask_secret("hunter2", out, sizeof out);
    assert_string_equal(out, "\xe2\x80\xa6");
    log_mask_secret("abcdefghijklmnopqrstuvwxyz", out, sizeof out);
    assert_string_equal(out, "\xe2\x80\xa6wxyz");
    log_mask_secret(NULL, out, sizeof out);
    assert_string_equal(out, "\xe2\x80\xa6");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(secrets_are_redacted),
        cmocka_unit_test(levels_and_format),
        cmocka_unit_test(parse_level),
        cmocka_unit_test(mask),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
