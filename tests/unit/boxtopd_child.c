/* boxtopd_child.c - see boxtopd_child.h. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "boxtop/buf.h"
#include "boxtopd_child.h"

void slurp_file(const char *path, struct buf *out)
{
    int fd = open(path, O_RDONLY);
    char tmp[65536];
    ssize_t n;
    if (fd < 0) return;
    while ((n = read(fd, tmp, sizeof tmp)) > 0)
        buf_append(out, tmp, (size_t)n);
    close(fd);
}

int json_flat_str(const char *doc, const char *key, char *out, size_t n)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = strstr(doc, pat);
    if (!p) return -1;
    p += strlen(pat);
    const char *e = strchr(p, '"');
    if (!e || (size_t)(e - p) >= n) return -1;
    snprintf(out, n, "%.*s", (int)(e - p), p);
    return 0;
}

static void nap_ms(long ms)
{
    struct timespec ts = {0, ms * 1000 * 1000};
    nanosleep(&ts, NULL);
}

int boxtopd_child_start(struct boxtopd_child *c, const char *dir)
{
    const char *bd = getenv("abs_top_builddir");
    char prog[1024], state[512], json[600], keyfile[600], logp[600];
    memset(c, 0, sizeof(*c));
    snprintf(prog, sizeof prog, "%s/src/boxtopd", bd ? bd : ".");
    snprintf(state, sizeof state, "%s/state", dir);
    snprintf(json, sizeof json, "%s/boxtopd.json", state);
    snprintf(keyfile, sizeof keyfile, "%s/api-key", state);
    snprintf(logp, sizeof logp, "%s/boxtopd.log", dir);
    c->pid = fork();
    if (c->pid < 0) {
        c->pid = 0;
        return -1;
    }
    if (c->pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        int lg = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (devnull >= 0) dup2(devnull, 0);
        if (lg >= 0) {
            dup2(lg, 1);
            dup2(lg, 2);
        }
        execl(prog, prog, "--foreground", "--state-dir", state, "--api-listen", "127.0.0.1:0",
              "--envd-listen", "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    /* boxtopd writes boxtopd.json (atomically) once it listens */
    struct buf doc = BUF_INIT, key = BUF_INIT;
    time_t deadline = time(NULL) + 30;
    while (time(NULL) < deadline) {
        buf_reset(&doc);
        slurp_file(json, &doc);
        buf_append_str(&doc, "");
        if (json_flat_str(buf_cstr(&doc), "sandboxUrl", c->sandbox_url, sizeof c->sandbox_url) == 0)
            break;
        if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
            c->pid = 0;
            break;
        }
        nap_ms(20);
    }
    slurp_file(keyfile, &key);
    buf_append_str(&key, "");
    int rc = json_flat_str(buf_cstr(&doc), "apiUrl", c->api_url, sizeof c->api_url) == 0 &&
                     json_flat_str(buf_cstr(&doc), "sandboxUrl", c->sandbox_url,
                                   sizeof c->sandbox_url) == 0 &&
                     key.len > 4
                 ? 0
                 : -1;
    snprintf(c->api_key, sizeof c->api_key, "%.*s", (int)strcspn(buf_cstr(&key), "\n"),
             buf_cstr(&key));
    buf_free(&doc);
    buf_free(&key);
    if (rc < 0) {
        fprintf(stderr, "boxtopd did not start (see %s)\n", logp);
        boxtopd_child_stop(c);
    }
    return rc;
}

void boxtopd_child_stop(struct boxtopd_child *c)
{
    if (c->pid <= 0) return;
    int status;
    kill(c->pid, SIGTERM);
    time_t deadline = time(NULL) + 15;
    while (waitpid(c->pid, &status, WNOHANG) == 0) {
        if (time(NULL) > deadline) {
            kill(c->pid, SIGKILL);
            waitpid(c->pid, &status, 0);
            break;
        }
        nap_ms(20);
    }
    c->pid = 0;
}

int boxtopd_child_create_sandbox(const struct boxtopd_child *c, const char *dir, char *id,
                                 size_t idn, char *token, size_t tokn)
{
    char cmd[1024], outp[256];
    snprintf(outp, sizeof outp, "%s/create.json", dir);
    snprintf(cmd, sizeof cmd,
             "curl -s --max-time 60 -o '%s' -X POST -H 'X-API-Key: %s' -H 'Content-Type: "
             "application/json' -H 'Expect:' --data-binary '{\"templateID\":\"base\","
             "\"timeout\":600}' '%s/sandboxes'",
             outp, c->api_key, c->api_url);
    struct buf out = BUF_INIT;
    if (system(cmd) == 0) slurp_file(outp, &out);
    buf_append_str(&out, "");
    int rc = 0;
    if (json_flat_str(buf_cstr(&out), "sandboxID", id, idn) < 0) {
        fprintf(stderr, "sandbox create failed: %s\n", buf_cstr(&out));
        rc = -1;
    }
    if (json_flat_str(buf_cstr(&out), "envdAccessToken", token, tokn) < 0) token[0] = '\0';
    buf_free(&out);
    return rc;
}

int boxtopd_child_setup(struct boxtopd_child *c, char *dir, char *id, size_t idn, char *token,
                        size_t tokn)
{
    if (!mkdtemp(dir)) return -1;
    if (boxtopd_child_start(c, dir) < 0) return -1;
    return id ? boxtopd_child_create_sandbox(c, dir, id, idn, token, tokn) : 0;
}

void boxtopd_child_teardown(struct boxtopd_child *c, const char *dir)
{
    boxtopd_child_stop(c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}
