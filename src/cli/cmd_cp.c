/* cmd_cp.c - `boxtop cp SRC DST`, one side written ID:/path (see cp_args.h): a thin driver of
 * the transfer engine (boxtop/xfer.h), the same one the file browser runs, so both copy by one
 * policy (temporary name then rename, modes, tree walk, sandbox paths vetted, CR/LF names).
 * What is left here is the command line: where the copy lands (like cp -r, onto an existing
 * directory it goes inside), warnings and errors on stderr, ^C, and progress on stderr when it
 * is a terminal: one line for the whole copy, like rsync --info=progress2. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../e2b/cp_args.h"
#include "boxtop/fpath.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/sanitize.h"
#include "boxtop/xfer.h"
#include "boxtop/local_error.h"
#include "cli_private.h"

#define CP_DRAIN_MS 5000 /* removals of temporaries after a failure or ^C may take this long */

struct cp {
    struct cli *cli;
    struct xfer x;
    bool tty, interrupted;
};

static void human(double v, char *out, size_t n)
{
    int i = 0;
    for (; v >= 1024 && i < 4; i++)
        v /= 1024;
    snprintf(out, n, i ? "%.1f %s" : "%.0f %s", v,
             (const char *[]){"B", "KiB", "MiB", "GiB", "TiB"}[i]);
}

void cp_progress_text(char *out, size_t n, const struct xfer_job *j, int64_t now, bool final)
{
    int64_t eta = xfer_eta_ms(j, now);
    char a[24], b[24], r[32], e[24] = "";
    human((double)j->done, a, sizeof a);
    human((double)j->total, b, sizeof b);
    if (xfer_rate_known(j, now)) {
        human(xfer_rate(j, now), r, sizeof r);
        snprintf(r + strlen(r), sizeof r - strlen(r), "/s");
    } else { /* not "0 B/s" in the first second: nothing is known yet */
        snprintf(r, sizeof r, "%s", "\xe2\x80\x94"); /* — */
    }
    if (eta >= 0 && !final)
        snprintf(e, sizeof e, "  %d:%02d", (int)(eta / 60000), (int)(eta / 1000 % 60));
    int pct = j->total ? (int)(j->done * 100 / j->total) : 100;
    snprintf(out, n, _("%s / %s  %3d%%  %s%s  files %u/%u"), a, b, pct > 100 ? 100 : pct, r, e,
             j->files_done, j->files_total);
}

/* "  12.0 MiB / 40.0 MiB  30%  8.1 MiB/s  0:03  files 3/9" */
static void progress(struct cp *cp, const struct xfer_job *j, bool final)
{
    char line[256];
    cp_progress_text(line, sizeof line, j, loop_now_ms(), final);
    fputs("\r\033[K", cp->cli->stderr_fp);
    fputs(line, cp->cli->stderr_fp);
    fputs(final ? "\n" : "", cp->cli->stderr_fp);
    fflush(cp->cli->stderr_fp);
}

static void on_note(void *ud, enum xfer_event ev, struct xfer_job *j)
{
    struct cp *cp = ud;
    char *w = ev == XEV_WARN ? sanitize_dup(j->warn, 0) : NULL;
    if (w && cp->tty) fputs("\r\033[K", cp->cli->stderr_fp); /* over the progress line */
    if (w) fprintf(cp->cli->stderr_fp, _("boxtop cp: warning: %s\n"), w);
    free(w);
    if (cp->tty && j->state == XS_RUNNING) progress(cp, j, false);
    if (cp->tty && ev == XEV_STATE && j->state == XS_DONE) progress(cp, j, true);
}

static void on_signal(struct loop *l, int signo, void *ud)
{
    (void)l;
    (void)signo;
    ((struct cp *)ud)->interrupted = true;
}

/* The full target path and what the source is. Onto an existing directory the copy goes
 * inside it, under the source's last name: for a download that name comes from the sandbox's
 * answer, so it is vetted like every other sandbox path. */
static int plan(struct cp *cp, const struct cp_plan *p, char **src, char **dst, int *is_dir,
                struct error *err)
{
    struct envd_entry e = {0};
    struct stat st;
    const char *into = NULL; /* an existing directory the copy goes inside */
    int rc = 0;
    if (p->dir == CP_DOWNLOAD) {
        rc = cli_sync_stat(cp->cli, cp->x.envd, p->src.path, &e, err);
        *is_dir = e.type == ENVD_FILE_DIRECTORY;
        *src = rc ? NULL : strdup(e.path ? e.path : p->src.path);
        if (stat(p->dst.path, &st) == 0 && S_ISDIR(st.st_mode)) into = p->dst.path;
    } else if (stat(p->src.path, &st) < 0) {
        rc = local_error(err, LOCAL_READ, "stat", p->src.path, errno);
    } else {
        *is_dir = S_ISDIR(st.st_mode);
        *src = strdup(p->src.path);
        int found = cli_sync_stat(cp->cli, cp->x.envd, p->dst.path, &e, err) == 0;
        if (found && e.type == ENVD_FILE_DIRECTORY)
            into = e.path;
        else if (found && *is_dir)
            rc = error_set(err, ERROR_GENERIC, "%s", _("cannot copy a directory onto a file"));
        else if (!found && err->kind != ERROR_NOT_FOUND)
            rc = -1;
        else
            error_clear(err);
    }
    char *base = !rc && into && *src ? fpath_base(*src) : NULL;
    if (base && p->dir == CP_DOWNLOAD && !xfer_relpath_safe(base))
        rc =
            error_set(err, ERROR_PROTOCOL, _("%s: the sandbox path has no usable file name"), *src);
    if (!rc) *dst = !into ? strdup(p->dst.path) : base ? fpath_join(into, base) : NULL;
    if (!rc && (!*src || !*dst)) rc = error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    free(base);
    envd_entry_free(&e);
    return rc;
}

