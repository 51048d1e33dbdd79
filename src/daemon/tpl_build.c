/* tpl_build.c - a template build's steps in a build sandbox (see tpl_build.h). */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cJSON.h>
#include <openssl/sha.h>

#include "boxtop/buf.h"
#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "daemon.h"
#include "fsutil.h"
#include "ids.h"
#include "runtime/runtime.h"
#include "server.h"
#include "tpl.h"
#include "tpl_build.h"
#include "tpl_tar.h"

#define EXIT_GRACE_MS  1500 /* output pipes a background child keeps open */
#define READY_EVERY_MS 2000
#define LINE_MAX_SHOWN 4000

enum phase { PH_STEP, PH_START, PH_READY };

struct job {
    struct daemon *d;
    struct tpl *t;
    struct tpl_build *b;
    struct job *next;
    cJSON *steps;
    char *start_cmd, *ready_cmd;
    size_t step, n_steps;
    bool force; /* forced from here on */
    struct rt_sandbox *sb;
    char sbid[40];
    char key[65];
    char *user, *workdir;
    cJSON *env;
    /* the running process */
    pid_t pid;
    int out_fd, err_fd;
    struct server_fd *wo, *we;
    bool running, exited;
    int code, signo;
    struct buf lo, le;
    char label[32]; /* "[builder 2/5]" */
    char stepname[24];
    char *what; /* the command as shown in errors */
    enum phase phase;
    struct server_timer *limit, *tick;
    int64_t started_ms, ready_deadline;
    bool begun; /* the sandbox part runs after the 202 went out */
    char *from_img, *from_tpl;
    bool stacked;        /* the layer will be the build's changes only (rt_layer_take) */
    char *parents;       /* keys under it (tpl_build.parents) */
    char *lowers;        /* the build sandbox's rt_spec.lowers */
    char seed_dir[4200]; /* else the copy it starts from, "" for none */
    uint32_t seed_idbase;
    struct layer_copy *copying; /* the layer being copied off the loop, or NULL */
};

/* A build's layer copied by a child (not stacked): outlives a job freed meanwhile. */
struct layer_copy {
    struct daemon *d;
    struct job *j; /* NULL once the job is gone */
    char part[4300], dir[4200];
    uint32_t idbase;
};

static void job_begin(struct job *j, bool boot);
static void build_sandbox(struct job *j, const char *seed);
static int parent_copy_start(struct job *j, struct error *err);

static void job_next(struct job *j);
static void job_fail(struct job *j, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A layer tree (maybe large) renamed into the runtime's graveyard and deleted by a child: the
 * loop never walks it; without a runtime (or when the rename fails) it goes right here. */
static void remove_later(struct daemon *d, const char *path)
{
    fs_remove_now_or_later(d->rt, path, NULL);
}

static struct job **jobs_head(struct daemon *d)
{
    return (struct job **)&d->tpl_jobs;
}

/* ------------------------------------------------------------------ small helpers */

static void quote(struct buf *b, const char *s)
{
    buf_append_byte(b, '\'');
    for (; *s; s++)
        if (*s == '\'')
            buf_append_str(b, "'\\''");
        else
            buf_append_byte(b, (unsigned char)*s);
    buf_append_byte(b, '\'');
}

static const char *arg(const cJSON *step, int i)
{
    const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(step, "args"), i);
    return cJSON_IsString(a) ? a->valuestring : NULL;
}

static int n_args(const cJSON *step)
{
    return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(step, "args"));
}

static const char *type_of(const cJSON *step)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(step, "type");
    return cJSON_IsString(t) ? t->valuestring : "";
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = v ? strdup(v) : NULL;
}

/* $VAR and ${VAR} from the current environment (E2B evaluates with printf in the sandbox;
 * command substitution is escaped there, so expansion of variables is all it does). */
static char *expand(const cJSON *env, const char *v)
{
    struct buf b = BUF_INIT;
    for (const char *p = v; *p;) {
        if (*p == '$' && (p[1] == '{' || p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') ||
                          (p[1] >= 'a' && p[1] <= 'z'))) {
            bool brace = p[1] == '{';
            const char *s = p + 1 + brace, *e = s;
            while ((*e >= 'A' && *e <= 'Z') || (*e >= 'a' && *e <= 'z') ||
                   (*e >= '0' && *e <= '9') || *e == '_')
                e++;
            if (brace && *e != '}') {
                buf_append_byte(&b, (unsigned char)*p++);
                continue;
            }
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(e - s), s);
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(env, name);
            if (cJSON_IsString(x)) buf_append_str(&b, x->valuestring);
            p = e + brace;
            continue;
        }
        buf_append_byte(&b, (unsigned char)*p++);
    }
    char *r = buf_steal(&b);
    return r ? r : strdup("");
}

/* ------------------------------------------------------------------ cache key */

