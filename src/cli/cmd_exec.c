/* cmd_exec.c - `boxtop exec ID [--user U] [--cwd D] [--env K=V]... -- CMD...`
 *
 * Runs CMD in the sandbox through envd's Process.Start (as `e2b sandbox exec` does:
 * /bin/bash -l -c "<cmd>", no Connect-Timeout-Ms so long commands are not killed) and streams
 * stdout/stderr to our stdout/stderr chunk by chunk as the events arrive. When our stdin is
 * not a terminal it is forwarded (SendInput, 64 KiB at a time, one call in flight, then
 * CloseStdin). SIGINT/SIGTERM/SIGHUP kill the remote process and what it started (SIGKILL from
 * a second remote process, kill_remote; envd's SendSignal reaches the process alone and
 * interactive shells ignore SIGTERM); a second signal stops waiting.
 * Exit status: the command's (128+n when killed by signal n); 1 error, 2 usage, 3 not found,
 * 4 authentication when the command could not run. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/api.h"
#include "cli.h"
#include "boxtop/config.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "boxtop/i18n.h"
#include "boxtop/loop.h"
#include "boxtop/models.h"
#include "boxtop/sanitize.h"

#define EXEC_STDIN_CHUNK 65536

struct exec {
    struct loop *loop;
    struct envd_client envd;
    struct envd_stream *stream;
    uint32_t pid;
    bool started;
    bool done;
    bool have_end;
    int end_status;
    bool failed;
    struct error err;
    /* stdin forwarding */
    bool pump;
    bool watching;
    bool input_inflight;
    bool stdin_closed;
    char inbuf[EXEC_STDIN_CHUNK];
    int signals;
    bool out_broken;
    bool kill_sent;
    struct envd_stream *killer; /* the remote tree kill (kill_remote) */
};

static void print_error(const char *what, const struct error *err)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "boxtop %s: ", what);
    cli_print_error(stderr, prefix, err);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void signal_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    (void)err; /* not_found: the process is already gone, its end event is on the way */
    (void)ud;
}

static int killer_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)ev;
    (void)ud;
    (void)err;
    return 0;
}

static void killer_end(const struct error *err, void *ud)
{
    (void)err;
    struct exec *x = ud;
    x->killer = NULL;
}

/* The command and everything it started. envd's SendSignal signals the process alone (a killed
 * `bash -c` leaves its children running), so a second process stops the tree top down and kills
 * it bottom up (children from /proc, else ps); SendSignal only when that cannot be started. */
static void kill_remote(struct exec *x)
{
    struct error err;
    if (!x->started || x->kill_sent) return;
    x->kill_sent = true;
    char script[400];
    snprintf(script, sizeof script,
             "k() { kill -STOP \"$1\" 2>/dev/null; "
             "for c in $(cat /proc/\"$1\"/task/*/children 2>/dev/null || "
             "ps -o pid= --ppid \"$1\" 2>/dev/null); do k \"$c\"; done; "
             "kill -KILL \"$1\" 2>/dev/null; }; k %u",
             (unsigned)x->pid);
    const char *args[] = {"-c", script, NULL};
    struct envd_start_opts o = {.cmd = "/bin/sh", .args = args, .stdin_mode = 0};
    x->killer = envd_process_start(&x->envd, &o, killer_event, killer_end, x, &err);
    if (x->killer) return;
    if (!envd_process_signal(&x->envd, x->pid, SIGKILL, signal_done, x, &err))
        print_error("exec", &err);
}

static void on_stdin(struct loop *l, int fd, int events, void *ud);

static void watch_stdin(struct exec *x, bool on)
{
    if (on && !x->watching && !x->stdin_closed && !x->done) {
        if (loop_fd_add(x->loop, STDIN_FILENO, LOOP_READ, on_stdin, x) == 0) x->watching = true;
    } else if (!on && x->watching) {
        loop_fd_remove(x->loop, STDIN_FILENO);
        x->watching = false;
    }
}

static void close_stdin_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    (void)err;
    (void)ud;
}

static void input_done(const cJSON *resp, const struct error *err, void *ud)
{
    (void)resp;
    struct exec *x = ud;
    x->input_inflight = false;
    if (err) {
        /* not_found: "Remote command exited before stdin could be delivered" - stop feeding */
        if (err->kind != ERROR_NOT_FOUND) print_error("exec", err);
        x->stdin_closed = true;
        return;
    }
    watch_stdin(x, true);
}