static int copy(struct cp *cp, const struct cp_plan *p, struct error *err)
{
    char *src = NULL, *dst = NULL;
    int is_dir = 0;
    if (plan(cp, p, &src, &dst, &is_dir, err) < 0) {
        free(src);
        free(dst);
        return -1;
    }
    struct xfer_job *j =
        xfer_add(&cp->x, p->dir == CP_DOWNLOAD ? XFER_DOWN : XFER_UP, src, dst, is_dir);
    free(src);
    free(dst);
    if (!j) return error_set(err, ERROR_GENERIC, "%s", _("out of memory"));
    while (xfer_busy(&cp->x) && loop_run_once(cp->cli->loop, 1000) >= 0)
        if (cp->interrupted) xfer_cancel(&cp->x, j);
    if (j->state == XS_DONE) return 0;
    if (j->state == XS_CANCELLED) return error_set(err, ERROR_GENERIC, "%s", _("interrupted"));
    error_set(err, ERROR_GENERIC, "%s", j->msg);
    error_detail(err, "%s", j->msg_detail);
    return -1;
}

int cli_cmd_cp(struct cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"user", required_argument, NULL, 'u'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *user = NULL, *pos[2];
    int npos = 0, k;
    bool bad = false;
    struct cli_args a;
    struct cp_plan p;
    struct error err = {0};
    cli_args_init(&a, argc, argv);
    while (!bad && (k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == 'h')
            return cli_help(cli, _("usage: boxtop cp [--user USER] SRC DST\n"
                                   "Copy files or directories between this machine and a "
                                   "sandbox; write the\nsandbox side as ID:/path (ID:relative/"
                                   "path is relative to the user's home).\n"));
        if (k == 'u') user = a.value;
        if (k == CLI_ARG_POSITIONAL && npos < 2)
            pos[npos++] = a.value;
        else if (k == CLI_ARG_POSITIONAL || k == CLI_ARG_ERROR)
            bad = true;
    }
    /* a local path that looks like an option is written ./-name */
    if (bad || npos != 2 || pos[0][0] == '-')
        return cli_usage_error(cli, "cp", "%s", _("expected SRC DST (see boxtop cp --help)"));
    error_clear(&err);
    if (cp_args_plan(pos[0], pos[1], &p, &err) < 0) return cli_fail(cli, &err);
    struct sandbox sb = {0};
    struct envd_client *envd = calloc(1, sizeof *envd);
    struct cp cp = {.cli = cli, .tty = isatty(fileno(cli->stderr_fp))};
    int rc = envd ? 0 : error_set(&err, ERROR_GENERIC, "%s", _("out of memory"));
    if (rc == 0 &&
        (cli_connect(cli, &err) < 0 || envd_sandbox_lookup(cli->api, p.sandbox_id, &sb, &err) < 0 ||
         envd_client_init(envd, cli->http, sb.id ? sb.id : p.sandbox_id, cli->sandbox_url,
                          sb.domain ? sb.domain : cli->domain, cli->cfg.debug, sb.envd_access_token,
                          user, &err) < 0)) {
        free(envd);
        sandbox_free(&sb);
        return cli_fail(cli, &err);
    }
    /* envd before 0.5.7 takes uploads only as multipart/form-data. */
    envd->multipart_upload = !envd_version_at_least(sb.envd_version, 0, 5, 7);
    sandbox_free(&sb);
    xfer_init(&cp.x, cli->loop, envd, on_note, &cp);
    loop_signal_add(cli->loop, SIGINT, on_signal, &cp);
    loop_signal_add(cli->loop, SIGTERM, on_signal, &cp);
    rc = copy(&cp, &p, &err);
    xfer_free(&cp.x);
    xfer_release_client(&cp.x, envd);
    /* the removals of temporaries still answer; then the client is freed too */
    for (int64_t end = loop_now_ms() + CP_DRAIN_MS; http_active(cli->http) && loop_now_ms() < end;)
        loop_run_once(cli->loop, 100);
    if (rc < 0 && cp.tty) fputc('\n', cli->stderr_fp);
    return rc < 0 ? cli_fail(cli, &err) : CLI_EXIT_OK;
}