static void key_of(const char *parent, const cJSON *steps, const char *start, const char *ready,
                   char out[65])
{
    struct buf k = BUF_INIT;
    unsigned char h[SHA256_DIGEST_LENGTH];
    buf_printf(&k, "boxtopd-layer-1;%s", parent);
    const cJSON *s;
    cJSON_ArrayForEach(s, steps)
    {
        buf_printf(&k, ";%s", type_of(s));
        for (int i = 0; i < n_args(s); i++) {
            const char *a = arg(s, i);
            buf_append_byte(&k, ' ');
            if (a) buf_append(&k, a, strlen(a) + 1);
        }
        const cJSON *fh = cJSON_GetObjectItemCaseSensitive(s, "filesHash");
        if (cJSON_IsString(fh)) buf_append_str(&k, fh->valuestring);
    }
    buf_append_str(&k, ";start=");
    if (start) buf_append(&k, start, strlen(start) + 1);
    buf_append_str(&k, ";ready=");
    if (ready) buf_append(&k, ready, strlen(ready) + 1);
    SHA256((const unsigned char *)k.data, k.len, h);
    buf_free(&k);
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static struct tpl_build *cached_build(struct daemon *d, const char *key)
{
    char p[4200];
    struct stat st;
    tpl_layer_dir(d, key, p, sizeof p);
    if (stat(p, &st) < 0) return NULL;
    for (size_t i = 0; i < d->tpls->n; i++)
        for (size_t k = 0; k < d->tpls->v[i]->n_builds; k++) {
            struct tpl_build *b = d->tpls->v[i]->builds[k];
            if (b->status == TPL_READY && strcmp(b->layer, key) == 0) return b;
        }
    return NULL;
}

/* ------------------------------------------------------------------ job lifetime */

static void close_proc(struct job *j)
{
    if (j->wo) server_unwatch_fd(j->wo);
    if (j->we) server_unwatch_fd(j->we);
    j->wo = j->we = NULL;
    if (j->out_fd >= 0) close(j->out_fd);
    if (j->err_fd >= 0) close(j->err_fd);
    j->out_fd = j->err_fd = -1;
    j->running = false;
}

static void job_free(struct job *j)
{
    struct job **pp = jobs_head(j->d);
    while (*pp && *pp != j)
        pp = &(*pp)->next;
    if (*pp) *pp = j->next;
    close_proc(j);
    struct error err;
    if (j->sb && rt_sandbox_destroy(j->d->rt, j->sb, &err) < 0)
        log_msg(j->d->log, LOG_WARN, "build sandbox %s: %s", j->sbid, err.msg);
    server_timer_free(j->limit);
    server_timer_free(j->tick);
    cJSON_Delete(j->steps);
    cJSON_Delete(j->env);
    free(j->start_cmd);
    free(j->ready_cmd);
    free(j->user);
    free(j->workdir);
    free(j->what);
    free(j->from_img);
    free(j->from_tpl);
    free(j->parents);
    free(j->lowers);
    buf_free(&j->lo);
    buf_free(&j->le);
    if (j->b) j->b->job = NULL;
    if (j->copying) j->copying->j = NULL; /* its child was killed with the build sandbox */
    j->d->tpls->running--;
    free(j);
}

static void finish(struct job *j, enum tpl_status st)
{
    struct tpl_build *b = j->b;
    b->status = st;
    b->finished_ms = loop_wall_ms();
    int64_t took = (loop_now_ms() - j->started_ms + 500) / 1000;
    if (st == TPL_READY) {
        tpl_log_add(b, LOG_INFO, "", "Build finished, took %llds", (long long)took);
        tpl_tag_set(j->t, "default", b->id);
        j->t->updated_ms = b->finished_ms;
    }
    tpl_save(j->d, j->t);
    job_free(j);
}

static void job_fail(struct job *j, const char *step, const char *fmt, ...)
{
    struct buf m = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&m, fmt, ap);
    va_end(ap);
    struct tpl_build *b = j->b;
    free(b->reason);
    b->reason = buf_steal(&m);
    if (!b->reason) b->reason = strdup("build failed");
    snprintf(b->reason_step, sizeof b->reason_step, "%s", step ? step : "");
    tpl_log_add(b, LOG_ERROR, step, "Build failed: %s", b->reason);
    char p[4200];
    if (j->key[0]) { /* the partial layer is this build's alone */
        tpl_layer_dir(j->d, j->key, p, sizeof p);
        snprintf(p + strlen(p), sizeof p - strlen(p), ".part");
        remove_later(j->d, p);
    }
    b->layer[0] = '\0';
    free(b->parents);
    b->parents = NULL;
    b->stacked = false;
    finish(j, TPL_ERROR);
}

/* ------------------------------------------------------------------ processes */

static void log_line(struct job *j, const char *stream, const char *s, size_t n)
{
    if (n > LINE_MAX_SHOWN) n = LINE_MAX_SHOWN;
    const char *who = j->phase == PH_STEP ? j->label : j->phase == PH_START ? "[start]" : "[ready]";
    tpl_log_add(j->b, LOG_INFO, j->stepname, "%s [%s]: %.*s", who, stream, (int)n, s);
}

static void drain(struct job *j, struct buf *lb, const char *stream, bool eof)
{
    size_t start = 0;
    for (size_t i = 0; i < lb->len; i++)
        if (lb->data[i] == '\n') {
            log_line(j, stream, lb->data + start, i - start);
            start = i + 1;
        }
    buf_consume(lb, start);
    if ((eof && lb->len) || lb->len > 65536) {
        log_line(j, stream, lb->data, lb->len);
        buf_reset(lb);
    }
}

static void proc_done(struct job *j)
{
    if (!j->running || !j->exited || j->wo || j->we) return;
    drain(j, &j->lo, "stdout", true);
    drain(j, &j->le, "stderr", true);
    close_proc(j);
    server_timer_stop(j->tick);
    int code = j->signo ? 128 + j->signo : j->code;
    if (j->phase == PH_READY) {
        if (code == 0) {
            tpl_log_add(j->b, LOG_INFO, "finalize", "Template is ready");
            j->phase = PH_STEP;
            job_next(j);
        } else if (loop_now_ms() > j->ready_deadline) {
            job_fail(j, "finalize", "ready command failed: ready command timed out after %ds",
                     TPL_READY_TIMEOUT_MS / 1000);
        } else {
            server_timer_start(j->tick, READY_EVERY_MS);
        }
        return;
    }
    if (code != 0) {
        job_fail(j, j->stepname, "failed to run command '%s': exit status %d",
                 j->what ? j->what : "", code);
        return;
    }
    job_next(j);
}