static void on_stdin(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    (void)events;
    struct exec *x = ud;
    struct error err;
    ssize_t n = read(fd, x->inbuf, sizeof x->inbuf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    watch_stdin(x, false);
    if (n <= 0) {
        x->stdin_closed = true;
        if (!envd_process_close_stdin(&x->envd, x->pid, close_stdin_done, x, &err))
            print_error("exec", &err);
        return;
    }
    /* One SendInput in flight keeps the bytes in order (unary calls may overtake). */
    x->input_inflight = true;
    if (!envd_process_send_input(&x->envd, x->pid, false, x->inbuf, (size_t)n, input_done, x,
                                 &err)) {
        x->input_inflight = false;
        x->stdin_closed = true;
        print_error("exec", &err);
    }
}

static int on_event(const struct envd_proc_event *ev, void *ud, struct error *err)
{
    (void)err;
    struct exec *x = ud;
    switch (ev->kind) {
    case ENVD_PROC_START:
        x->pid = ev->pid;
        x->started = true;
        if (x->signals > 0)
            kill_remote(x);
        else if (x->pump)
            watch_stdin(x, true);
        break;
    case ENVD_PROC_DATA:
        if (!x->out_broken &&
            write_all(ev->output == ENVD_OUT_STDERR ? STDERR_FILENO : STDOUT_FILENO, ev->data,
                      ev->len) < 0) {
            /* Our reader went away (EPIPE): nobody wants the output any more. */
            x->out_broken = true;
            kill_remote(x);
        }
        break;
    case ENVD_PROC_END:
        x->have_end = true;
        x->end_status = envd_proc_exit_status(ev);
        break;
    case ENVD_PROC_KEEPALIVE:
        break;
    }
    return 0;
}

static void on_end(const struct error *err, void *ud)
{
    struct exec *x = ud;
    x->stream = NULL;
    x->done = true;
    if (err) {
        x->failed = true;
        x->err = *err;
    }
    watch_stdin(x, false);
}

static void on_signal(struct loop *l, int signo, void *ud)
{
    (void)l;
    (void)signo;
    struct exec *x = ud;
    if (++x->signals > 1 || !x->started) {
        /* Second signal, or nothing started yet: stop waiting. */
        x->done = true;
        x->failed = true;
        error_set(&x->err, ERROR_GENERIC, "%s", _("interrupted"));
        return;
    }
    kill_remote(x);
}

/* Shell-quote args into one command line (one argument is used verbatim, like e2b). */
static int join_command(char **argv, int argc, struct buf *out)
{
    if (argc == 1) return buf_append_str(out, argv[0]);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i) buf_append_byte(out, ' ');
        if (*a && strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                            "_@%+=:,./-") == strlen(a)) {
            buf_append_str(out, a);
            continue;
        }
        buf_append_byte(out, '\'');
        for (; *a; a++) {
            if (*a == '\'')
                buf_append_str(out, "'\\''");
            else
                buf_append_byte(out, (unsigned char)*a);
        }
        buf_append_byte(out, '\'');
    }
    return out->data ? 0 : -1;
}

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("usage: boxtop exec ID [--user USER] [--cwd DIR] [--env KEY=VALUE]... -- "
              "COMMAND [ARG]...\n"
              "Run COMMAND in sandbox ID with /bin/bash -l -c, streaming its output;\n"
              "exits with the command's exit status. Standard input is forwarded when\n"
              "it is not a terminal.\n"));
}

