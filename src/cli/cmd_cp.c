/* cmd_cp.c - `boxtop cp SRC DST`, one side written ID:/path (see cp_args.h).
 *
 * Files and whole directories, both ways, streamed through envd's /files endpoint (never a
 * whole file in memory), one file at a time:
 *   download: Stat the source; a directory is listed with one ListDir of unbounded depth and
 *     rebuilt locally; each file is written to a temporary file next to its destination and
 *     renamed into place when complete, so a failed copy leaves no half file behind. Paths
 *     that come back from the sandbox are checked (cp_relpath_safe) before touching disk.
 *   upload: the local tree is walked; MakeDir per directory, POST /files per file.
 * Like cp -r, copying onto an existing directory puts the source inside it. Mode bits: kept on
 * download; on upload envd creates files 0666 & umask and has no chmod RPC, so differing modes
 * are applied afterwards with one `chmod` process per mode. Symbolic links are followed for
 * files; links to directories and special files are skipped with a warning. Progress goes to
 * stderr when it is a terminal. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boxtop/api.h"
#include "boxtop/cli.h"
#include "boxtop/config.h"
#include "boxtop/cp_args.h"
#include "boxtop/envd.h"
#include "boxtop/files.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/models.h"
#include "boxtop/sanitize.h"

#define CP_LIST_DEPTH  4096 /* "everything": envd walks depth-first */
#define CP_PROGRESS_MS 100
#define CP_CHMOD_BATCH 256

struct mode_fix {
    char *path;
    unsigned mode;
    bool created; /* download: this copy made the directory (removed again if left empty) */
};

struct cp {
    struct loop *loop;
    struct http *http;
    struct envd_client envd;
    bool tty;
    int64_t last_draw;
    const char *name; /* file being moved (for progress) */
    uint64_t total;
    uint64_t files;
    uint64_t bytes;
    int warnings;
    bool interrupted;
    struct mode_fix *fixes; /* upload: remote modes to apply; download: local dir modes */
    size_t nfixes, capfixes;
};

static void say(const char *fmt, const char *s, const char *s2)
{
    char *a = sanitize_dup(s ? s : "", 0), *b = sanitize_dup(s2 ? s2 : "", 0);
    fprintf(stderr, fmt, a ? a : "?", b ? b : "?");
    free(a);
    free(b);
}

static void warn(struct cp *cp, const char *what, const char *path)
{
    cp->warnings++;
    say(_("boxtop cp: warning: %s: %s\n"), path, what);
}

/* ---- progress ---- */

static void human(uint64_t n, char *out, size_t len)
{
    const char *u[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)n;
    int i = 0;
    while (v >= 1024 && i < 4) {
        v /= 1024;
        i++;
    }
    snprintf(out, len, i ? "%.1f %s" : "%.0f %s", v, u[i]);
}

static void draw(struct cp *cp, uint64_t done, bool final)
{
    if (!cp->tty) return;
    int64_t now = loop_now_ms();
    if (!final && now - cp->last_draw < CP_PROGRESS_MS) return;
    cp->last_draw = now;
    char a[32], b[32];
    human(done, a, sizeof a);
    human(cp->total, b, sizeof b);
    char *name = sanitize_dup(cp->name ? cp->name : "", 0);
    size_t n = name ? strlen(name) : 0;
    const char *shown = name ? name : "";
    if (n > 40) shown = name + n - 40; /* keep the tail: the file name */
    int pct = cp->total ? (int)(done * 100 / cp->total) : 100;
    if (pct > 100) pct = 100;
    fprintf(stderr, "\r\033[K%s%s  %s / %s  %3d%%%s", n > 40 ? "…" : "", shown, a, b, pct,
            final ? "\n" : "");
    free(name);
}

static void on_progress(uint64_t done, void *ud)
{
    draw(ud, done, false);
}

/* ---- synchronous helpers (command line: run the loop until the answer is in) ---- */

struct wait {
    bool done;
    bool failed;
    struct error err;
    cJSON *resp;
};