static void on_fd(struct server_fd *w, int fd, int events, void *ud)
{
    struct job *j = ud;
    bool is_out = w == j->wo;
    struct buf *lb = is_out ? &j->lo : &j->le;
    char tmp[8192];
    bool eof = (events & SERVER_FD_CLOSED) != 0;
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n > 0) {
            buf_append(lb, tmp, (size_t)n);
            continue;
        }
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) eof = true;
        if (n < 0 && errno == EINTR) continue;
        break;
    }
    drain(j, lb, is_out ? "stdout" : "stderr", eof);
    if (!eof) return;
    if (!(events & SERVER_FD_CLOSED)) server_unwatch_fd(w);
    if (is_out) {
        j->wo = NULL;
        close(j->out_fd);
        j->out_fd = -1;
    } else {
        j->we = NULL;
        close(j->err_fd);
        j->err_fd = -1;
    }
    proc_done(j);
}

static void on_exit_cb(struct daemon *d, struct rt_sandbox *sb, pid_t pid, int code, int signo)
{
    for (struct job *j = *jobs_head(d); j; j = j->next)
        if (j->sb == sb && j->running && j->pid == pid) {
            j->exited = true;
            j->code = code;
            j->signo = signo;
            if (j->wo || j->we) server_timer_start(j->tick, EXIT_GRACE_MS);
            proc_done(j);
            return;
        }
}

