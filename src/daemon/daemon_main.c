/* daemon_main.c - boxtopd: options, state dir, API key, the server loop and a clean shutdown.
 *
 * Startup order: options -> state dir (0700, one instance per dir via flock) -> API key ->
 * log -> server (both vhosts listening) -> runtime -> routes (API, envd) -> sandboxes
 * restored from their records -> DIR/boxtopd.json written -> loop. SIGTERM/SIGINT stop the
 * loop; running sandboxes are stopped with their files kept (they come back paused) and
 * boxtopd.json is removed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/log.h"
#include "api/dapi.h"
#include "daemon.h"
#include "fsutil.h"
#include "runtime/runtime.h"
#include "sandbox.h"
#include "snapshot.h"
#include "tpl.h"
#include "tpl_build.h"
#include "volume.h"
#include "server.h"
#include "webhooks.h"

static void usage(FILE *f)
{
    fprintf(f, "%s",
            _("Usage: boxtopd [OPTIONS]\n"
              "A local E2B-compatible backend: platform API + envd, real local sandboxes.\n\n"
              "  --api-listen HOST:PORT   platform API address (default 127.0.0.1:3000)\n"
              "  --envd-listen HOST:PORT  envd address (default 127.0.0.1:49983)\n"
              "                           port 0 picks a free port\n"
              "  --state-dir DIR          state directory (default "
              "~/.local/share/boxtop/boxtopd)\n"
              "  --max-sandboxes N        concurrent running sandboxes (default 20)\n"
              "  --create-rate N          sandbox creations per minute (default 120)\n"
              "  --foreground             stay attached, log to stderr\n"
              "  --log-level LEVEL        debug, info, warn or error (default info)\n"
              "  --print-env              print E2B_API_URL, E2B_SANDBOX_URL and E2B_API_KEY\n"
              "  --help, --version\n"));
    fprintf(f, "%s",
            _("\nThe sandboxes' base image:\n"
              "  --base image|host        a Debian image built once with mmdebstrap (default),\n"
              "                           or the host's root read-only (not isolated)\n"
              "  --base-suite SUITE       Debian suite of the image (default bookworm)\n"
              "  --base-packages LIST     extra packages in the image (comma separated)\n"
              "  --base-mirror URL        Debian mirror (default: the one apt uses here)\n"
              "  --base-rootfs TAR        use this root filesystem tarball as the image\n"
              "  --build-base             build the image now (with progress), then exit\n"
              "  --rebuild-base           build the image again even if it is cached\n"));
    fprintf(f, "%s",
            _("\nTemplates built here:\n"
              "  --ready-timeout SECONDS  how long a create waits for the template's ready\n"
              "                           command (default 50)\n"));
}

static int parse_listen(const char *arg, char *host, size_t hn, int *port)
{
    const char *colon = strrchr(arg, ':');
    long long p;
    char pbuf[16];

    if (!colon || colon == arg || (size_t)(colon - arg) >= hn || strlen(colon + 1) >= sizeof pbuf)
        return -1;
    memcpy(host, arg, (size_t)(colon - arg));
    host[colon - arg] = '\0';
    if (strcmp(host, "localhost") == 0) /* lws wants an address or an interface name */
        snprintf(host, hn, "127.0.0.1");
    snprintf(pbuf, sizeof pbuf, "%s", colon + 1);
    char *end;
    errno = 0;
    p = strtoll(pbuf, &end, 10);
    if (errno || *end || !*pbuf || p < 0 || p > 65535) return -1;
    *port = (int)p;
    return 0;
}

static bool is_loopback(const char *host)
{
    return strncmp(host, "127.", 4) == 0 || strcmp(host, "localhost") == 0;
}

static int default_state_dir(char *out, size_t n)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg == '/') return snprintf(out, n, "%s/boxtop/boxtopd", xdg) < (int)n ? 0 : -1;
    if (!home || !*home) return -1;
    return snprintf(out, n, "%s/.local/share/boxtop/boxtopd", home) < (int)n ? 0 : -1;
}

/* ------------------------------------------------------------------ boxtopd.json */