static void unary_cb(const cJSON *resp, const struct error *err, void *ud)
{
    struct wait *w = ud;
    w->done = true;
    if (err) {
        w->failed = true;
        w->err = *err;
    } else {
        w->resp = cJSON_Duplicate(resp, 1);
    }
}

static int wait_for(struct cp *cp, struct wait *w, bool started, struct error *err)
{
    if (!started) return -1; /* err already set by the call */
    while (!w->done && loop_run_once(cp->loop, 1000) >= 0)
        ;
    if (!w->done) return error_set(err, ERROR_GENERIC, "%s", _("event loop failed"));
    if (w->failed) {
        *err = w->err;
        return -1;
    }
    return 0;
}

static int remote_stat(struct cp *cp, const char *path, struct envd_entry *e, struct error *err)
{
    struct wait w = {0};
    int rc = wait_for(cp, &w, envd_fs_stat(&cp->envd, path, unary_cb, &w, err) != NULL, err);
    if (rc == 0) rc = envd_entry_response_parse(w.resp, e, err);
    cJSON_Delete(w.resp);
    return rc;
}

static int remote_mkdir(struct cp *cp, const char *path, struct error *err)
{
    struct wait w = {0};
    int rc = wait_for(cp, &w, envd_fs_make_dir(&cp->envd, path, unary_cb, &w, err) != NULL, err);
    cJSON_Delete(w.resp);
    if (rc < 0 && err->kind == ERROR_CONFLICT) { /* already_exists: fine */
        error_clear(err);
        rc = 0;
    }
    return rc;
}

static int remote_list(struct cp *cp, const char *path, struct envd_entries *out, struct error *err)
{
    struct wait w = {0};
    int rc = wait_for(
        cp, &w, envd_fs_list_dir(&cp->envd, path, CP_LIST_DEPTH, unary_cb, &w, err) != NULL, err);
    if (rc == 0) rc = envd_entries_parse(w.resp, out, err);
    cJSON_Delete(w.resp);
    return rc;
}

struct xfer_wait {
    bool done;
    bool failed;
    struct error err;
};

static void xfer_done(const struct error *err, void *ud)
{
    struct xfer_wait *w = ud;
    w->done = true;
    if (err) {
        w->failed = true;
        w->err = *err;
    }
}

static int xfer_wait(struct cp *cp, struct files_transfer *t, struct xfer_wait *w,
                     struct error *err)
{
    if (!t) return -1;
    while (!w->done && !cp->interrupted && loop_run_once(cp->loop, 1000) >= 0)
        ;
    if (!w->done) {
        files_cancel(t);
        return error_set(err, ERROR_GENERIC, "%s", _("interrupted"));
    }
    if (w->failed) {
        *err = w->err;
        return -1;
    }
    return 0;
}

static void on_signal(struct loop *l, int signo, void *ud)
{
    (void)l;
    (void)signo;
    struct cp *cp = ud;
    cp->interrupted = true;
}

static int fix_add(struct cp *cp, const char *path, unsigned mode)
{
    if (cp->nfixes == cp->capfixes) {
        size_t n = cp->capfixes ? cp->capfixes * 2 : 16;
        struct mode_fix *v = realloc(cp->fixes, n * sizeof *v);
        if (!v) return -1;
        cp->fixes = v;
        cp->capfixes = n;
    }
    char *p = strdup(path);
    if (!p) return -1;
    cp->fixes[cp->nfixes++] = (struct mode_fix){p, mode, false};
    return 0;
}

static char *join(const char *dir, const char *name)
{
    struct buf b = BUF_INIT;
    size_t n = strlen(dir);
    buf_append_str(&b, dir);
    if (n == 0 || dir[n - 1] != '/') buf_append_byte(&b, '/');
    buf_append_str(&b, name);
    return buf_steal(&b);
}