/* Runs cmd through bash -l -c as user in the current workdir with the current env. */
static int run(struct job *j, const char *cmd, const char *user, const char *cwd, bool background,
               const char *what)
{
    uid_t uid;
    gid_t gid;
    const char *home = NULL;
    struct error err;
    const char *u = user && *user ? user : j->user;
    set_str(&j->what, what ? what : cmd);
    if (rt_user_ids(j->sb, u, &uid, &gid, &home) < 0) {
        job_fail(j, j->stepname,
                 "failed to run command '%s': command failed: unauthenticated: invalid username: "
                 "'%s'",
                 cmd, u);
        return -1;
    }
    struct buf full = BUF_INIT;
    if (background) buf_append_str(&full, "exec </dev/null >/dev/null 2>&1; ");
    buf_append_str(&full, cmd);
    const char *argv[] = {"/bin/bash", "-l", "-c", buf_cstr(&full), NULL};
    size_t n = 0;
    const char **envp = calloc((size_t)cJSON_GetArraySize(j->env) + 8, sizeof *envp);
    char **owned = calloc((size_t)cJSON_GetArraySize(j->env) + 8, sizeof *owned);
    if (!envp || !owned) {
        free(envp);
        free(owned);
        buf_free(&full);
        job_fail(j, j->stepname, "out of memory");
        return -1;
    }
    char *tmp;
    owned[n] = (asprintf(&tmp, "HOME=%s", home ? home : "/") > 0) ? tmp : NULL;
    envp[n] = owned[n];
    n++;
    owned[n] = (asprintf(&tmp, "USER=%s", u) > 0) ? tmp : NULL;
    envp[n] = owned[n];
    n++;
    envp[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    envp[n++] = "E2B_SANDBOX=true";
    const cJSON *e;
    cJSON_ArrayForEach(e, j->env)
    {
        if (!cJSON_IsString(e) || !e->string) continue;
        owned[n] = (asprintf(&tmp, "%s=%s", e->string, e->valuestring) > 0) ? tmp : NULL;
        envp[n] = owned[n];
        if (envp[n]) n++;
    }
    envp[n] = NULL;
    struct rt_spawn sp = {.argv = argv, .envp = envp, .cwd = cwd, .user = u};
    struct rt_proc pr;
    int rc = rt_spawn(j->d->rt, j->sb, &sp, &pr, &err);
    for (size_t i = 0; i < n; i++)
        free(owned[i]);
    free(owned);
    free(envp);
    buf_free(&full);
    if (rc < 0) {
        if (err.kind == ERROR_USAGE && strstr(err.msg, "user"))
            job_fail(j, j->stepname,
                     "failed to run command '%s': command failed: unauthenticated: invalid "
                     "username: '%s'",
                     cmd, u);
        else
            job_fail(j, j->stepname, "failed to run command '%s': %s", cmd, err.msg);
        return -1;
    }
    if (pr.stdin_fd >= 0) close(pr.stdin_fd);
    if (pr.pty_fd >= 0) close(pr.pty_fd);
    j->pid = pr.pid;
    j->running = true;
    j->exited = false;
    j->out_fd = pr.stdout_fd;
    j->err_fd = pr.stderr_fd;
    if (background) { /* the start command: not waited for */
        close(j->out_fd);
        close(j->err_fd);
        j->out_fd = j->err_fd = -1;
        j->running = false;
        return 0;
    }
    j->wo = j->out_fd >= 0 ? server_watch_fd(j->d->srv, j->out_fd, on_fd, j) : NULL;
    j->we = j->err_fd >= 0 ? server_watch_fd(j->d->srv, j->err_fd, on_fd, j) : NULL;
    return 0;
}

static void on_tick(struct server_timer *t, void *ud)
{
    (void)t;
    struct job *j = ud;
    if (j->running && j->exited) { /* a background child kept the pipes: done anyway */
        if (j->wo) server_unwatch_fd(j->wo);
        if (j->we) server_unwatch_fd(j->we);
        j->wo = j->we = NULL;
        proc_done(j);
        return;
    }
    if (!j->begun) {
        j->begun = true;
        job_begin(j, true);
        return;
    }
    if (j->phase == PH_READY && !j->running) run(j, j->ready_cmd, NULL, j->workdir, false, NULL);
}

static void on_limit(struct server_timer *t, void *ud)
{
    (void)t;
    job_fail(ud, "", "build timed out");
}

/* ------------------------------------------------------------------ steps */

/* Hands the checked archive to the sandbox as /tmp/<name>, owned by the sandbox's root. */
static int put_archive(struct job *j, const struct buf *tar, const char *name, struct error *err)
{
    int root = rt_root_fd(j->sb);
    char path[128];
    snprintf(path, sizeof path, "/tmp/%s", name);
    struct open_how how = {.flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                           .mode = 0600,
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    int fd = root < 0 ? -1 : (int)syscall(SYS_openat2, root, path, &how, sizeof how);
    if (fd < 0) return error_set(err, ERROR_GENERIC, "cannot write into the build sandbox's /tmp");
    uid_t uid;
    gid_t gid;
    const char *home;
    if (rt_user_ids(j->sb, "root", &uid, &gid, &home) == 0 && fchown(fd, uid, gid) < 0) {
        close(fd);
        return error_set(err, ERROR_GENERIC, "cannot hand the archive to the build sandbox");
    }
    size_t off = 0;
    while (off < tar->len) {
        ssize_t w = write(fd, tar->data + off, tar->len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            close(fd);
            return error_set(err, ERROR_GENERIC, "writing the archive: %s", strerror(errno));
        }
        off += (size_t)w;
    }
    close(fd);
    return 0;
}

static bool hash_ok(const char *h)
{
    if (!h || strlen(h) != 64) return false;
    for (const char *p = h; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

/* src without "./", up to the first component with a glob character. */
static void src_prefix(const char *src, char *out, size_t n)
{
    while (src[0] == '.' && src[1] == '/')
        src += 2;
    size_t k = 0, comp = 0;
    for (size_t i = 0; src[i] && k + 1 < n; i++) {
        if (src[i] == '*' || src[i] == '?' || src[i] == '[' || src[i] == '{') {
            k = comp;
            break;
        }
        if (src[i] == '/') comp = k;
        out[k++] = src[i];
    }
    out[k] = '\0';
    while (k > 0 && out[k - 1] == '/')
        out[--k] = '\0';
}

static void step_copy(struct job *j, const cJSON *s)
{
    const char *src = arg(s, 0), *dest = arg(s, 1), *owner = arg(s, 2), *mode = arg(s, 3);
    const cJSON *fh = cJSON_GetObjectItemCaseSensitive(s, "filesHash");
    const char *hash = cJSON_IsString(fh) ? fh->valuestring : NULL;
    struct error err;
    if (!src || !dest || !hash_ok(hash)) {
        job_fail(j, j->stepname, "COPY needs a source, a destination and a files hash");
        return;
    }
    if (src[0] == '/' || strstr(src, "..")) {
        job_fail(j, j->stepname, "COPY source '%s' is outside the build context", src);
        return;
    }
    if (mode && *mode && strspn(mode, "01234567") != strlen(mode)) {
        job_fail(j, j->stepname, "COPY mode '%s' is not octal", mode);
        return;
    }
    char p[4200];
    snprintf(p, sizeof p, "%s/templates/files/%s.tar", j->d->opt.state_dir, hash);
    struct buf raw = BUF_INIT, tar = BUF_INIT;
    if (fs_read_file(p, &raw, TPL_TAR_MAX_BYTES, &err) < 0) {
        buf_free(&raw);
        job_fail(j, j->stepname, "files for COPY %s were not uploaded (hash %.12s…)", src, hash);
        return;
    }
    int rc = tpl_tar_check(raw.data, raw.len, &tar, &err);
    buf_free(&raw);
    char name[64];
    char rnd[17];
    ids_random_hex(rnd, 8);
    snprintf(name, sizeof name, ".boxtop-copy-%s.tar", rnd);
    if (rc == 0) rc = put_archive(j, &tar, name, &err);
    buf_free(&tar);
    if (rc < 0) {
        job_fail(j, j->stepname, "COPY %s: %s", src, err.msg);
        return;
    }
    char pre[1024];
    src_prefix(src, pre, sizeof pre);
    char own[200];
    snprintf(own, sizeof own, "%s", owner && *owner ? owner : j->user);
    if (!strchr(own, ':')) snprintf(own + strlen(own), sizeof own - strlen(own), ":");
    struct buf sh = BUF_INIT;
    buf_printf(&sh,
               "set -e; a=/tmp/%s; u=/tmp/%s.d; mkdir -p \"$u\"; "
               "tar -xf \"$a\" -C \"$u\" --no-same-owner --no-same-permissions "
               "--delay-directory-restore 2>&1 || "
               "{ rm -rf \"$a\" \"$u\"; exit 1; }; rm -f \"$a\"; s=\"$u\"/",
               name, name);
    quote(&sh, pre[0] ? pre : ".");
    buf_append_str(&sh, "; d=");
    quote(&sh, dest);
    buf_append_str(&sh, "; o=");
    quote(&sh, own);
    buf_append_str(&sh, "; m=");
    quote(&sh, mode ? mode : "");
    buf_append_str(
        &sh,
        "; case \"$d\" in /*) ;; *) d=\"$PWD/$d\";; esac; "
        "if [ ! -e \"$s\" ] && [ ! -L \"$s\" ]; then echo \"COPY: no such source in the upload\" "
        ">&2; "
        "rm -rf \"$u\"; exit 1; fi; "
        "if [ -d \"$s\" ] && [ ! -L \"$s\" ]; then mkdir -p \"$d\"; chown \"$o\" \"$d\"; "
        "cp -a \"$s\"/. \"$d\"/; "
        "(cd \"$s\" && find . -mindepth 1 -print0) | (cd \"$d\" && xargs -0 -r chown -h \"$o\"); "
        "[ -z \"$m\" ] || (cd \"$s\" && find . -mindepth 1 ! -type l -print0) | "
        "(cd \"$d\" && xargs -0 -r chmod \"$m\"); "
        "else case \"$d\" in */) mkdir -p \"$d\"; d=\"$d$(basename \"$s\")\";; esac; "
        "mkdir -p \"$(dirname \"$d\")\"; cp -a \"$s\" \"$d\"; chown -h \"$o\" \"$d\"; "
        "[ -z \"$m\" ] || [ -L \"$d\" ] || chmod \"$m\" \"$d\"; fi; rm -rf \"$u\"");
    run(j, buf_cstr(&sh), "root", j->workdir, false, src);
    buf_free(&sh);
}

static void step_env(struct job *j, const cJSON *s)
{
    int n = n_args(s);
    if (n == 0 || n % 2) {
        job_fail(j, j->stepname, "ENV needs key and value pairs");
        return;
    }
    for (int i = 0; i + 1 < n; i += 2) {
        const char *k = arg(s, i), *v = arg(s, i + 1);
        if (!k || !*k || !v || strchr(k, '=')) {
            job_fail(j, j->stepname, "ENV: invalid variable name");
            return;
        }
        char *x = expand(j->env, v);
        cJSON_DeleteItemFromObjectCaseSensitive(j->env, k);
        cJSON_AddStringToObject(j->env, k, x ? x : "");
        free(x);
    }
    job_next(j);
}

static void step_workdir(struct job *j, const cJSON *s)
{
    const char *w = arg(s, 0);
    if (!w || !*w) {
        job_fail(j, j->stepname, "WORKDIR needs a path");
        return;
    }
    struct buf path = BUF_INIT;
    if (w[0] != '/') buf_printf(&path, "%s/", j->workdir ? j->workdir : "");
    buf_append_str(&path, w);
    set_str(&j->workdir, buf_cstr(&path));
    buf_free(&path);
    struct buf sh = BUF_INIT;
    buf_append_str(&sh, "w=");
    quote(&sh, j->workdir);
    buf_append_str(&sh, "; o=");
    quote(&sh, j->user);
    buf_append_str(&sh, "; [ -d \"$w\" ] || { mkdir -p \"$w\" && chown \"$o:\" \"$w\"; }");
    run(j, buf_cstr(&sh), "root", NULL, false, w);
    buf_free(&sh);
}

static void step_user(struct job *j, const cJSON *s)
{
    const char *u = arg(s, 0), *sudo = arg(s, 1);
    if (!u || !*u || strspn(u, "abcdefghijklmnopqrstuvwxyz0123456789_-.") != strlen(u)) {
        job_fail(j, j->stepname, "USER: invalid user name '%s'", u ? u : "");
        return;
    }
    set_str(&j->user, u);
    struct buf sh = BUF_INIT;
    buf_append_str(&sh, "u=");
    quote(&sh, u);
    buf_append_str(&sh, "; id -u \"$u\" >/dev/null 2>&1 || useradd --create-home --shell "
                        "/bin/bash \"$u\"");
    if (sudo && strcmp(sudo, "true") == 0)
        buf_append_str(&sh, "; (getent group sudo >/dev/null && usermod -aG sudo \"$u\"); "
                            "mkdir -p /etc/sudoers.d && echo \"$u ALL=(ALL:ALL) NOPASSWD: ALL\" "
                            "> /etc/sudoers.d/e2b-\"$u\" && chmod 0440 /etc/sudoers.d/e2b-\"$u\"");
    run(j, buf_cstr(&sh), "root", NULL, false, u);
    buf_free(&sh);
}

static void step_log(struct job *j, const cJSON *s, bool cached)
{
    struct buf a = BUF_INIT;
    for (int i = 0; i < n_args(s); i++) {
        const char *x = arg(s, i);
        if (x && *x) buf_printf(&a, "%s%s", a.len ? " " : "", x);
    }
    tpl_log_add(j->b, LOG_INFO, j->stepname, "%s%s %s %s", cached ? "CACHED " : "", j->label,
                type_of(s), buf_cstr(&a));
    buf_free(&a);
}

static void layer_saved(struct job *j, const char *dir, const char *part, uint32_t idbase,
                        int64_t bytes);

/* The layer is copied into part (layer_copy_start): in place now. */
static void layer_copied(void *ud, int64_t bytes, const struct error *cerr)
{
    struct layer_copy *c = ud;
    struct job *j = c->j;
    if (j) j->copying = NULL;
    if (j && cerr)
        job_fail(j, "optimize", "saving the template's layer: %s", cerr->msg);
    else if (j)
        layer_saved(j, c->dir, c->part, c->idbase, bytes);
    free(c);
}

/* Not stacked: the build sandbox's files are copied into part by a child, so that a layer of
 * gigabytes never holds the loop; layer_copied goes on. -1 (err) when it cannot start. */
static int layer_copy_start(struct job *j, const char *dir, const char *part, struct error *err)
{
    struct layer_copy *c = calloc(1, sizeof *c);
    if (!c) return error_set(err, ERROR_GENERIC, "out of memory");
    c->d = j->d;
    c->j = j;
    snprintf(c->part, sizeof c->part, "%s", part);
    snprintf(c->dir, sizeof c->dir, "%s", dir);
    const char *dirs[1] = {part};
    if (rt_sandbox_copy_start(j->d->rt, j->sb, dirs, 1, &c->idbase, layer_copied, c, err) < 0) {
        free(c);
        return -1;
    }
    j->copying = c;
    return 0;
}

/* The build's result as a layer: moved out of the build sandbox (stacked; 0) or copied off
 * the loop (1: layer_copied goes on). */
static int save_layer(struct job *j, const char *dir, const char *part, uint32_t *idbase,
                      int64_t *bytes, struct error *err)
{
    if (rt_sandbox_stop(j->d->rt, j->sb, err) < 0) return -1;
    if (!j->stacked) return layer_copy_start(j, dir, part, err) < 0 ? -1 : 1;
    char up[4400];
    snprintf(up, sizeof up, "%s/upper", part);
    if (mkdir(part, 0700) < 0) return error_set(err, ERROR_GENERIC, "%s", strerror(errno));
    *idbase = 0;
    return rt_layer_take(j->d->rt, j->sb, up, bytes, err);
}

static void export_layer(struct job *j)
{
    struct error err;
    char dir[4200], part[4300];
    struct stat st;
    tpl_layer_dir(j->d, j->key, dir, sizeof dir);
    if (j->stacked && j->force && stat(dir, &st) == 0) {
        /* a forced rebuild: sandboxes may stack on the old layer; this one gets its own key */
        char salted[200];
        snprintf(salted, sizeof salted, "%s;%s", j->key, j->b->id);
        unsigned char h[SHA256_DIGEST_LENGTH];
        SHA256((const unsigned char *)salted, strlen(salted), h);
        for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
            snprintf(j->key + 2 * i, 3, "%02x", h[i]);
        tpl_layer_dir(j->d, j->key, dir, sizeof dir);
    }
    snprintf(part, sizeof part, "%s.part", dir);
    remove_later(j->d, part);
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    int mk = fs_mkdir_p(dir, 0700, &err);
    *slash = '/';
    if (mk < 0) {
        job_fail(j, "optimize", "saving the template's layer: %s", err.msg);
        return;
    }
    uint32_t idbase = 0;
    int64_t bytes = 0;
    int rc = save_layer(j, dir, part, &idbase, &bytes, &err);
    if (rc < 0) {
        job_fail(j, "optimize", "saving the template's layer: %s", err.msg);
        return;
    }
    if (rc == 0) layer_saved(j, dir, part, idbase, bytes);
}

/* The layer is in part: renamed into place, the build is ready. */
static void layer_saved(struct job *j, const char *dir, const char *part, uint32_t idbase,
                        int64_t bytes)
{
    struct stat st;
    if (j->stacked && stat(dir, &st) == 0) {
        remove_later(j->d, part); /* the same layer exists (sandboxes may use it): keep that one */
    } else {
        remove_later(j->d, dir);
        if (rename(part, dir) < 0) {
            job_fail(j, "optimize", "saving the template's layer: %s", strerror(errno));
            return;
        }
    }
    struct tpl_build *b = j->b;
    snprintf(b->layer, sizeof b->layer, "%s", j->key);
    b->idbase = idbase;
    b->bytes = bytes;
    b->stacked = j->stacked;
    set_str(&b->parents, j->parents);
    set_str(&b->user, j->user);
    set_str(&b->workdir, j->workdir);
    set_str(&b->start_cmd, j->start_cmd);
    set_str(&b->ready_cmd, j->ready_cmd);
    cJSON_Delete(b->envs);
    b->envs = cJSON_Duplicate(j->env, true);
    finish(j, TPL_READY);
}

static void job_next(struct job *j)
{
    if (j->step < j->n_steps) {
        const cJSON *s = cJSON_GetArrayItem(j->steps, (int)j->step++);
        const char *ty = type_of(s);
        snprintf(j->stepname, sizeof j->stepname, "%zu", j->step);
        snprintf(j->label, sizeof j->label, "[builder %zu/%zu]", j->step, j->n_steps);
        step_log(j, s, false);
        j->b->updated_ms = loop_wall_ms();
        if (!strcmp(ty, "RUN")) {
            const char *cmd = arg(s, 0);
            if (!cmd) {
                job_fail(j, j->stepname, "RUN needs a command");
                return;
            }
            run(j, cmd, arg(s, 1), j->workdir, false, NULL);
        } else if (!strcmp(ty, "COPY") || !strcmp(ty, "ADD")) {
            step_copy(j, s);
        } else if (!strcmp(ty, "ENV") || !strcmp(ty, "ARG")) {
            step_env(j, s);
        } else if (!strcmp(ty, "WORKDIR")) {
            step_workdir(j, s);
        } else if (!strcmp(ty, "USER")) {
            step_user(j, s);
        } else {
            job_fail(j, j->stepname, "command type %.32s is not implemented", ty);
        }
        return;
    }
    if (j->phase == PH_STEP && j->start_cmd && j->start_cmd[0] && j->step == j->n_steps) {
        j->step++; /* past the steps: finalize once */
        snprintf(j->stepname, sizeof j->stepname, "finalize");
        tpl_log_add(j->b, LOG_INFO, "finalize", "Running start command: %s", j->start_cmd);
        j->phase = PH_START;
        if (run(j, j->start_cmd, NULL, j->workdir, true, NULL) < 0) return;
        j->phase = PH_STEP;
    }
    if (j->ready_cmd && j->ready_cmd[0] && j->phase == PH_STEP && j->ready_deadline == 0) {
        snprintf(j->stepname, sizeof j->stepname, "finalize");
        tpl_log_add(j->b, LOG_INFO, "finalize", "Waiting for template to be ready: %s",
                    j->ready_cmd);
        j->phase = PH_READY;
        j->ready_deadline = loop_now_ms() + TPL_READY_TIMEOUT_MS;
        run(j, j->ready_cmd, NULL, j->workdir, false, NULL);
        return;
    }
    export_layer(j);
}

/* ------------------------------------------------------------------ start */

static bool base_image(const char *img)
{
    return !strcmp(img, "e2bdev/base") || !strcmp(img, "e2bdev/base:latest");
}

int tpl_build_start(struct daemon *d, struct tpl *t, struct tpl_build *b, const cJSON *body,
                    struct error *err)
{
    if (!d->tpl_proc_exited) d->tpl_proc_exited = on_exit_cb;
    const char *img = json_str(body, "fromImage"), *from = json_str(body, "fromTemplate");
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(body, "steps");
    if (steps && !cJSON_IsArray(steps))
        return error_set(err, ERROR_USAGE, "steps must be an array");
    if (cJSON_GetArraySize(steps) > 10000)
        return error_set(err, ERROR_USAGE, "too many steps (at most 10000)");
    const cJSON *s;
    cJSON_ArrayForEach(s, steps)
    {
        if (!cJSON_IsObject(s) || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(s, "args")))
            return error_set(err, ERROR_USAGE, "every step needs a type and args");
        const cJSON *a;
        cJSON_ArrayForEach(
            a,
            cJSON_GetObjectItemCaseSensitive(
                s, "args")) if (!cJSON_IsString(a)) return error_set(err, ERROR_USAGE,
                                                                     "step args must be strings");
    }
    if ((img != NULL) == (from != NULL))
        return error_set(err, ERROR_GENERIC,
                         "Error when starting template build: exactly one of fromImage and "
                         "fromTemplate must be set");
    if (d->tpls->running >= TPL_BUILDS_MAX)
        return error_set(err, ERROR_RATE_LIMIT,
                         "you have reached the maximum number of concurrent template builds "
                         "(%d). Please wait for a build to finish",
                         TPL_BUILDS_MAX);

    struct job *j = calloc(1, sizeof *j);
    if (!j) return error_set(err, ERROR_GENERIC, "out of memory");
    j->d = d;
    j->t = t;
    j->b = b;
    j->out_fd = j->err_fd = -1;
    j->steps = steps ? cJSON_Duplicate(steps, true) : cJSON_CreateArray();
    j->n_steps = (size_t)cJSON_GetArraySize(j->steps);
    j->env = cJSON_CreateObject();
    j->user = strdup("user");
    j->started_ms = loop_now_ms();
    j->limit = server_timer_new(d->srv, on_limit, j);
    j->tick = server_timer_new(d->srv, on_tick, j);
    j->next = *jobs_head(d);
    *jobs_head(d) = j;
    d->tpls->running++;
    b->job = j;
    b->status = TPL_BUILDING;
    b->updated_ms = loop_wall_ms();
    set_str(&j->start_cmd, json_str(body, "startCmd"));
    set_str(&j->ready_cmd, json_str(body, "readyCmd"));
    bool force = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(body, "force"));
    cJSON_ArrayForEach(s, j->steps) if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(s, "force")))
        force = true;
    j->force = force;
    tpl_log_add(b, LOG_INFO, "", "Building template %s/%s", t->id, b->id);
    if (!j->limit || !j->tick || !j->env || !j->steps || !j->user) {
        job_fail(j, "", "out of memory");
        return 0;
    }
    server_timer_start(j->limit, TPL_BUILD_TIMEOUT_MS);
    set_str(&j->from_img, img);
    set_str(&j->from_tpl, from);
    /* the parent and the cache now (an unchanged rebuild is ready before the 202), the build
     * sandbox after the handler answered */
    server_timer_start(j->tick, 0);
    job_begin(j, false);
    return 0;
}

