/* test_cli_e2e.c - the boxtop binary end to end against a fake E2B platform server.
 *
 * The server (forked, own process group, killed at the end) answers like the E2B API for
 * a few sandboxes and records every request line and body in shared memory, so the tests
 * check both what boxtop prints (tables, JSON, exit codes, no secrets) and what it sent
 * (query encoding, v2 -> v1 fallback bodies, paging). */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cJSON.h>
#include <cmocka.h>

#include "commands_cloud_fixture.h"
#include "fake_server.h"

#define GOOD_KEY "e2b_1111111111111111111111111111111111111111"
#define BAD_KEY  "e2b_2222222222222222222222222222222222222222"
#define TOKEN    "tok_SECRET_envd_token"

struct shared {
    int off;
    int pages; /* list requests answered by the endless-paging server */
    char log[1 << 16];
};

struct env {
    struct fake_server fs;
    int port;
    struct shared *sh;
    char tmp[64];
    const char *url; /* --api-url to pass instead of the fake's; NULL = the fake */
    char bin[512];
    char out[1 << 16];
    char err[1 << 14];
};

/* ---- fake server ------------------------------------------------------------------------- */

static void record(struct shared *sh, const char *s)
{
    int n = (int)strlen(s);
    int at = __atomic_fetch_add(&sh->off, n + 1, __ATOMIC_SEQ_CST);
    if (at + n + 1 < (int)sizeof sh->log) {
        memcpy(sh->log + at, s, (size_t)n);
        sh->log[at + n] = '\n';
    }
}

#define SBX(id, md, state)                                                                         \
    "{\"templateID\":\"tpl\",\"alias\":\"base\",\"sandboxID\":\"" id "\",\"clientID\":"            \
    "\"6532622b\",\"startedAt\":\"2026-11-22T18:40:39.802Z\",\"endAt\":"                           \
    "\"2026-11-22T18:45:39.802Z\",\"cpuCount\":2,\"memoryMB\":512,\"diskSizeMB\":2048,"            \
    "\"metadata\":" md ",\"state\":\"" state "\",\"envdVersion\":\"0.6.13\"}"