/* Last path component ("/a/b/" -> "b"); malloc'd. */
static char *base_name(const char *path)
{
    char *tmp = strdup(path);
    if (!tmp) return NULL;
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/')
        tmp[--n] = '\0';
    char *slash = strrchr(tmp, '/');
    char *out = strdup(slash && slash[1] ? slash + 1 : tmp);
    free(tmp);
    return out;
}

/* ---- download ---- */

static int download_file(struct cp *cp, const char *remote, const char *local, unsigned mode,
                         uint64_t size, struct error *err)
{
    struct buf tmpl = BUF_INIT;
    buf_printf(&tmpl, "%s.boxtop-XXXXXX", local);
    if (!tmpl.data) return error_set(err, ERROR_GENERIC, "out of memory");
    int fd = mkstemp(tmpl.data);
    if (fd < 0) {
        int e = errno;
        buf_free(&tmpl);
        char *clean = sanitize_dup(local, 0);
        error_set(err, e == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s", clean ? clean : "?",
                  strerror(e));
        free(clean);
        return -1;
    }
    cp->name = remote;
    cp->total = size;
    struct xfer_wait w = {0};
    struct files_transfer *t =
        files_download(&cp->envd, remote, fd, on_progress, xfer_done, &w, err);
    int rc = xfer_wait(cp, t, &w, err);
    if (rc < 0 && !cp->interrupted) { /* which file, in a tree copy */
        char *clean = sanitize_dup(remote, 0);
        error_prefix(err, "%s", clean ? clean : "?");
        free(clean);
    }
    if (rc == 0 && fchmod(fd, (mode_t)(mode ? (mode & 0777) : 0644)) < 0)
        rc = error_set(err, ERROR_GENERIC, "chmod: %s", strerror(errno));
    if (close(fd) < 0 && rc == 0) rc = error_set(err, ERROR_GENERIC, "close: %s", strerror(errno));
    if (rc == 0 && rename(tmpl.data, local) < 0) {
        int e = errno;
        char *clean = sanitize_dup(local, 0);
        rc = error_set(err, ERROR_GENERIC, "%s: %s", clean ? clean : "?", strerror(e));
        free(clean);
    }
    if (rc < 0) {
        unlink(tmpl.data);
        if (cp->tty) fputc('\n', stderr);
    } else {
        struct stat st;
        uint64_t got = stat(local, &st) == 0 ? (uint64_t)st.st_size : size;
        cp->total = got;
        draw(cp, got, true);
        cp->files++;
        cp->bytes += got;
    }
    buf_free(&tmpl);
    return rc;
}

static int local_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 when made, 0 when it was there already, -1 on error. */
static int make_local_dir(const char *path, struct error *err)
{
    /* Owner rwx until the copy is done; the real mode is applied at the end. */
    if (mkdir(path, 0700) == 0) return 1;
    if (errno == EEXIST && local_is_dir(path)) return 0;
    char *clean = sanitize_dup(path, 0);
    error_set(err, ERROR_GENERIC, "%s: %s", clean ? clean : "?", strerror(errno));
    free(clean);
    return -1;
}

/* Remember a directory of the download for its mode; made = make_local_dir()'s answer. */
static int dir_made(struct cp *cp, const char *path, unsigned mode, int made)
{
    if (made < 0 || fix_add(cp, path, mode) < 0) return -1;
    cp->fixes[cp->nfixes - 1].created = made == 1;
    return 0;
}