/* The parent, the cache, the build sandbox, the first step. */
static void job_begin(struct job *j, bool boot)
{
    struct daemon *d = j->d;
    struct tpl_build *b = j->b;
    const char *img = j->from_img, *from = j->from_tpl;
    if (j->key[0]) goto boot; /* resolved and not cached (the first call) */
    j->stacked = rt_can_stack(d->rt);

    /* the parent: base, or a template built here */
    char parent[128];
    if (img) {
        if (!base_image(img)) {
            job_fail(j, "base",
                     "fromImage '%.200s': boxtopd has no local image store; use fromBaseImage() "
                     "or fromTemplate()",
                     img);
            return;
        }
        tpl_log_add(b, LOG_INFO, "base", "[base] FROM %s", img);
        snprintf(parent, sizeof parent, "image:e2bdev/base");
    } else {
        struct tpl_build *pb = NULL;
        struct tpl *pt = tpl_find(d, from, &pb);
        const char *name = strchr(from, '/') ? strchr(from, '/') + 1 : from;
        if (!strncmp(name, "base", 4) && (name[4] == '\0' || name[4] == ':')) {
            snprintf(parent, sizeof parent, "image:e2bdev/base");
        } else if (!pt || !pb || pb == b || !pb->layer[0]) {
            job_fail(j, "base", "template '%.100s' not found", from);
            return;
        } else {
            snprintf(parent, sizeof parent, "layer:%s", pb->layer);
            if (j->stacked && pb->stacked) { /* on the parent's layers: nothing copied */
                size_t depth = 1;
                for (const char *q = pb->parents ? pb->parents : ""; *q; q++)
                    depth += *q == '\n';
                if (depth >= TPL_CHAIN_MAX) {
                    job_fail(j, "base",
                             "template '%.100s' already stacks %zu layers; at most %d can be "
                             "stacked",
                             from, depth, TPL_CHAIN_MAX);
                    return;
                }
                struct buf pk = BUF_INIT;
                buf_printf(&pk, "%s\n%s", pb->layer, pb->parents ? pb->parents : "");
                j->parents = buf_steal(&pk);
                j->lowers = tpl_lowers(d, pb);
                set_str(&b->parents, j->parents); /* keeps them while it builds */
            } else { /* a layer that is a full copy (no stacking here, or an older build) */
                j->stacked = false;
                tpl_layer_dir(d, pb->layer, j->seed_dir, sizeof j->seed_dir);
                j->seed_idbase = pb->idbase;
            }
            set_str(&j->user, pb->user ? pb->user : "user");
            set_str(&j->workdir, pb->workdir);
            if (pb->envs) {
                cJSON_Delete(j->env);
                j->env = cJSON_Duplicate(pb->envs, true);
            }
            if (!j->start_cmd && !j->ready_cmd) {
                set_str(&j->start_cmd, pb->start_cmd);
                set_str(&j->ready_cmd, pb->ready_cmd);
            }
        }
        tpl_log_add(b, LOG_INFO, "base", "[base] FROM TEMPLATE %s", from);
    }
    key_of(parent, j->steps, j->start_cmd, j->ready_cmd, j->key);
    struct tpl_build *hit = j->force ? NULL : cached_build(d, j->key);
    if (hit) { /* nothing changed: the same layer */
        for (j->step = 0; j->step < j->n_steps; j->step++) {
            snprintf(j->stepname, sizeof j->stepname, "%zu", j->step + 1);
            snprintf(j->label, sizeof j->label, "[builder %zu/%zu]", j->step + 1, j->n_steps);
            step_log(j, cJSON_GetArrayItem(j->steps, (int)j->step), true);
        }
        snprintf(b->layer, sizeof b->layer, "%s", hit->layer);
        b->idbase = hit->idbase;
        b->bytes = hit->bytes;
        b->stacked = hit->stacked;
        set_str(&b->parents, hit->parents);
        set_str(&b->user, hit->user);
        set_str(&b->workdir, hit->workdir);
        set_str(&b->start_cmd, hit->start_cmd);
        set_str(&b->ready_cmd, hit->ready_cmd);
        cJSON_Delete(b->envs);
        b->envs = hit->envs ? cJSON_Duplicate(hit->envs, true) : NULL;
        finish(j, TPL_READY);
        return;
    }
boot:
    if (!boot) return; /* the build sandbox is made after the 202 went out */
    if (tpl_layers_bytes(d) > TPL_LAYERS_MAX_BYTES) {
        job_fail(j, "base", "template layers use more than %lld GiB; delete templates first",
                 TPL_LAYERS_MAX_BYTES >> 30);
        return;
    }
    if (j->seed_dir[0]) { /* a parent that is a whole copy: copied off the loop first */
        struct error e1;
        if (parent_copy_start(j, &e1) < 0)
            job_fail(j, "base", "cannot copy the parent template's files: %s", e1.msg);
        return;
    }
    build_sandbox(j, NULL);
}