int cli_cmd_exec(struct cli *cli, int argc, char **argv)
{
    const char *user = NULL, *cwd = NULL, *id = NULL;
    const char **envs = calloc((size_t)argc + 1, sizeof *envs);
    int nenv = 0, rc = 1, cmd_at = -1;
    struct error err;
    error_clear(&err);
    if (!envs) return 1;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--all")) { /* many sandboxes at once (issue 18) */
            free(envs);
            return cli_cmd_exec_all(cli, argc, argv);
        }
    /* Options may come before or after ID; the command starts after "--", or at the first
     * word after ID, and keeps its own flags (parsing stops there). */
    static const struct option opts[] = {{"user", required_argument, NULL, 'u'},
                                         {"cwd", required_argument, NULL, 'c'},
                                         {"env", required_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    struct cli_args a;
    int k;
    cli_args_init(&a, argc, argv);
    while (cmd_at < 0 && (k = cli_args_next(&a, opts, &err)) != CLI_ARG_END) {
        if (k == CLI_ARG_DASHDASH) {
            cmd_at = a.i;
        } else if (k == CLI_ARG_POSITIONAL) {
            if (!id)
                id = a.value;
            else
                cmd_at = a.i - 1;
        } else if (k == 'h') {
            usage(stdout);
            free(envs);
            return 0;
        } else if (k == 'u') {
            user = a.value;
        } else if (k == 'c') {
            cwd = a.value;
        } else if (k == 'e') {
            if (!strchr(a.value, '=') || a.value[0] == '=') {
                fprintf(stderr, "%s", _("boxtop exec: --env expects KEY=VALUE\n"));
                free(envs);
                return 2;
            }
            envs[nenv++] = a.value;
        } else {
            char *clean = sanitize_dup(a.arg ? a.arg : "", 0);
            fprintf(stderr, _("boxtop exec: unknown option or missing value: %s\n"),
                    clean ? clean : "?");
            free(clean);
            usage(stderr);
            free(envs);
            return 2;
        }
    }
    error_clear(&err);
    if (!id || cmd_at < 0 || cmd_at >= argc) {
        fprintf(stderr, "%s",
                !id ? _("boxtop exec: missing sandbox ID\n") : _("boxtop exec: missing COMMAND\n"));
        usage(stderr);
        free(envs);
        return 2;
    }
    struct buf line = BUF_INIT;
    if (join_command(argv + cmd_at, argc - cmd_at, &line) < 0) {
        free(envs);
        return 1;
    }

    struct sandbox sb;
    memset(&sb, 0, sizeof sb);
    if (cli_connect(cli, &err) < 0 || envd_sandbox_lookup(cli->api, id, &sb, &err) < 0) {
        print_error("exec", &err);
        buf_free(&line);
        free(envs);
        return cli_exit_code(&err);
    }
    struct exec *x = calloc(1, sizeof *x);
    if (!x) {
        sandbox_free(&sb);
        buf_free(&line);
        free(envs);
        return 1;
    }
    x->loop = cli->loop;
    if (envd_client_init(&x->envd, cli->http, sb.id ? sb.id : id, cli->sandbox_url,
                         sb.domain ? sb.domain : cli->domain, cli->cfg.debug, sb.envd_access_token,
                         user, &err) < 0) {
        print_error("exec", &err);
        rc = cli_exit_code(&err);
        goto out;
    }
    x->pump = !isatty(STDIN_FILENO);
    const char *args[] = {"-l", "-c", buf_cstr(&line), NULL};
    struct envd_start_opts o = {
        .cmd = "/bin/bash",
        .args = args,
        .envs = nenv ? envs : NULL,
        .cwd = cwd,
        .stdin_mode = x->pump ? 1 : 0,
    };
    signal(SIGPIPE, SIG_IGN);
    loop_signal_add(x->loop, SIGINT, on_signal, x);
    loop_signal_add(x->loop, SIGTERM, on_signal, x);
    loop_signal_add(x->loop, SIGHUP, on_signal, x);
    x->stream = envd_process_start(&x->envd, &o, on_event, on_end, x, &err);
    if (!x->stream) {
        print_error("exec", &err);
        rc = cli_exit_code(&err);
        goto out;
    }
    while (!x->done && loop_run_once(x->loop, 1000) >= 0)
        ;
    if (x->stream) {
        envd_stream_cancel(x->stream);
        x->stream = NULL;
    }
    /* the tree kill runs to its end (it is short), unless a second signal says stop waiting */
    while (x->killer && x->signals < 2 && loop_run_once(x->loop, 1000) >= 0)
        ;
    if (x->killer) {
        envd_stream_cancel(x->killer);
        x->killer = NULL;
    }
    watch_stdin(x, false);
    /* Let a last SendInput/CloseStdin/SendSignal finish (never more than a unary timeout). */
    while (http_active(cli->http) > 0 && loop_run_once(x->loop, 1000) >= 0)
        ;
    if (x->have_end) {
        rc = x->end_status;
    } else if (x->failed) {
        print_error("exec", &x->err);
        rc = x->signals ? 130 : cli_exit_code(&x->err);
    } else {
        fprintf(stderr, "%s", _("boxtop exec: the process ended without an exit status\n"));
        rc = 1;
    }
out:
    envd_client_free(&x->envd);
    free(x);
    sandbox_free(&sb);
    buf_free(&line);
    free(envs);
    return rc;
}