static int write_info_file(struct daemon *d, struct error *err)
{
    char path[4096 + 64];
    char url[128];
    cJSON *o = cJSON_CreateObject();
    char *s;
    int rc;

    if (!o) return error_set(err, ERROR_GENERIC, "out of memory");
    cJSON_AddNumberToObject(o, "pid", (double)getpid());
    snprintf(url, sizeof url, "http://%s:%d", d->opt.api_host,
             server_port(d->srv, SERVER_VHOST_API));
    cJSON_AddStringToObject(o, "apiUrl", url);
    snprintf(url, sizeof url, "http://%s:%d", d->opt.envd_host,
             server_port(d->srv, SERVER_VHOST_ENVD));
    cJSON_AddStringToObject(o, "sandboxUrl", url);
    cJSON_AddStringToObject(o, "version", BOXTOPD_VERSION);
    cJSON_AddStringToObject(o, "teamId", TEAM_ID); /* for /teams/{teamID}/metrics */
    s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s) return error_set(err, ERROR_GENERIC, "out of memory");
    snprintf(path, sizeof path, "%s/boxtopd.json", d->opt.state_dir);
    rc = fs_write_atomic(path, s, strlen(s), 0600, err);
    free(s);
    return rc;
}

static int print_env(const char *state_dir, const char *api_host, int api_port,
                     const char *envd_host, int envd_port)
{
    char key[AUTH_KEY_LEN + 1], path[4096 + 64];
    struct error err;
    struct buf b = BUF_INIT;
    char api_url[256], sbx_url[256];

    if (fs_mkdir_p(state_dir, 0700, &err) < 0 ||
        auth_load_or_create(state_dir, key, sizeof key, &err) < 0) {
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        return 1;
    }
    snprintf(api_url, sizeof api_url, "http://%s:%d", api_host, api_port);
    snprintf(sbx_url, sizeof sbx_url, "http://%s:%d", envd_host, envd_port);
    /* a running daemon knows its real ports */
    snprintf(path, sizeof path, "%s/boxtopd.json", state_dir);
    if (fs_read_file(path, &b, 65536, &err) == 0) {
        cJSON *o = cJSON_ParseWithLength(b.data, b.len);
        const cJSON *pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "apiUrl");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "sandboxUrl");
        /* a file left by a crashed daemon names dead ports: ignore it */
        if (!cJSON_IsNumber(pid) || pid->valuedouble < 1 || pid->valuedouble > 4194304 ||
            (kill((pid_t)pid->valuedouble, 0) < 0 && errno == ESRCH))
            a = e = NULL;
        if (cJSON_IsString(a) && strncmp(a->valuestring, "http://", 7) == 0 &&
            !strpbrk(a->valuestring, "'\"\\$` \n"))
            snprintf(api_url, sizeof api_url, "%s", a->valuestring);
        if (cJSON_IsString(e) && strncmp(e->valuestring, "http://", 7) == 0 &&
            !strpbrk(e->valuestring, "'\"\\$` \n"))
            snprintf(sbx_url, sizeof sbx_url, "%s", e->valuestring);
        cJSON_Delete(o);
    }
    buf_free(&b);
    printf("export E2B_API_URL=%s\nexport E2B_SANDBOX_URL=%s\nexport E2B_API_KEY=%s\n", api_url,
           sbx_url, key);
    return 0;
}

/* ------------------------------------------------------------------ signals */

static void on_signal_fd(struct server_fd *w, int fd, int events, void *ud)
{
    struct daemon *d = ud;
    struct signalfd_siginfo si;

    (void)w;
    if (events & SERVER_FD_CLOSED) return;
    while (read(fd, &si, sizeof si) == (ssize_t)sizeof si) {
        if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
            log_msg(d->log, LOG_INFO, "boxtopd: signal %u, shutting down", si.ssi_signo);
            d->shutting_down = true;
            server_stop(d->srv);
        }
    }
}

/* Started by a process that wants us gone with it (boxtop sets PR_SET_PDEATHSIG before the
 * exec)? The kernel drops that request at our first setfsuid (envd/cred.c), so the parent's
 * pidfd is watched as well: its exit stops us as the signal would. Before this watch exists
 * the signal is still armed, so no exit goes unnoticed. */
static void on_parent_exit(struct server_fd *w, int fd, int events, void *ud)
{
    struct daemon *d = ud;
    (void)w;
    (void)fd;
    (void)events;
    if (d->shutting_down) return;
    log_msg(d->log, LOG_INFO, "boxtopd: the process that started it exited, shutting down");
    d->shutting_down = true;
    server_stop(d->srv);
}

static struct server_fd *watch_parent(struct daemon *d, int *pfd)
{
    int sig = 0;
    *pfd = -1;
    if (prctl(PR_GET_PDEATHSIG, &sig) < 0 || !sig) return NULL;
    *pfd = (int)syscall(SYS_pidfd_open, getppid(), 0);
    if (*pfd < 0) return NULL; /* Linux < 5.3: the signal alone */
    fcntl(*pfd, F_SETFD, FD_CLOEXEC);
    return server_watch_fd(d->srv, *pfd, on_parent_exit, d);
}