/* The build sandbox (on seed, a private copy of the parent's layer, when not NULL), then the
 * first step. */
static void build_sandbox(struct job *j, const char *seed)
{
    struct tpl_build *b = j->b;
    char rnd[13];
    ids_random_hex(rnd, 6);
    snprintf(j->sbid, sizeof j->sbid, "tplb-%s", rnd);
    struct rt_spec spec = {.id = j->sbid,
                           .cpu_count = b->cpu > 0 ? b->cpu : 2,
                           .memory_mb = b->memory_mb > 0 ? b->memory_mb : 1024,
                           .seed_dir = seed,
                           .seed_idbase = j->seed_idbase,
                           .seed_move = seed != NULL,
                           .lowers = j->lowers};
    struct error e2;
    if (rt_sandbox_create(j->d->rt, &spec, &j->sb, &e2) < 0) {
        j->sb = NULL;
        job_fail(j, "base", "cannot start the build sandbox: %s", e2.msg);
        return;
    }
    job_next(j);
}

/* The parent's layer is in the seed c->part: the build sandbox takes it whole. */
static void parent_copied(void *ud, int64_t bytes, const struct error *cerr)
{
    (void)bytes;
    struct layer_copy *c = ud;
    struct job *j = c->j;
    if (j) j->copying = NULL;
    if (j && cerr)
        job_fail(j, "base", "copying the parent template's files: %s", cerr->msg);
    else if (j)
        build_sandbox(j, c->part);
    remove_later(c->d, c->part); /* empty once taken */
    free(c);
}