static int download(struct cp *cp, const char *src, const char *dst, struct error *err)
{
    struct envd_entry root;
    if (remote_stat(cp, src, &root, err) < 0) return -1;
    int rc = 0;
    char *target = NULL;
    if (local_is_dir(dst)) {
        /* The name comes from the sandbox's answer: "..", "." or a control character there
         * would put the copy outside dst. */
        char *b = base_name(root.path);
        if (b && !cp_relpath_safe(b)) {
            char *clean = sanitize_dup(root.path, 0);
            error_set(err, ERROR_PROTOCOL, _("%s: the sandbox path has no usable file name"),
                      clean ? clean : "?");
            free(clean);
            free(b);
            envd_entry_free(&root);
            return -1;
        }
        target = b ? join(dst, b) : NULL;
        free(b);
    } else {
        target = strdup(dst);
    }
    if (!target) {
        envd_entry_free(&root);
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    if (root.type != ENVD_FILE_DIRECTORY) {
        if (root.type != ENVD_FILE_FILE)
            rc = error_set(err, ERROR_GENERIC, "%s", _("not a regular file or directory"));
        else
            rc = download_file(cp, root.path, target, root.mode, (uint64_t)root.size, err);
        goto out;
    }
    struct envd_entries list = {0};
    if (dir_made(cp, target, root.mode ? root.mode : 0755, make_local_dir(target, err)) < 0 ||
        remote_list(cp, root.path, &list, err) < 0) {
        rc = -1;
        goto out;
    }
    size_t plen = strlen(root.path);
    for (size_t i = 0; i < list.n && rc == 0 && !cp->interrupted; i++) {
        const struct envd_entry *e = &list.v[i];
        /* Entry paths are built on the listed path; anything else is refused. */
        if (strncmp(e->path, root.path, plen) || e->path[plen] != '/' ||
            !cp_relpath_safe(e->path + plen + 1)) {
            warn(cp, _("unexpected path from the sandbox, skipped"), e->path);
            continue;
        }
        char *local = join(target, e->path + plen + 1);
        if (!local) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
            break;
        }
        if (e->type == ENVD_FILE_DIRECTORY && e->symlink_target) {
            warn(cp, _("symbolic link to a directory, skipped"), e->path);
        } else if (e->type == ENVD_FILE_DIRECTORY) {
            if (dir_made(cp, local, e->mode ? e->mode : 0755, make_local_dir(local, err)) < 0)
                rc = -1;
        } else if (e->type == ENVD_FILE_FILE) {
            rc = download_file(cp, e->path, local, e->mode, (uint64_t)e->size, err);
        } else {
            warn(cp, _("not a regular file or directory, skipped"), e->path);
        }
        free(local);
    }
    envd_entries_free(&list);
    /* Directory modes last (deepest first), so read-only directories could be filled. */
    for (size_t i = cp->nfixes; i-- > 0;)
        chmod(cp->fixes[i].path, (mode_t)(cp->fixes[i].mode & 0777));
out:
    if (cp->interrupted && rc == 0) rc = error_set(err, ERROR_GENERIC, "%s", _("interrupted"));
    /* a failed copy leaves no empty directories it made (rmdir keeps those with files) */
    for (size_t i = cp->nfixes; rc < 0 && i-- > 0;)
        if (cp->fixes[i].created) rmdir(cp->fixes[i].path);
    free(target);
    envd_entry_free(&root);
    return rc;
}

/* ---- upload ---- */

static int upload_file(struct cp *cp, const char *local, const char *remote, struct error *err)
{
    int fd = open(local, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        if (fd >= 0) close(fd);
        char *clean = sanitize_dup(local, 0);
        error_set(err, e == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s", clean ? clean : "?",
                  strerror(e));
        free(clean);
        return -1;
    }
    cp->name = remote;
    cp->total = (uint64_t)st.st_size;
    struct xfer_wait w = {0};
    struct files_transfer *t =
        files_upload(&cp->envd, remote, fd, S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1,
                     on_progress, xfer_done, &w, err);
    int rc = xfer_wait(cp, t, &w, err);
    close(fd);
    if (rc == 0) {
        draw(cp, cp->total, true);
        cp->files++;
        cp->bytes += cp->total;
        /* envd creates 0666 & umask (0644 usually); remember other modes for chmod. */
        if ((st.st_mode & 0777) != 0644 && fix_add(cp, remote, st.st_mode & 0777) < 0)
            rc = error_set(err, ERROR_GENERIC, "out of memory");
    } else if (cp->tty) {
        fputc('\n', stderr);
    }
    return rc;
}