static void route(int fd, const char *method, const char *path, const char *key, const char *body,
                  struct shared *sh)
{
    char line[4200];
    snprintf(line, sizeof line, "%s %s", method, path);
    record(sh, line);
    if (body[0]) {
        snprintf(line, sizeof line, "BODY %s", body);
        record(sh, line);
    }
    if (!strcmp(path, "/health")) {
        fake_reply(fd, 200, "", "");
        return;
    }
    if (strcmp(key, GOOD_KEY)) {
        char msg[256];
        snprintf(msg, sizeof msg, "{\"code\":401,\"message\":\"Invalid API key %s\"}", key);
        fake_reply(fd, 401, "", msg);
        return;
    }
    if (!strncmp(path, "/v2/sandboxes?", 14) && strstr(path, "metadata=loop%3D")) {
        /* a server that always has one more page: empty, the same token, or a new token
         * each time (given up after 2000 so that a client without a bound fails, not hangs) */
        int n = __atomic_add_fetch(&sh->pages, 1, __ATOMIC_SEQ_CST);
        char hdr[64];
        bool fresh = strstr(path, "loop%3Dfresh") != NULL;
        snprintf(hdr, sizeof hdr, "X-Next-Token: t%d\r\n", fresh ? n : 1);
        if (n > 2000)
            fake_reply(fd, 200, "", "[]");
        else
            fake_reply(fd, 200, hdr,
                       strstr(path, "loop%3Dempty") ? "[]" : "[" SBX("iloop", "{}", "running") "]");
    } else if (!strncmp(path, "/v2/sandboxes?", 14) || !strcmp(path, "/v2/sandboxes")) {
        if (!strcmp(method, "POST")) {
            fake_reply(fd, 404, "",
                       "{\"code\":404,\"message\":\"Not Found\"}"); /* an older server */
        } else if (strstr(path, "nextToken=p2"))
            fake_reply(fd, 200, "", "[" SBX("ibox3", "{}", "paused") "]");
        else
            fake_reply(fd, 200, "X-Next-Token: p2\r\n",
                       "[" SBX("ibox1", "{\"odd key\":\"a b&c\"}", "running") "," SBX(
                           "ibox2", "{\"evil\":\"\\u001b[2Jx\"}", "running") "]");
    } else if (!strcmp(path, "/sandboxes") && !strcmp(method, "POST")) {
        fake_reply(fd, 201, "",
                   "{\"templateID\":\"tpl\",\"sandboxID\":\"inew1\",\"clientID\":\"6532622b\","
                   "\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"" TOKEN "\"}");
    } else if (!strcmp(path, "/sandboxes/ibox1") && !strcmp(method, "GET")) {
        fake_reply(fd, 200, "",
                   "{\"templateID\":\"tpl\",\"sandboxID\":\"ibox1\",\"clientID\":\"6532622b\","
                   "\"startedAt\":\"2026-11-22T18:40:39Z\",\"endAt\":\"2026-11-22T18:45:39Z\","
                   "\"cpuCount\":2,\"memoryMB\":512,\"diskSizeMB\":2048,\"state\":\"running\","
                   "\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"" TOKEN "\"}");
    } else if (!strcmp(path, "/sandboxes/iboom")) {
        /* a hostile 500: an escape sequence in its message, the key echoed in the body */
        char msg[512];
        snprintf(msg, sizeof msg,
                 "{\"code\":500,\"message\":\"placement failed: \\u001b]0;pwned\\u0007no node\","
                 "\"echo\":\"%s\"}",
                 key);
        fake_reply(fd, 500, "", msg);
    } else if (!strcmp(path, "/sandboxes/igarbage")) {
        char msg[512];
        snprintf(msg, sizeof msg, "<<not json \x1b[2J from a proxy %s", key);
        fake_reply(fd, 200, "", msg);
    } else if (!strcmp(path, "/sandboxes/ibox1") && !strcmp(method, "DELETE")) {
        fake_reply(fd, 204, "", "");
    } else if (!strcmp(path, "/sandboxes/ibox1/pause")) {
        fake_reply(fd, 409, "", "{\"code\":409,\"message\":\"Sandbox ibox1 is already paused\"}");
    } else if (!strcmp(path, "/sandboxes/ibox1/timeout")) {
        fake_reply(fd, 204, "", "");
    } else if (!strcmp(path, "/v2/sandboxes/ibox1/connect")) {
        fake_reply(fd, 201, "",
                   "{\"templateID\":\"tpl\",\"sandboxID\":\"ibox1\",\"clientID\":\"6532622b\","
                   "\"envdVersion\":\"0.6.13\",\"envdAccessToken\":\"" TOKEN "\"}");
    } else if (!strncmp(path, "/sandboxes/ibox1/metrics", 24)) {
        fake_reply(
            fd, 200, "",
            "[{\"timestamp\":\"x\",\"timestampUnix\":1795372840,\"cpuCount\":2,\"cpuUsedPct\":"
            "12.5,\"memUsed\":104857600,\"memTotal\":536870912,\"memCache\":0,\"diskUsed\":"
            "1073741824,\"diskTotal\":2147483648},{\"timestamp\":\"x\",\"timestampUnix\":"
            "1795372845,\"cpuCount\":2,\"cpuUsedPct\":50,\"memUsed\":209715200,\"memTotal\":"
            "536870912,\"memCache\":0,\"diskUsed\":1073741824,\"diskTotal\":2147483648}]");
    } else if (!strncmp(path, "/sandboxes/icloud/logs?", 23)) {
        fake_reply(fd, 200, "", CLOUD_V1); /* E2B cloud's shapes: commands.h */
    } else if (!strncmp(path, "/v2/sandboxes/icloud/logs?", 26) && strstr(path, "pid=")) {
        fake_reply(fd, 501, "",
                   "{\"code\":501,\"message\":\"Filtering sandbox logs by pid is not supported by "
                   "this cluster yet\"}");
    } else if (!strncmp(path, "/sandboxes/iv2only/logs?", 24)) {
        fake_reply(fd, 404, "", "{\"code\":404,\"message\":\"Not Found\"}");
    } else if (!strncmp(path, "/v2/sandboxes/iv2only/logs?", 27)) {
        fake_reply(fd, 200, "", CLOUD_V2);
    } else if (!strncmp(path, "/v2/sandboxes/ibox1/logs", 24)) {
        /* backward: newest first */
        fake_reply(
            fd, 200, "",
            "{\"logs\":[{\"timestamp\":\"2026-11-22T18:40:42Z\",\"level\":\"error\",\"message\":"
            "\"second\",\"fields\":{}},{\"timestamp\":\"2026-11-22T18:40:41Z\",\"level\":\"warn\","
            "\"message\":\"first\",\"fields\":{\"pid\":\"7\"}}]}");
    } else {
        fake_reply(fd, 404, "",
                   "{\"code\":404,\"message\":\"Sandbox \\\"missing\\\" doesn't exist\"}");
    }
}