/* ------------------------------------------------------------------ daemonize */

/* Fork into the background; the parent exits once the child reports that it listens (or
 * failed), so `boxtopd && e2b ...` works. Returns the write end of the ready pipe in the
 * child (or -1 in foreground mode). */
static int daemonize(void)
{
    int p[2];
    pid_t pid;
    char c = 1;

    if (pipe2(p, O_CLOEXEC) < 0) return -1;
    pid = fork();
    if (pid < 0) return -1;
    if (pid > 0) {
        close(p[1]);
        ssize_t r;
        do
            r = read(p[0], &c, 1);
        while (r < 0 && errno == EINTR);
        _exit(r == 1 && c == 0 ? 0 : 1);
    }
    close(p[0]);
    setsid();
    int nul = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (nul >= 0) {
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(nul, 2);
        if (nul > 2) close(nul);
    }
    return p[1];
}

static void report_ready(int fd, bool ok)
{
    char c = ok ? 0 : 1;
    if (fd >= 0) {
        if (write(fd, &c, 1) < 0) {
            /* the parent is gone: nothing to tell */
        }
        close(fd);
    }
}

/* ------------------------------------------------------------------ --build-base */
/* bootstrap.sh and `make check` make the image before anything needs it; progress goes to
 * stderr, one line per step. */