static int upload_tree(struct cp *cp, const char *local, const char *remote, int depth,
                       struct error *err)
{
    if (depth > 256) return error_set(err, ERROR_GENERIC, "%s", _("directory tree too deep"));
    if (remote_mkdir(cp, remote, err) < 0) return -1;
    struct stat st;
    if (stat(local, &st) == 0 && (st.st_mode & 0777) != 0755)
        fix_add(cp, remote, st.st_mode & 0777);
    DIR *d = opendir(local);
    if (!d) {
        char *clean = sanitize_dup(local, 0);
        error_set(err, ERROR_GENERIC, "%s: %s", clean ? clean : "?", strerror(errno));
        free(clean);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && !cp->interrupted && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *lp = join(local, de->d_name), *rp = join(remote, de->d_name);
        struct stat ls, fs;
        if (!lp || !rp) {
            rc = error_set(err, ERROR_GENERIC, "out of memory");
        } else if (lstat(lp, &ls) < 0) {
            warn(cp, strerror(errno), lp);
        } else if (S_ISDIR(ls.st_mode)) {
            rc = upload_tree(cp, lp, rp, depth + 1, err);
        } else if (S_ISREG(ls.st_mode) ||
                   (S_ISLNK(ls.st_mode) && stat(lp, &fs) == 0 && S_ISREG(fs.st_mode))) {
            rc = upload_file(cp, lp, rp, err);
        } else {
            warn(cp, _("not a regular file or directory, skipped"), lp);
        }
        free(lp);
        free(rp);
    }
    closedir(d);
    return rc;
}

/* Apply remembered modes with `chmod MODE -- PATH...` in the sandbox, one run per mode. */
struct chmod_run {
    bool done;
    int status;
    struct error err;
    bool failed;
};

static int chmod_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct chmod_run *r = ud;
    if (ev->kind == ENVD_PROC_END) r->status = envd_proc_exit_status(ev);
    return 0;
}

static void chmod_end(const struct error *err, void *ud)
{
    struct chmod_run *r = ud;
    r->done = true;
    if (err) {
        r->failed = true;
        r->err = *err;
    }
}

static void apply_remote_modes(struct cp *cp)
{
    for (size_t i = 0; i < cp->nfixes; i++) {
        unsigned mode = cp->fixes[i].mode;
        if (!cp->fixes[i].path) continue;
        const char *argv[CP_CHMOD_BATCH + 4];
        char m[8];
        snprintf(m, sizeof m, "%o", mode);
        size_t n = 0;
        argv[n++] = m;
        argv[n++] = "--";
        for (size_t j = i; j < cp->nfixes && n < CP_CHMOD_BATCH + 2; j++) {
            if (cp->fixes[j].path && cp->fixes[j].mode == mode) {
                argv[n++] = cp->fixes[j].path;
                cp->fixes[j].path = NULL; /* ownership moves to the argv below */
            }
        }
        argv[n] = NULL;
        struct envd_start_opts o = {.cmd = "chmod", .args = argv, .stdin_mode = 0};
        struct chmod_run r = {0};
        struct error err;
        struct envd_stream *s = envd_process_start(&cp->envd, &o, chmod_event, chmod_end, &r, &err);
        if (s)
            while (!r.done && loop_run_once(cp->loop, 1000) >= 0)
                ;
        if (!s || r.failed || r.status != 0)
            warn(cp, _("could not set file modes in the sandbox"), argv[2]);
        for (size_t k = 2; k < n; k++)
            free((char *)argv[k]);
    }
}