static void serve(int fd, struct shared *sh)
{
    char buf[65536];
    size_t len = 0;
    for (;;) {
        char *end;
        while (!(end = memmem(buf, len, "\r\n\r\n", 4))) {
            ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
            if (n <= 0) return;
            len += (size_t)n;
        }
        *end = '\0';
        char method[16] = "", path[2048] = "", key[128] = "";
        sscanf(buf, "%15s %2047s", method, path);
        long clen = 0;
        bool chunked = false;
        for (char *l = strstr(buf, "\r\n"); l; l = strstr(l + 2, "\r\n")) {
            if (!strncasecmp(l + 2, "content-length:", 15)) clen = atol(l + 17);
            if (!strncasecmp(l + 2, "transfer-encoding: chunked", 26)) chunked = true;
            if (!strncasecmp(l + 2, "x-api-key:", 10)) sscanf(l + 12, " %127[^\r]", key);
        }
        if (chunked) /* boxtop sends in-memory bodies with a length */
            return;
        size_t hdr = (size_t)(end - buf) + 4;
        while (len < hdr + (size_t)clen) {
            ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
            if (n <= 0) return;
            len += (size_t)n;
        }
        char body[4096] = "";
        snprintf(body, sizeof body, "%.*s", (int)clen, buf + hdr);
        route(fd, method, path, key, body, sh);
        memmove(buf, buf + hdr + clen, len - hdr - (size_t)clen);
        len -= hdr + (size_t)clen;
    }
}

static void serve_one(int fd, int no, void *shared)
{
    (void)no;
    serve(fd, shared);
}

static int setup(void **state)
{
    static struct env e;
    if (fake_server_start(&e.fs, sizeof *e.sh, serve_one) < 0) return -1;
    e.sh = e.fs.shared;
    e.port = e.fs.port;
    snprintf(e.tmp, sizeof e.tmp, "/tmp/boxtop-cli-e2e-XXXXXX");
    if (!mkdtemp(e.tmp)) return -1;
    const char *top = getenv("abs_top_builddir");
    snprintf(e.bin, sizeof e.bin, "%s/src/boxtop", top ? top : ".");
    *state = &e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    fake_server_stop(&e->fs);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", e->tmp);
    if (system(cmd) != 0) return -1;
    return 0;
}

static void slurp(const char *path, char *out, size_t n)
{
    FILE *f = fopen(path, "r");
    size_t k = f ? fread(out, 1, n - 1, f) : 0;
    out[k] = '\0';
    if (f) fclose(f);
}

/* Run boxtop with args (NULL-terminated), key = the --api-key to pass (NULL: none, and no
 * --api-url either). Returns the exit code; output in e->out / e->err. */