static int build_base(const struct daemon_options *o)
{
    struct rt_base_opts bo = {.host = o->base_host,
                              .rebuild = o->rebuild_base,
                              .suite = o->base_suite,
                              .mirror = o->base_mirror,
                              .packages = o->base_packages,
                              .tarball = o->base_rootfs};
    struct error err;
    if (bo.host) {
        fprintf(stderr, _("boxtopd: --base host needs no image\n"));
        return 0;
    }
    if (rt_base_build_now(&bo, 2, &err) < 0) {
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ main */

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"api-listen", required_argument, NULL, 'a'},
        {"envd-listen", required_argument, NULL, 'e'},
        {"state-dir", required_argument, NULL, 's'},
        {"max-sandboxes", required_argument, NULL, 'm'},
        {"create-rate", required_argument, NULL, 'r'},
        {"foreground", no_argument, NULL, 'f'},
        {"log-level", required_argument, NULL, 'l'},
        {"print-env", no_argument, NULL, 'p'},
        {"base", required_argument, NULL, 'B'},
        {"base-suite", required_argument, NULL, 'S'},
        {"base-packages", required_argument, NULL, 'P'},
        {"base-mirror", required_argument, NULL, 'M'},
        {"base-rootfs", required_argument, NULL, 'T'},
        {"build-base", no_argument, NULL, 'b'},
        {"rebuild-base", no_argument, NULL, 'R'},
        {"ready-timeout", required_argument, NULL, 'y'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct daemon d;
    struct error err;
    char state_dir[4096], path[4096 + 64];
    enum log_level level = LOG_INFO;
    bool want_print_env = false, want_build_base = false;
    int c, ready_fd = -1, lock_fd = -1, status = 1;
    sigset_t mask;
    int sfd = -1;
    struct server_fd *sigw = NULL, *parentw = NULL;
    int parent_fd = -1;

    i18n_init();
    memset(&d, 0, sizeof d);
    snprintf(d.opt.api_host, sizeof d.opt.api_host, "127.0.0.1");
    d.opt.api_port = 3000;
    snprintf(d.opt.envd_host, sizeof d.opt.envd_host, "127.0.0.1");
    d.opt.envd_port = 49983;
    d.opt.max_sandboxes = 20;
    d.opt.create_rate_per_min = 120;
    d.opt.ready_timeout_s = 50; /* under the SDK's 60 s request timeout */
    state_dir[0] = '\0';

    for (int at = optind, li = -1; (c = getopt_long(argc, argv, "+", opts, &li)) != -1;
         at = optind, li = -1) {
        /* getopt_long takes a unique prefix; like boxtop, we want the whole name, so a typo
         * (or a future option's prefix) is an error ("+": argv[at] is the option itself) */
        size_t nl = at < argc ? strcspn(argv[at], "=") : 0;
        if (c != '?' && (li < 0 || nl < 2 || strlen(opts[li].name) != nl - 2 ||
                         strncmp(argv[at] + 2, opts[li].name, nl - 2))) {
            fprintf(stderr, _("boxtopd: unknown option %.*s\n"), (int)nl, argv[at]);
            usage(stderr);
            return 2;
        }
        switch (c) {
        case 'a':
            if (parse_listen(optarg, d.opt.api_host, sizeof d.opt.api_host, &d.opt.api_port) < 0) {
                fprintf(stderr, _("boxtopd: bad --api-listen '%s' (want HOST:PORT)\n"), optarg);
                return 2;
            }
            break;
        case 'e':
            if (parse_listen(optarg, d.opt.envd_host, sizeof d.opt.envd_host, &d.opt.envd_port) <
                0) {
                fprintf(stderr, _("boxtopd: bad --envd-listen '%s' (want HOST:PORT)\n"), optarg);
                return 2;
            }
            break;
        case 's':
            if (strlen(optarg) >= sizeof state_dir - 64) {
                fprintf(stderr, _("boxtopd: --state-dir is too long\n"));
                return 2;
            }
            snprintf(state_dir, sizeof state_dir, "%s", optarg);
            break;
        case 'm': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 10000) {
                fprintf(stderr, _("boxtopd: bad --max-sandboxes '%s'\n"), optarg);
                return 2;
            }
            d.opt.max_sandboxes = (int)v;
            break;
        }
        case 'r': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 100000) {
                fprintf(stderr, _("boxtopd: bad --create-rate '%s'\n"), optarg);
                return 2;
            }
            d.opt.create_rate_per_min = (int)v;
            break;
        }
        case 'y': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 3600) {
                fprintf(stderr, _("boxtopd: bad --ready-timeout '%s' (1 to 3600 seconds)\n"),
                        optarg);
                return 2;
            }
            d.opt.ready_timeout_s = (int)v;
            break;
        }
        case 'f':
            d.opt.foreground = true;
            break;
        case 'l':
            if (log_parse_level(optarg, &level) < 0) {
                fprintf(stderr, _("boxtopd: bad --log-level '%s'\n"), optarg);
                return 2;
            }
            break;
        case 'p':
            want_print_env = true;
            break;
        case 'B':
            if (strcmp(optarg, "host") != 0 && strcmp(optarg, "image") != 0) {
                fprintf(stderr, _("boxtopd: bad --base '%s' (want image or host)\n"), optarg);
                return 2;
            }
            d.opt.base_host = strcmp(optarg, "host") == 0;
            break;
        case 'S':
            d.opt.base_suite = optarg;
            break;
        case 'P':
            d.opt.base_packages = optarg;
            break;
        case 'M':
            d.opt.base_mirror = optarg;
            break;
        case 'T':
            d.opt.base_rootfs = optarg;
            break;
        case 'b':
            want_build_base = true;
            break;
        case 'R':
            d.opt.rebuild_base = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("boxtopd %s\n", BOXTOPD_VERSION);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    if (want_build_base) return build_base(&d.opt); /* no state dir involved */
    if (!state_dir[0] && default_state_dir(state_dir, sizeof state_dir) < 0) {
        fprintf(stderr, _("boxtopd: cannot find a state directory; use --state-dir\n"));
        return 2;
    }
    d.opt.state_dir = state_dir;
    if (want_print_env)
        return print_env(state_dir, d.opt.api_host, d.opt.api_port, d.opt.envd_host,
                         d.opt.envd_port);

    if (fs_mkdir_p(state_dir, 0700, &err) < 0) {
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        return 1;
    }
    chmod(state_dir, 0700);
    snprintf(path, sizeof path, "%s/boxtopd.lock", state_dir);
    lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, _("boxtopd: another boxtopd is using %s\n"), state_dir);
        return 1;
    }
    if (auth_load_or_create(state_dir, d.api_key, sizeof d.api_key, &err) < 0) {
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        return 1;
    }

    if (!d.opt.foreground) {
        ready_fd = daemonize();
        if (ready_fd < 0) {
            fprintf(stderr, "boxtopd: cannot go to the background: %s\n", strerror(errno));
            return 1;
        }
        snprintf(path, sizeof path, "%s/boxtopd.log", state_dir);
        d.log = log_open(path, level);
    } else {
        d.log = log_open(NULL, level);
    }
    log_add_secret(d.log, d.api_key);
    signal(SIGPIPE, SIG_IGN);
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    if (!is_loopback(d.opt.api_host) || !is_loopback(d.opt.envd_host))
        log_msg(d.log, LOG_WARN,
                "boxtopd: listening on a non-loopback address: anyone who can reach it and "
                "knows the API key controls sandboxes that run as you");

    /* About 7 descriptors per sandbox (control sockets, pidfd, root...): a user's usual soft
     * limit of 1024 stopped a rootless boxtopd near 140 sandboxes, and lws sizes its table by
     * the limit at its start. Up to the hard limit; sandboxes get the one boxtopd started with. */
    if (getrlimit(RLIMIT_NOFILE, &d.nofile) == 0 && d.nofile.rlim_cur < d.nofile.rlim_max) {
        struct rlimit up = {d.nofile.rlim_max, d.nofile.rlim_max};
        setrlimit(RLIMIT_NOFILE, &up);
    }
    struct server_config scfg = {
        .listen = {{d.opt.api_host, d.opt.api_port}, {d.opt.envd_host, d.opt.envd_port}},
        .log = d.log,
        .max_connections = 4096,
    };
    if (server_new(&d.srv, &scfg, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: %s", err.msg);
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        goto out;
    }
    sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0 || !(sigw = server_watch_fd(d.srv, sfd, on_signal_fd, &d))) {
        log_msg(d.log, LOG_ERROR, "boxtopd: cannot watch signals");
        goto out;
    }
    parentw = watch_parent(&d, &parent_fd);
    if (sbx_manager_start(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: %s", err.msg);
        fprintf(stderr, "boxtopd: %s\n", err.msg);
        goto out;
    }
    if (snapshots_load(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: snapshots: %s", err.msg);
        goto out;
    }
    if (tpls_load(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: templates: %s", err.msg);
        goto out;
    }
    tpl_builds_cleanup(&d);
    tpl_layers_gc(&d); /* layers whose last user went while boxtopd was down */
    if (volumes_load(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: volumes: %s", err.msg);
        goto out;
    }
    if (dapi_register(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: %s", err.msg);
        goto out;
    }
    if (webhooks_start(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: %s", err.msg);
        goto out;
    }
    if (denvd_setup(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: envd: %s", err.msg);
        fprintf(stderr, "boxtopd: envd: %s\n", err.msg);
        goto out;
    }
    if (write_info_file(&d, &err) < 0) {
        log_msg(d.log, LOG_ERROR, "boxtopd: %s", err.msg);
        goto out;
    }
    log_msg(d.log, LOG_INFO, "boxtopd %s: API on http://%s:%d, envd on http://%s:%d, state in %s",
            BOXTOPD_VERSION, d.opt.api_host, server_port(d.srv, SERVER_VHOST_API), d.opt.envd_host,
            server_port(d.srv, SERVER_VHOST_ENVD), state_dir);
    if (d.isolation_missing[0])
        log_msg(d.log, LOG_WARN, "boxtopd: isolation missing: %s", d.isolation_missing);
    {
        struct rt_base_status bst;
        rt_base_get_status(d.rt, &bst);
        if (bst.state == RT_BASE_HOST)
            log_msg(d.log, LOG_WARN,
                    "boxtopd: --base host: sandboxes see the host's root "
                    "filesystem read-only (world-readable files included)");
        else if (bst.state == RT_BASE_FAILED)
            log_msg(d.log, LOG_ERROR, "boxtopd: no base image: %s", bst.error);
        else if (bst.state == RT_BASE_BUILDING)
            log_msg(d.log, LOG_WARN,
                    "boxtopd: the base image is being built; sandboxes can be "
                    "created once it is ready (GET /health shows progress)");
    }
    report_ready(ready_fd, true);
    ready_fd = -1;

    server_run(d.srv);
    status = 0;

    d.shutting_down = true;
    snprintf(path, sizeof path, "%s/boxtopd.json", state_dir);
    unlink(path);
out:
    report_ready(ready_fd, false);
    /* Order matters: requests first (their on_close may touch envd and sandboxes), then the
     * sandboxes (envd hears sandbox_stopping), then envd, then the runtime and timers, and
     * the lws context last (runtime fds and timers live in it). */
    if (d.srv) server_close_requests(d.srv);
    tpl_builds_stop(&d);
    if (d.rt) sbx_manager_stop(&d);
    webhooks_stop(&d);
    if (d.denvd_ops.shutdown) d.denvd_ops.shutdown(d.denvd_ops.ud);
    if (sigw) server_unwatch_fd(sigw);
    if (parentw) server_unwatch_fd(parentw);
    sbx_manager_free(&d);
    snapshots_free(&d);
    tpls_free(&d);
    volumes_free(&d);
    server_free(d.srv);
    dapi_unregister(&d);
    if (sfd >= 0) close(sfd);
    if (parent_fd >= 0) close(parent_fd);
    log_msg(d.log, LOG_INFO, "boxtopd: stopped");
    log_close(d.log);
    if (lock_fd >= 0) close(lock_fd);
    return status;
}