static int parent_copy_start(struct job *j, struct error *err)
{
    struct layer_copy *c = calloc(1, sizeof *c);
    if (!c) return error_set(err, ERROR_GENERIC, "out of memory");
    c->d = j->d;
    c->j = j;
    if (rt_seed_dir(j->d->rt, c->part, sizeof c->part, err) < 0) {
        free(c);
        return -1;
    }
    const char *dirs[1] = {c->part};
    if (rt_dir_copy_start(j->d->rt, j->seed_dir, j->seed_idbase, dirs, 1, parent_copied, c, err) <
        0) {
        remove_later(j->d, c->part);
        free(c);
        return -1;
    }
    j->copying = c;
    return 0;
}

void tpl_builds_stop(struct daemon *d)
{
    while (d->tpls && *jobs_head(d))
        job_fail(*jobs_head(d), "", "build was cancelled (boxtopd stopped)");
}

void tpl_builds_cleanup(struct daemon *d)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/templates/layers", d->opt.state_dir);
    DIR *dh = opendir(p);
    if (!dh) return;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && !strcmp(e->d_name + l - 5, ".part")) {
            char q[4400];
            snprintf(q, sizeof q, "%s/%s", p, e->d_name);
            remove_later(d, q); /* off the loop: a partial layer may be big */
        }
    }
    closedir(dh);
}
