/* test_cli.c - command-line parsing, exit codes and table output of the CLI. */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "boxtop/api.h"
#include "../../src/cli/cli.h"
#include "boxtop/models.h"
#include "boxtop/xfer.h"

static void test_global_flags(void **state)
{
    (void)state;
    struct cli c = {0};
    struct error err = {0};
    char *argv[] = {"boxtop", "--api-url",   "http://x", "ls", "--api-key=e2b_1",
                    "--json", "--state-dir", "/tmp/s",   "--", "--domain",
                    "d",      NULL};
    int argc = 11;
    assert_int_equal(cli_take_global_flags(&c, &argc, argv, &err), 0);
    assert_string_equal(c.flags.api_url, "http://x");
    assert_string_equal(c.flags.api_key, "e2b_1");
    assert_string_equal(c.state_dir_flag, "/tmp/s");
    assert_null(c.flags.domain); /* after "--": the command's */
    assert_int_equal(argc, 6);
    assert_string_equal(argv[1], "ls");
    assert_string_equal(argv[2], "--json");
    assert_string_equal(argv[3], "--");
    assert_string_equal(argv[4], "--domain");
    assert_null(argv[6]);

    char *bad[] = {"boxtop", "ls", "--context", NULL};
    argc = 3;
    assert_int_equal(cli_take_global_flags(&c, &argc, bad, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    assert_non_null(strstr(err.msg, "--context"));
}

static void test_args_mixed(void **state)
{
    (void)state;
    static const struct option opts[] = {{"state", required_argument, NULL, 's'},
                                         {"json", no_argument, NULL, OPT_JSON},
                                         {"follow", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    char *argv[] = {"ls",  "ID1", "-s", "running", "--json", "--state=paused",
                    "ID2", "-f",  "--", "--json",  NULL};
    struct cli_args a;
    struct error err = {0};
    cli_args_init(&a, 10, argv);
    int want[] = {CLI_ARG_POSITIONAL, 's', OPT_JSON,         's',
                  CLI_ARG_POSITIONAL, 'f', CLI_ARG_DASHDASH, CLI_ARG_POSITIONAL,
                  CLI_ARG_END};
    const char *vals[] = {"ID1", "running", NULL, "paused", "ID2", NULL, NULL, "--json", NULL};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        int k = cli_args_next(&a, opts, &err);
        assert_int_equal(k, want[i]);
        if (vals[i]) assert_string_equal(a.value, vals[i]);
    }

    char *missing[] = {"ls", "--state", NULL};
    cli_args_init(&a, 2, missing);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_non_null(strstr(err.msg, "needs a value"));

    char *unknown[] = {"ls", "--api-key-typo=e2b_secretsecret", NULL};
    cli_args_init(&a, 2, unknown);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_null(strstr(err.msg, "secret")); /* values are not echoed */

    char *noval[] = {"ls", "--json=yes", NULL};
    cli_args_init(&a, 2, noval);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_non_null(strstr(err.msg, "--json takes no value"));

    char *abbrev[] = {"ls", "--sta", "running", NULL}; /* getopt_long alone would take it */
    cli_args_init(&a, 3, abbrev);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_non_null(strstr(err.msg, "unknown option --sta"));

    char *shortmiss[] = {"ls", "-s", NULL};
    cli_args_init(&a, 2, shortmiss);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_non_null(strstr(err.msg, "option --state needs a value"));

    char *shortbad[] = {"ls", "-x", NULL};
    cli_args_init(&a, 2, shortbad);
    assert_int_equal(cli_args_next(&a, opts, &err), CLI_ARG_ERROR);
    assert_non_null(strstr(err.msg, "unknown option -x"));

    /* "-" is a positional; a cluster is its letters; the value may follow the letter */
    char *mix[] = {"ls", "-", "-fsrunning", NULL};
    int want2[] = {CLI_ARG_POSITIONAL, 'f', 's', CLI_ARG_END};
    const char *vals2[] = {"-", NULL, "running", NULL};
    cli_args_init(&a, 3, mix);
    for (size_t i = 0; i < sizeof want2 / sizeof *want2; i++) {
        assert_int_equal(cli_args_next(&a, opts, &err), want2[i]);
        if (vals2[i]) assert_string_equal(a.value, vals2[i]);
    }
}

static void test_values(void **state)
{
    (void)state;
    struct error err = {0};
    struct kv_list l = {0};
    assert_int_equal(cli_parse_kv("a=b=c", &l, &err), 0);
    assert_string_equal(kv_list_get(&l, "a"), "b=c");
    assert_int_equal(cli_parse_kv("empty=", &l, &err), 0);
    assert_string_equal(kv_list_get(&l, "empty"), "");
    assert_int_equal(cli_parse_kv("=v", &l, &err), -1);
    assert_int_equal(cli_parse_kv("novalue", &l, &err), -1);
    assert_int_equal(err.kind, ERROR_USAGE);
    kv_list_free(&l);

    int st;
    assert_int_equal(cli_parse_states("running", &st, &err), 0);
    assert_int_equal(st, API_STATE_RUNNING);
    assert_int_equal(cli_parse_states("paused,running", &st, &err), 0);
    assert_int_equal(st, API_STATE_RUNNING | API_STATE_PAUSED);
    assert_int_equal(cli_parse_states("running,zombie", &st, &err), -1);
    assert_non_null(strstr(err.msg, "zombie"));
    assert_int_equal(cli_parse_states("", &st, &err), -1);

    int v;
    assert_int_equal(cli_parse_int("300", "--timeout", &v, &err), 0);
    assert_int_equal(v, 300);
    assert_int_equal(cli_parse_int("-1", "--timeout", &v, &err), -1);
    assert_int_equal(cli_parse_int("12x", "--timeout", &v, &err), -1);
    assert_int_equal(cli_parse_int("99999999999", "--timeout", &v, &err), -1);
    assert_int_equal(cli_parse_int("", "--timeout", &v, &err), -1);
}

static void test_exit_codes(void **state)
{
    (void)state;
    struct error e = {0};
    assert_int_equal(cli_exit_code(&e), 0);
    int want[][2] = {{ERROR_GENERIC, 1}, {ERROR_USAGE, 2},    {ERROR_NOT_FOUND, 3},
                     {ERROR_AUTH, 4},    {ERROR_CONFLICT, 1}, {ERROR_RATE_LIMIT, 1},
                     {ERROR_NETWORK, 1}, {ERROR_PROTOCOL, 1}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        e.kind = (enum error_kind)want[i][0];
        assert_int_equal(cli_exit_code(&e), want[i][1]);
    }
}

static void test_table(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    static const char *const hdr[] = {"ID", "NAME", "N"};
    struct cli_table *t = cli_table_new(3, hdr);
    cli_table_add_row(t, (const char *[]){"a", "evil\x1b[31mred\x1b[0m", "1"});
    cli_table_add_row(t, (const char *[]){"longer-id", NULL, "22"});
    cli_table_add_row(t, (const char *[]){"\xe6\xbc\xa2\xe5\xad\x97", "x", "3"}); /* 2 wide chars */
    cli_table_print(t, fp);
    cli_table_free(t);
    fclose(fp);
    assert_string_equal(out, "ID         NAME     N\n"
                             "a          evilred  1\n"
                             "longer-id  -        22\n"
                             "\xe6\xbc\xa2\xe5\xad\x97       x        3\n");
    free(out);
}

/* --json output: what cJSON leaves raw and a terminal would act on becomes a \u escape, and
 * the result still parses to the same strings. */
static void test_json_escape_controls(void **state)
{
    (void)state;
    cJSON *doc = cJSON_CreateObject();
    /* U+009B (8-bit CSI, UTF-8 encoded), DEL, U+202E (RLO), U+2028, ESC (cJSON's own \u001b),
     * a backslash right before a C1 control, and plain UTF-8 that must stay as it is */
    const char *v = "a\xc2\x9b"
                    "31m\x7f\xe2\x80\xae\xe2\x80\xa8\x1b[2J\\\xc2\x85\xc3\xa9\xe6\xbc\xa2";
    cJSON_AddStringToObject(doc, "k", v);
    char *txt = cJSON_PrintUnformatted(doc);
    struct buf out = BUF_INIT;
    assert_int_equal(cli_json_escape_controls(&out, txt, strlen(txt)), 0);
    assert_string_equal(buf_cstr(&out), "{\"k\":\"a\\u009b31m\\u007f\\u202e\\u2028\\u001b[2J"
                                        "\\\\\\u0085\xc3\xa9\xe6\xbc\xa2\"}");
    cJSON *back = cJSON_Parse(buf_cstr(&out));
    assert_non_null(back);
    assert_string_equal(cJSON_GetObjectItem(back, "k")->valuestring, v);
    cJSON_Delete(back);
    buf_free(&out);
    free(txt);
    cJSON_Delete(doc);

    /* ill-formed UTF-8 (raw 8-bit CSI, overlong, surrogate, truncated) becomes \ufffd per byte */
    const char bad[] = "\"\x9b\xc0\xaf\xed\xa0\x80\xe6\xbc\"";
    assert_int_equal(cli_json_escape_controls(&out, bad, strlen(bad)), 0);
    assert_string_equal(buf_cstr(&out), "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
                                        "\\ufffd\\ufffd\"");
    buf_free(&out);
}

/* `boxtop cp`'s progress line: no "0 B/s" while no rate can be known (the first second),
 * the rate once there is one, and 0 B/s when bytes stop coming after that. */
static void test_cp_progress_rate(void **state)
{
    (void)state;
    struct xfer_job j;
    memset(&j, 0, sizeof j);
    j.total = 40 << 20;
    j.files_total = 1;
    char line[256];
    cp_progress_text(line, sizeof line, &j, 0, false); /* nothing sampled yet */
    assert_string_equal(line, "0 B / 40.0 MiB    0%  \xe2\x80\x94  files 0/1");
    for (int i = 0; i <= 3; i++) { /* 1 MiB per 250 ms: 4 MiB/s */
        j.done = (uint64_t)i << 20;
        xfer_sample(&j, 1000 + i * 250);
    }
    cp_progress_text(line, sizeof line, &j, 1750, false); /* 0.75 s of data: not yet */
    assert_null(strstr(line, "B/s"));
    assert_non_null(strstr(line, "\xe2\x80\x94"));
    j.done = 4 << 20;
    xfer_sample(&j, 2000);
    cp_progress_text(line, sizeof line, &j, 2000, false);
    assert_non_null(strstr(line, "4.0 MiB/s"));
    assert_null(strstr(line, "\xe2\x80\x94"));
    assert_non_null(strstr(line, "0:09"));                /* 36 MiB left at 4 MiB/s */
    cp_progress_text(line, sizeof line, &j, 9000, false); /* nothing came for 7 s */
    assert_non_null(strstr(line, "  0 B/s"));
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8"); /* display widths of CJK cells need a UTF-8 locale */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_global_flags),
        cmocka_unit_test(test_args_mixed),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_json_escape_controls),
        cmocka_unit_test(test_cp_progress_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