static int upload(struct cp *cp, const char *src, const char *dst, struct error *err)
{
    struct stat st;
    if (stat(src, &st) < 0) {
        int e = errno;
        char *clean = sanitize_dup(src, 0);
        error_set(err, e == ENOENT ? ERROR_NOT_FOUND : ERROR_GENERIC, "%s: %s", clean ? clean : "?",
                  strerror(e));
        free(clean);
        return -1;
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        return error_set(err, ERROR_GENERIC, "%s", _("not a regular file or directory"));
    /* Onto an existing remote directory: put the source inside it. */
    struct envd_entry de;
    struct error serr;
    char *target = NULL;
    if (remote_stat(cp, dst, &de, &serr) == 0) {
        if (de.type == ENVD_FILE_DIRECTORY) {
            char *b = base_name(src);
            target = b ? join(de.path, b) : NULL;
            free(b);
        } else if (S_ISDIR(st.st_mode)) {
            envd_entry_free(&de);
            return error_set(err, ERROR_GENERIC, "%s",
                             _("cannot copy a directory onto an existing file"));
        } else {
            target = strdup(dst);
        }
        envd_entry_free(&de);
    } else if (serr.kind == ERROR_NOT_FOUND) {
        target = strdup(dst);
    } else {
        *err = serr;
        return -1;
    }
    if (!target) return error_set(err, ERROR_GENERIC, "out of memory");
    int rc = S_ISDIR(st.st_mode) ? upload_tree(cp, src, target, 0, err)
                                 : upload_file(cp, src, target, err);
    if (rc == 0 && cp->interrupted) rc = error_set(err, ERROR_GENERIC, "%s", _("interrupted"));
    if (rc == 0) apply_remote_modes(cp);
    free(target);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("usage: boxtop cp [--user USER] SRC DST\n"
              "Copy files or directories between this machine and a sandbox; write the\n"
              "sandbox side as ID:/path (ID:relative/path is relative to the user's "
              "home).\n"));
}

int cli_cmd_cp(struct cli *cli, int argc, char **argv)
{
    const char *user = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        }
        if ((!strcmp(argv[i], "--user") || !strcmp(argv[i], "-u")) && i + 1 < argc) {
            user = argv[++i];
            continue;
        }
        if (!strncmp(argv[i], "--user=", 7)) {
            user = argv[i] + 7;
            continue;
        }
        usage(stderr);
        return 2;
    }
    if (argc - i != 2) {
        usage(stderr);
        return 2;
    }
    struct cp_plan plan;
    struct error err;
    error_clear(&err);
    if (cp_args_plan(argv[i], argv[i + 1], &plan, &err) < 0) {
        say("boxtop cp: %s%s\n", err.msg, "");
        return 2;
    }
    struct sandbox sb;
    memset(&sb, 0, sizeof sb);
    if (cli_connect(cli, &err) < 0 ||
        envd_sandbox_lookup(cli->api, plan.sandbox_id, &sb, &err) < 0) {
        say("boxtop cp: %s%s\n", err.msg, "");
        sandbox_free(&sb);
        return cli_exit_code(&err);
    }
    struct cp *cp = calloc(1, sizeof *cp);
    if (!cp) {
        sandbox_free(&sb);
        return 1;
    }
    cp->loop = cli->loop;
    cp->http = cli->http;
    cp->tty = isatty(STDERR_FILENO);
    int rc = envd_client_init(&cp->envd, cli->http, sb.id ? sb.id : plan.sandbox_id,
                              cli->sandbox_url, sb.domain ? sb.domain : cli->domain, cli->cfg.debug,
                              sb.envd_access_token, user, &err);
    /* envd before 0.5.7 takes uploads only as multipart/form-data. */
    cp->envd.multipart_upload = !envd_version_at_least(sb.envd_version, 0, 5, 7);
    if (rc == 0) {
        loop_signal_add(cp->loop, SIGINT, on_signal, cp);
        loop_signal_add(cp->loop, SIGTERM, on_signal, cp);
        if (plan.dir == CP_DOWNLOAD)
            rc = download(cp, plan.src.path, plan.dst.path, &err);
        else
            rc = upload(cp, plan.src.path, plan.dst.path, &err);
        envd_client_free(&cp->envd);
    }
    if (rc < 0) say("boxtop cp: %s%s\n", err.msg, "");
    rc = rc < 0 ? cli_exit_code(&err) : 0;
    for (size_t k = 0; k < cp->nfixes; k++)
        free(cp->fixes[k].path);
    free(cp->fixes);
    free(cp);
    sandbox_free(&sb);
    return rc;
}