static int run(struct env *e, const char *key, ...)
{
    char *argv[32];
    int n = 0;
    char url[64];
    snprintf(url, sizeof url, "%s", e->url ? e->url : "");
    if (!e->url) snprintf(url, sizeof url, "http://127.0.0.1:%d", e->port);
    argv[n++] = e->bin;
    if (key) {
        argv[n++] = "--api-url";
        argv[n++] = url;
        argv[n++] = "--api-key";
        argv[n++] = (char *)key;
    }
    va_list ap;
    va_start(ap, key);
    const char *s;
    while ((s = va_arg(ap, const char *)) && n < 31)
        argv[n++] = (char *)s;
    va_end(ap);
    argv[n] = NULL;
    char outp[128], errp[128];
    snprintf(outp, sizeof outp, "%s/out", e->tmp);
    snprintf(errp, sizeof errp, "%s/err", e->tmp);
    e->sh->off = 0;
    memset(e->sh->log, 0, sizeof e->sh->log);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int r = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(o, 1);
        dup2(r, 2);
        setenv("HOME", e->tmp, 1); /* no user config, no local boxtopd */
        setenv("LANG", "C.UTF-8", 1);
        unsetenv("E2B_API_KEY");
        unsetenv("E2B_API_URL");
        unsetenv("E2B_DOMAIN");
        unsetenv("E2B_SANDBOX_URL");
        unsetenv("BOXTOP_STATE_DIR");
        unsetenv("XDG_DATA_HOME");
        execv(e->bin, argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    slurp(outp, e->out, sizeof e->out);
    slurp(errp, e->err, sizeof e->err);
    if (getenv("BOXTOP_E2E_SHOW")) fprintf(stderr, "# stdout:\n%s# stderr:\n%s", e->out, e->err);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void no_secrets(struct env *e)
{
    assert_null(strstr(e->out, TOKEN));
    assert_null(strstr(e->err, TOKEN));
    assert_null(strstr(e->out, GOOD_KEY));
    assert_null(strstr(e->err, GOOD_KEY));
    assert_null(strstr(e->err, BAD_KEY));
    assert_null(strchr(e->out, 0x1b)); /* no escape sequence from the server reaches us */
}

static void test_ls_table(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--meta", "odd key=a b&c", NULL), 0);
    assert_non_null(strstr(e->out, "SANDBOX ID"));
    assert_non_null(strstr(e->out, "ibox1"));
    assert_non_null(strstr(e->out, "ibox3")); /* second page via X-Next-Token */
    assert_non_null(strstr(e->out, "odd key=a b&c"));
    assert_non_null(strstr(e->sh->log, "GET /v2/sandboxes?metadata=odd%252520key%3Da%252520b"
                                       "%252526c&state=running,paused&limit=100\n"));
    assert_non_null(strstr(e->sh->log, "&nextToken=p2"));
    no_secrets(e);
}

/* A server that always has a next page: an empty page or a repeated token ends the listing;
 * fresh tokens forever are cut off after a bounded number of pages with an error. */
static void test_ls_endless_paging(void **state)
{
    struct env *e = *state;
    /* a server that makes no progress is left, and that is said: the listing may be
     * incomplete, so the exit code is not 0 (issue 25: it stopped silently with 0) */
    e->sh->pages = 0;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--meta", "loop=empty", NULL), 1);
    assert_int_equal(e->sh->pages, 1);
    assert_non_null(strstr(e->err, "empty page"));
    e->sh->pages = 0;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--meta", "loop=same", NULL), 1);
    assert_int_equal(e->sh->pages, 2);
    assert_non_null(strstr(e->out, "iloop"));
    assert_non_null(strstr(e->err, "same next-page token"));
    e->sh->pages = 0;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--meta", "loop=fresh", NULL), 1);
    assert_true(e->sh->pages <= 1000);
    assert_non_null(strstr(e->err, "listing cut at"));
    assert_non_null(strstr(e->out, "iloop")); /* what was listed is shown */
}

static void test_ls_json(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--json", "--state", "running", NULL), 0);
    cJSON *doc = cJSON_Parse(e->out);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(doc), 3);
    cJSON *first = cJSON_GetArrayItem(doc, 0);
    assert_string_equal(cJSON_GetObjectItem(first, "sandboxID")->valuestring, "ibox1");
    cJSON_Delete(doc);
    assert_non_null(strstr(e->sh->log, "state=running&limit=100"));
    no_secrets(e);
}

static void test_info(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "info", "ibox1", "--json", NULL), 0);
    cJSON *doc = cJSON_Parse(e->out);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "state")->valuestring, "running");
    cJSON_Delete(doc);
    no_secrets(e);
    assert_int_equal(run(e, GOOD_KEY, "info", "ibox1", NULL), 0);
    assert_non_null(strstr(e->out, "Envd version"));
    no_secrets(e);
    assert_int_equal(run(e, GOOD_KEY, "info", "missing", NULL), 3);
    assert_non_null(strstr(e->err, "doesn't exist"));
}

static void test_auth_error(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, BAD_KEY, "ls", NULL), 4);
    assert_non_null(strstr(e->err, "Invalid API key"));
    no_secrets(e); /* the server echoed the key; boxtop masks it */
}

static void test_lifecycle(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "kill", "ibox1", "missing", NULL), 3);
    assert_non_null(strstr(e->out, "ibox1 killed"));
    assert_non_null(strstr(e->err, "missing"));
    assert_int_equal(run(e, GOOD_KEY, "pause", "ibox1", NULL), 0);
    assert_non_null(strstr(e->out, "already paused"));
    assert_non_null(strstr(e->sh->log, "POST /sandboxes/ibox1/pause\nBODY {}\n"));
    assert_int_equal(run(e, GOOD_KEY, "resume", "ibox1", NULL), 0);
    assert_non_null(strstr(e->out, "ibox1 resumed"));
    assert_non_null(strstr(e->sh->log, "POST /v2/sandboxes/ibox1/connect\nBODY {}\n"));
    assert_int_equal(run(e, GOOD_KEY, "timeout", "ibox1", "120", NULL), 0);
    assert_non_null(strstr(e->sh->log, "POST /sandboxes/ibox1/timeout\nBODY {\"timeout\":120}"));
    assert_int_equal(run(e, GOOD_KEY, "timeout", "ibox1", "soon", NULL), 2);
}

static void test_create_falls_back_to_v1(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "create", "mytpl", "--timeout", "60", "--meta", "a=b", NULL),
                     0);
    assert_string_equal(e->out, "inew1\n");
    assert_non_null(strstr(e->sh->log, "POST /v2/sandboxes\nBODY {\"templateID\":\"mytpl\","
                                       "\"metadata\":{\"a\":\"b\"},\"timeout\":60}\n"));
    assert_non_null(strstr(e->sh->log, "POST /sandboxes\nBODY {\"templateID\":\"mytpl\","
                                       "\"metadata\":{\"a\":\"b\"},\"timeout\":60,\"secure\":"
                                       "true}\n"));
    no_secrets(e);
}

static void test_metrics_and_logs(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "metrics", "ibox1", NULL), 0);
    assert_non_null(strstr(e->out, "12.5"));
    assert_non_null(strstr(e->out, "200/512"));
    assert_int_equal(run(e, GOOD_KEY, "logs", "ibox1", "--level", "WARN", NULL), 0);
    assert_non_null(strstr(e->sh->log, "GET /v2/sandboxes/ibox1/logs?direction=backward&limit="
                                       "1000&level=warn\n"));
    char *first = strstr(e->out, "first"), *second = strstr(e->out, "second");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second); /* printed oldest first */
    assert_non_null(strstr(e->out, "pid=7"));
    assert_int_equal(run(e, GOOD_KEY, "logs", "ibox1", "--level", "loud", NULL), 2);
}

/* issue 16: the command history from E2B cloud's entries (exit codes from v1 lines, out of
 * order, a reused pid, an end without a start, no process_output) */
static void test_commands_cloud(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "--json", NULL), 0);
    assert_non_null(strstr(e->sh->log, "GET /sandboxes/icloud/logs?limit=1000\n"));
    cJSON *doc = cJSON_Parse(e->out);
    assert_int_equal(cJSON_GetArraySize(doc), 5);
    static const char *const results[] = {"exit 0", "exit 1", "exit 2", "signal: killed",
                                          "running"};
    static const int pids[] = {12, 40, 7, 12, 71};
    for (int i = 0; i < 5; i++) {
        cJSON *it = cJSON_GetArrayItem(doc, i);
        assert_string_equal(cJSON_GetObjectItem(it, "result")->valuestring, results[i]);
        assert_int_equal(cJSON_GetObjectItem(it, "pid")->valueint, pids[i]);
    }
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 1), "display")->valuestring,
                        "pytest -x tests/");
    assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "durationMs")->valuedouble,
                     900);
    cJSON_Delete(doc);
    /* --json escapes the ESC of the hostile command line */
    assert_null(strchr(e->out, '\033'));
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "--state", "failed", NULL), 0);
    assert_non_null(strstr(e->out, "pytest -x tests/"));
    assert_non_null(strstr(e->out, "signal: killed"));
    assert_null(strstr(e->out, "pip install"));
    assert_null(strstr(e->out, "train.py"));
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", NULL), 0);
    assert_non_null(strstr(e->out, "train.py --epochs 3"));
    assert_null(strchr(e->out, '\033')); /* the table is sanitized */
    /* one command: no output kept by the cloud; exit status of the newest pid 12 (killed) */
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "12", NULL), 137);
    assert_non_null(strstr(e->err, "keeps no command output"));
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "40", NULL), 1);
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "555", NULL), 3);
    /* a server without v1: v2 entries, results unknown */
    assert_int_equal(run(e, GOOD_KEY, "commands", "iv2only", "--json", NULL), 0);
    assert_non_null(strstr(e->sh->log, "GET /v2/sandboxes/iv2only/logs?direction=forward"));
    assert_non_null(strstr(e->err, "exit codes are unknown"));
    doc = cJSON_Parse(e->out);
    assert_int_equal(cJSON_GetArraySize(doc), 5);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "result")->valuestring,
                        "ended");
    cJSON_Delete(doc);
    assert_int_equal(run(e, GOOD_KEY, "commands", "icloud", "--state", "done", NULL), 2);
}

/* Errors in words on stderr with the raw text as a detail line under them (curl's text, the
 * server's body), sanitized and without the key; the exit codes stay those of the kind. */
static void test_error_detail(void **state)
{
    struct env *e = *state;
    e->url = "http://127.0.0.1:1";
    int rc = run(e, GOOD_KEY, "ls", NULL);
    e->url = NULL;
    assert_int_equal(rc, 1);
    assert_non_null(strstr(e->err, "boxtop: nothing answers at http://127.0.0.1:1"));
    assert_non_null(strstr(e->err, "is the server running"));
    const char *d = strstr(e->err, "\n  detail: curl 7: ");
    assert_non_null(d);
    assert_non_null(strstr(d, "Connection refused"));
    no_secrets(e);

    assert_int_equal(run(e, GOOD_KEY, "info", "iboom", NULL), 1);
    assert_non_null(strstr(e->err, "boxtop: server error (HTTP 500): placement failed: "));
    assert_non_null(strstr(e->err, "\n  detail: HTTP 500: {\"code\":500"));
    assert_non_null(strstr(e->err, "e2b_\xe2\x80\xa6" /* … */ "1111")); /* masked */
    assert_null(strchr(e->err, 0x1b));
    assert_null(strchr(e->err, 0x07));
    no_secrets(e);

    assert_int_equal(run(e, GOOD_KEY, "info", "igarbage", NULL), 1);
    assert_non_null(strstr(e->err, "boxtop: unexpected response from"));
    assert_non_null(strstr(e->err, "\n  detail: HTTP 200: <<not json"));
    assert_null(strchr(e->err, 0x1b));
    no_secrets(e);
}

static void test_usage_and_no_backend(void **state)
{
    struct env *e = *state;
    assert_int_equal(run(e, GOOD_KEY, "ls", "--state", "bogus", NULL), 2);
    assert_int_equal(run(e, GOOD_KEY, "frobnicate", NULL), 2);
    assert_int_equal(run(e, GOOD_KEY, "ls", "--help", NULL), 0);
    assert_non_null(strstr(e->out, "Usage: boxtop ls"));
    assert_int_equal(run(e, NULL, "--no-start", "ls", NULL), 4);
    assert_non_null(strstr(e->err, "no backend"));
    assert_int_equal(run(e, NULL, "version", NULL), 0);
    assert_true(!strncmp(e->out, "boxtop ", 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ls_table),
        cmocka_unit_test(test_ls_json),
        cmocka_unit_test(test_ls_endless_paging),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_auth_error),
        cmocka_unit_test(test_lifecycle),
        cmocka_unit_test(test_create_falls_back_to_v1),
        cmocka_unit_test(test_metrics_and_logs),
        cmocka_unit_test(test_commands_cloud),
        cmocka_unit_test(test_error_detail),
        cmocka_unit_test(test_usage_and_no_backend),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
