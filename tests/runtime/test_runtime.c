/* test_runtime.c - creates real sandboxes and checks isolation, limits, pause, PTYs, metrics
 * and restart adoption. TAP output. Needs root for the isolation checks (as in CI); as
 * another user it checks the plain-mode fallback. Everything it makes (state dir, cgroups,
 * processes) is removed at the end, also after failed checks. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"
#include "runtime.h"

#define MAX_WATCH 64
#define MAX_EXITS 256

struct exit_rec {
    struct rt_sandbox *sb;
    pid_t pid;
    int code, sig;
};

struct tctx {
    struct rt *rt;
    int watched[MAX_WATCH];
    int nwatched;
    struct exit_rec exits[MAX_EXITS];
    int nexits;
    int died;
    char state[256];
    char instance[32];
};

static int ntest, nfail;

static void ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s %d - ", cond ? "ok" : "not ok", ++ntest);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (!cond) nfail++;
}

static int h_watch(void *ud, int fd)
{
    struct tctx *t = ud;
    if (t->nwatched < MAX_WATCH) t->watched[t->nwatched++] = fd;
    return 0;
}

static void h_unwatch(void *ud, int fd)
{
    struct tctx *t = ud;
    for (int i = 0; i < t->nwatched; i++)
        if (t->watched[i] == fd) t->watched[i] = t->watched[--t->nwatched];
}

static void h_exited(void *ud, struct rt_sandbox *sb, pid_t pid, int code, int sig)
{
    struct tctx *t = ud;
    if (t->nexits < MAX_EXITS) t->exits[t->nexits++] = (struct exit_rec){sb, pid, code, sig};
}

static void h_died(void *ud, struct rt_sandbox *sb, const char *why)
{
    struct tctx *t = ud;
    (void)sb;
    printf("# sandbox died: %s\n", why);
    t->died++;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One turn of the host loop: the runtime's fds plus extra ones (output pipes). */
static void pump(struct tctx *t, int *extra, int nextra, int ms)
{
    struct pollfd p[MAX_WATCH + 4];
    int n = 0;
    for (int i = 0; i < t->nwatched; i++)
        p[n++] = (struct pollfd){.fd = t->watched[i], .events = POLLIN};
    int base = n;
    for (int i = 0; i < nextra; i++)
        p[n++] = (struct pollfd){.fd = extra[i], .events = POLLIN};
    if (poll(p, (nfds_t)n, ms) <= 0) return;
    for (int i = 0; i < base; i++)
        if (p[i].revents) rt_on_readable(t->rt, p[i].fd);
    for (int i = base; i < n; i++)
        extra[i - base] = p[i].revents ? -extra[i - base] - 2 : extra[i - base];
}

static struct exit_rec *find_exit(struct tctx *t, struct rt_sandbox *sb, pid_t pid)
{
    for (int i = 0; i < t->nexits; i++)
        if (t->exits[i].sb == sb && t->exits[i].pid == pid) return &t->exits[i];
    return NULL;
}

/* A process just started: an exit recorded for the same sandbox pointer and pid is of an
 * earlier sandbox that was freed (its memory reused for this one, pids restart at 2). */
static void forget_exits(struct tctx *t, struct rt_sandbox *sb, pid_t pid)
{
    for (struct exit_rec *ex; (ex = find_exit(t, sb, pid));)
        *ex = t->exits[--t->nexits];
}

static const char *env_user[] = {"PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
                                 "HOME=/home/user", "LANG=C.UTF-8", "TERM=xterm-256color", NULL};

/* Runs sh -c cmd; collects stdout+stderr (or the pty) until exit. Returns exit code,
 * 128+signal, or -1 (spawn failed/timeout). */
static int run(struct tctx *t, struct rt_sandbox *sb, const char *user, const char *cmd, char *out,
               size_t cap, bool pty, int rows, int cols)
{
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    /* HOME as the runtime says (plain mode: a private directory on the host). */
    uid_t uid;
    gid_t gid;
    const char *home = NULL;
    char homevar[PATH_MAX + 8];
    const char *env[] = {env_user[0], homevar, env_user[2], env_user[3], NULL};
    rt_user_ids(sb, user, &uid, &gid, &home);
    snprintf(homevar, sizeof homevar, "HOME=%s", home ? home : "/");
    struct rt_spawn sp = {
        .argv = argv, .envp = env, .user = user, .pty = pty, .rows = rows, .cols = cols};
    struct rt_proc pr;
    struct error err = {0};
    size_t len = 0;
    if (out) out[0] = '\0';
    if (rt_spawn(t->rt, sb, &sp, &pr, &err) < 0) {
        printf("# spawn '%s': %s\n", cmd, err.msg);
        return -1;
    }
    forget_exits(t, sb, pr.pid);
    int fds[2] = {pty ? pr.pty_fd : pr.stdout_fd, pty ? -1 : pr.stderr_fd};
    int64_t deadline = now_ms() + 20000;
    struct exit_rec *ex = NULL;
    while (now_ms() < deadline) {
        int act[2], na = 0;
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0) act[na++] = fds[i];
        ex = find_exit(t, sb, pr.pid);
        if (na == 0 && ex) break;
        pump(t, act, na, 100);
        for (int i = 0, k = 0; i < 2; i++) {
            if (fds[i] < 0) continue;
            if (act[k++] >= 0) continue;
            char buf[4096];
            ssize_t r = read(fds[i], buf, sizeof buf);
            if (r < 0 && errno == EAGAIN) continue;
            if (r <= 0) { /* EOF, or EIO on a pty master once the process is gone */
                close(fds[i]);
                fds[i] = -1;
                continue;
            }
            if (out && len + 1 < cap) {
                size_t c = (size_t)r < cap - 1 - len ? (size_t)r : cap - 1 - len;
                memcpy(out + len, buf, c);
                len += c;
                out[len] = '\0';
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i] >= 0) close(fds[i]);
    if (!ex) return -1;
    return ex->sig ? 128 + ex->sig : ex->code;
}

struct adopted {
    pid_t pid;
    bool pty;
    int fd;
    char meta[64];
};

static void on_adopted(void *ud, const struct rt_adopted *p)
{
    struct adopted *a = ud;
    if (a->pid) { /* one expected: a second one is closed */
        a->pid = -1;
        int fds[] = {p->proc.pty_fd, p->proc.stdin_fd, p->proc.stdout_fd, p->proc.stderr_fd};
        for (int i = 0; i < 4; i++)
            if (fds[i] >= 0) close(fds[i]);
        return;
    }
    a->pid = p->proc.pid;
    a->pty = p->pty;
    a->fd = p->proc.pty_fd;
    snprintf(a->meta, sizeof a->meta, "%.*s", (int)p->metalen, p->meta);
}

static struct rt_sandbox *make(struct tctx *t, const char *id, int mem_mb)
{
    struct rt_spec spec = {.id = id, .cpu_count = 1, .memory_mb = mem_mb, .pids_max = 256};
    struct rt_sandbox *sb = NULL;
    struct error err = {0};
    int64_t t0 = now_ms();
    if (rt_sandbox_create(t->rt, &spec, &sb, &err) < 0) {
        printf("# create %s: %s\n", id, err.msg);
        return NULL;
    }
    printf("# created %s in %lld ms\n", id, (long long)(now_ms() - t0));
    return sb;
}

static bool host_exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

static int read_counter(const char *path)
{
    char buf[64];
    if (rt_read_file(path, buf, sizeof buf) <= 0) return -1;
    return atoi(buf);
}

static void wait_ms(struct tctx *t, int ms)
{
    int64_t end = now_ms() + ms;
    while (now_ms() < end)
        pump(t, NULL, 0, (int)(end - now_ms()));
}

static bool cgroup_gone(const char *instance, const char *id)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "/sys/fs/cgroup/memory/boxtopd-%s/%s", instance, id);
    return !host_exists(p);
}

/* /proc/self/cgroup of a process in sandbox id: every controller boxtopd uses (v1: memory,
 * cpuacct, cpu, pids, freezer; v2: the one unified line) names the sandbox's own group. */
static bool in_own_cgroups(const char *text, const char *instance, const char *id, int version)
{
    static const char *const want[] = {"memory", "cpuacct", "cpu", "pids", "freezer"};
    char tail[128];
    snprintf(tail, sizeof tail, "/boxtopd-%s/%s", instance, id);
    int found = 0, need = version == 1 ? 5 : 1;
    for (const char *line = text; line && *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        char l[512];
        snprintf(l, sizeof l, "%.*s", (int)(len < sizeof l ? len : sizeof l - 1), line);
        char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (c1 && c2) {
            *c2 = '\0';
            const char *ctrls = c1 + 1, *path = c2 + 1;
            bool ours = strlen(path) >= strlen(tail) &&
                        strcmp(path + strlen(path) - strlen(tail), tail) == 0;
            if (version == 2 && !*ctrls) found += ours;
            for (size_t i = 0; version == 1 && i < sizeof want / sizeof want[0]; i++) {
                char buf[64];
                snprintf(buf, sizeof buf, ",%s,", ctrls);
                char w[32];
                snprintf(w, sizeof w, ",%s,", want[i]);
                if (strstr(buf, w)) {
                    if (!ours) return false;
                    found++;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return found >= need;
}

/* sudo as user: root (0) where the sandbox has a root, a clear failure where it has none. */
static void check_sudo(struct tctx *t, struct rt_sandbox *a, bool expected)
{
    char out[1024];
    int rc = run(t, a, "user", "sudo -n id -u", out, sizeof out, false, 0, 0);
    if (expected)
        ok(rc == 0 && strcmp(out, "0\n") == 0, "sudo -n id -u as user prints 0: %.200s", out);
    else
        ok(rc != 0 && strcmp(out, "0\n") != 0, "without a root inside, sudo fails: %.100s", out);
}

static void destroy_all(struct tctx *t)
{
    if (!t->rt) return;
    struct error err;
    while (t->rt->sandboxes)
        rt_sandbox_destroy(t->rt, t->rt->sandboxes, &err);
    int64_t end = now_ms() + 3000;
    while (t->rt->graves && now_ms() < end) {
        pump(t, NULL, 0, 50);
        rt_tick(t->rt); /* what the daemon's sample timer does (needed without pidfds) */
    }
}

static struct rt *new_rt(struct tctx *t)
{
    struct rt_hooks hooks = {.ud = t,
                             .watch_fd = h_watch,
                             .unwatch_fd = h_unwatch,
                             .proc_exited = h_exited,
                             .sandbox_died = h_died};
    struct error err = {0};
    struct rt *rt = NULL;
    if (rt_new(&rt, t->state, t->instance, NULL, &hooks, &err) < 0) {
        printf("# rt_new: %s\n", err.msg);
        return NULL;
    }
    /* The base image from the user's cache (built once per machine; `make check` builds it
     * before the tests run), or the host's root with BOXTOPD_TEST_BASE=host. */
    const char *b = getenv("BOXTOPD_TEST_BASE");
    struct rt_base_opts bo = {.host = b && strcmp(b, "host") == 0,
                              .tarball = getenv("BOXTOPD_TEST_BASE_ROOTFS")};
    t->rt = rt;
    if (rt_base_start(rt, &bo, &err) < 0) printf("# base: %s\n", err.msg);
    struct rt_base_status st;
    int64_t end = now_ms() + 15 * 60 * 1000;
    for (rt_base_get_status(rt, &st); st.state == RT_BASE_BUILDING && now_ms() < end;
         rt_base_get_status(rt, &st))
        pump(t, NULL, 0, 200);
    if (st.state == RT_BASE_FAILED) printf("# base image: %s\n", st.error);
    return rt;
}

static bool spare_ready(struct tctx *t, int ms)
{
    int64_t end = now_ms() + ms;
    while (!t->rt->spare.ready && now_ms() < end)
        pump(t, NULL, 0, 50);
    return t->rt->spare.ready;
}

/* Spares (rt_spare.c): a create takes the sandbox booted ahead of time, which then is that
 * sandbox in every way (name, files, limits, cgroups) and as fresh as a booted one; the next
 * spare boots after it. */
static void test_spare(struct tctx *t)
{
    char out[8192], p[PATH_MAX], want[128];
    if (!t->rt->spare.enabled) {
        printf("# no spare sandboxes in this mode\n");
        return;
    }
    ok(spare_ready(t, 10000), "a spare sandbox is booted ahead of time");
    const struct rt_sandbox *spare = t->rt->spare.sb;
    char spare_id[RT_ID_MAX + 1];
    snprintf(spare_id, sizeof spare_id, "%s", spare ? spare->id : "");
    struct rt_sandbox *s = make(t, "sbsp", 192);
    ok(s && s == spare && strcmp(rt_sandbox_id(s), "sbsp") == 0, "a create takes it as sbsp");
    if (!s) return;
    int rc = run(t, s, "user",
                 "hostname; cat /etc/hostname; grep -c '^127.0.1.1\tsbsp$' /etc/hosts; "
                 "ls -A /tmp | wc -l; ps -e | wc -l; id -u; test -s /etc/resolv.conf "
                 "&& echo resolv",
                 out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "sbsp\nsbsp\n1\n0\n5\n1000\nresolv\n") == 0,
       "its hostname, /etc/hostname and hosts name it; it is fresh (empty /tmp, only init "
       "and these processes): %.200s",
       out);
    snprintf(p, sizeof p, "%s/runtime/%s", t->state, spare_id);
    bool dir_gone = !host_exists(p);
    snprintf(p, sizeof p, "%s/runtime/sbsp/upper", t->state);
    ok(dir_gone && host_exists(p), "its directory is the sandbox's now");
    if (t->rt->cg.version == 1) {
        long long limit = 0;
        snprintf(p, sizeof p, "/sys/fs/cgroup/memory/boxtopd-%s/sbsp/memory.limit_in_bytes",
                 t->instance);
        rt_read_ll(p, &limit);
        snprintf(want, sizeof want, "/sys/fs/cgroup/pids/boxtopd-%s/%s", t->instance, spare_id);
        rc = run(t, s, "user", "cat /proc/self/cgroup", out, sizeof out, false, 0, 0);
        ok(limit == 192LL << 20 && !host_exists(want) &&
               in_own_cgroups(out, t->instance, "sbsp", 1),
           "its cgroups are renamed to sbsp, with its limits (%lld)", limit);
    }
    ok(spare_ready(t, 10000) && t->rt->spare.sb != s, "the next spare boots after it");
    rt_sandbox_destroy(t->rt, s, NULL);
}

/* A finished sandbox's writable layer taken as a read-only layer (a template build), stacked
 * under new sandboxes: its files, whiteouts and opaque directories show, two layers stack,
 * nothing of them is copied into a sandbox, and a snapshot seed keeps working on top. */
static void test_stack(struct tctx *t)
{
    struct error err = {0};
    char out[8192], l1[512], l2[512], p[PATH_MAX], lowers[1100];
    snprintf(l1, sizeof l1, "%s/layer-one", t->state);
    snprintf(l2, sizeof l2, "%s/layer-two", t->state);
    if (!rt_can_stack(t->rt)) {
        struct rt_spec spec = {.id = "sbl1", .memory_mb = 128, .lowers = l1};
        struct rt_sandbox *x = NULL;
        ok(rt_sandbox_create(t->rt, &spec, &x, &err) < 0 && err.kind == ERROR_USAGE,
           "without the image no stacked layers: %s", err.msg);
        return;
    }
    int64_t bytes = 0;
    struct rt_sandbox *b1 = make(t, "sbl1", 256);
    int rc = b1 ? run(t, b1, "root",
                      "echo one > /opt/one && mkdir -p /opt/d && echo x > /opt/d/x && "
                      "rm /etc/issue && echo mine > /home/user/mine",
                      out, sizeof out, false, 0, 0)
                : -1;
    rc |= b1 ? rt_sandbox_stop(t->rt, b1, &err) : -1;
    rc |= b1 ? rt_layer_take(t->rt, b1, l1, &bytes, &err) : -1;
    snprintf(p, sizeof p, "%s/opt/one", l1);
    ok(rc == 0 && host_exists(p) && bytes > 0, "a stopped sandbox's layer is taken (%lld B) %s",
       (long long)bytes, err.msg);
    snprintf(p, sizeof p, "%s/etc/hostname", l1);
    ok(!host_exists(p), "the layer has no per-sandbox /etc/hostname");
    if (b1) rt_sandbox_destroy(t->rt, b1, &err);
    if (rc) return;

    struct rt_spec spec = {.id = "sbl2", .cpu_count = 1, .memory_mb = 256, .lowers = l1};
    struct rt_sandbox *b2 = NULL;
    rc = rt_sandbox_create(t->rt, &spec, &b2, &err);
    ok(rc == 0, "a sandbox on one layer: %s", err.msg);
    if (rc) return;
    rc = run(t, b2, "root",
             "cat /opt/one /opt/d/x /home/user/mine; test ! -e /etc/issue && echo gone; "
             "test $(stat -c %u /opt/one) = $(id -u) && echo owned; cat /etc/hostname",
             out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "one\nx\nmine\ngone\nowned\nsbl2\n") == 0,
       "its files, whiteout, owners and own hostname show: %s", out);
    snprintf(p, sizeof p, "%s/runtime/sbl2/upper/opt", t->state);
    ok(!host_exists(p), "nothing of the layer is copied into the sandbox");
    rc = run(t, b2, "root",
             "echo two > /opt/two && rm /opt/one && rm -rf /opt/d && mkdir /opt/d && "
             "echo y > /opt/d/y",
             out, sizeof out, false, 0, 0);
    rc |= rt_sandbox_stop(t->rt, b2, &err);
    rc |= rt_layer_take(t->rt, b2, l2, &bytes, &err);
    rt_sandbox_destroy(t->rt, b2, &err);
    snprintf(p, sizeof p, "%s/opt/one", l2);
    struct stat wst;
    ok(rc == 0 && lstat(p, &wst) == 0 && S_ISCHR(wst.st_mode) && wst.st_rdev == 0,
       "a second layer over the first is taken, with a whiteout for a deleted file: %s", err.msg);
    snprintf(p, sizeof p, "%s/opt/one", l1);
    ok(host_exists(p), "the first layer is left as it was");

    snprintf(lowers, sizeof lowers, "%s\n%s\n", l2, l1);
    spec.id = "sbl3";
    spec.lowers = lowers;
    struct rt_sandbox *b3 = NULL;
    rc = rt_sandbox_create(t->rt, &spec, &b3, &err);
    ok(rc == 0 && strcmp(rt_sandbox_lowers(b3), lowers) == 0, "a sandbox on two layers: %s",
       err.msg);
    if (rc) return;
    rc = run(t, b3, "user",
             "cat /opt/two; test ! -e /opt/one && echo one-gone; ls /opt/d; "
             "test ! -e /etc/issue && echo issue-gone; echo new > /home/user/new",
             out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "two\none-gone\ny\nissue-gone\n") == 0,
       "the upper layer's whiteout and opaque directory hide the lower one's files: %s", out);

    uint32_t idbase;
    char seed[PATH_MAX];
    snprintf(seed, sizeof seed, "%s/seed", t->state);
    rc = rt_sandbox_export(t->rt, b3, seed, &idbase, &bytes, &err);
    spec.id = "sbl4";
    spec.seed_dir = seed;
    spec.seed_idbase = idbase;
    spec.lowers = rt_sandbox_lowers(b3);
    struct rt_sandbox *b4 = NULL;
    rc |= rt_sandbox_create(t->rt, &spec, &b4, &err);
    rc |= b4 ? run(t, b4, "user", "cat /home/user/new /opt/two /home/user/mine", out, sizeof out,
                   false, 0, 0)
             : -1;
    ok(rc == 0 && strcmp(out, "new\ntwo\nmine\n") == 0,
       "a snapshot of it starts on the same layers with its changes: %s %s", out, err.msg);
    rt_rm_rf(seed);
}

int main(void)
{
    static struct tctx t;
    struct error err = {0};
    char out[8192], p[PATH_MAX];
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(t.state, sizeof t.state, "/tmp/boxtopd-rt-test-XXXXXX");
    if (!mkdtemp(t.state)) {
        printf("1..1\nnot ok 1 - mkdtemp\n");
        return 1;
    }
    snprintf(t.instance, sizeof t.instance, "test%d", (int)getpid());
    bool root = geteuid() == 0;
    bool sudo_expected = root;
    bool forced_plain = false;

    t.rt = new_rt(&t);
    ok(t.rt != NULL, "rt_new");
    if (!t.rt) goto out;
    struct rt_caps caps;
    rt_get_caps(t.rt, &caps);
    printf("# caps: userns=%d overlay=%d cgroup=v%d freezer=%d missing='%s'\n", caps.userns,
           caps.overlay, caps.cgroup_version, caps.freezer, caps.missing);
    forced_plain = getenv("BOXTOPD_ISOLATION") != NULL;
    if (root && !forced_plain)
        ok(caps.userns && caps.pidns && caps.overlay && caps.cgroup && caps.freezer &&
               !caps.missing[0],
           "full isolation available as root");

    /* Rootless (issue 14): a root inside (sudo) needs the user's subordinate id range; without
     * one boxtopd says so plainly. test_runtime_rootless.sh says which case this is. */
    const char *want_sudo = getenv("BOXTOPD_TEST_SUDO");
    sudo_expected = root || (want_sudo ? strcmp(want_sudo, "yes") == 0
                                       : !strstr(caps.missing, "sudo unavailable"));
    if (!root && caps.userns && want_sudo) {
        struct passwd *pw = getpwuid(getuid());
        char want[160];
        snprintf(want, sizeof want, "sudo unavailable: no subordinate range for %s",
                 pw ? pw->pw_name : "?");
        if (sudo_expected)
            ok(!strstr(caps.missing, "sudo unavailable"),
               "rootless with a subordinate range: a root inside (missing='%s')", caps.missing);
        else
            ok(strstr(caps.missing, want) && strstr(caps.missing, "usermod --add-subuids") &&
                   strstr(caps.missing, "install uidmap)") &&
                   (caps.cgroup || strstr(caps.missing, "cgroups (no memory/cpu/pids limits)")),
               "no subordinate range: boxtopd says so and how to add one: %s", caps.missing);
    }

    struct rt_sandbox *a = make(&t, "sbxa", 256);
    ok(a != NULL, "create sandbox A");
    if (!a) goto out;
    if (getenv("BOXTOPD_TEST_SUDO_ONLY")) { /* the wrapper's short second run */
        check_sudo(&t, a, sudo_expected);
        goto out;
    }
    {
        struct rt_sandbox *x = NULL;
        struct rt_spec bad = {.id = "../evil", .memory_mb = 64};
        struct error e1 = {0}, e2 = {0};
        int r1 = rt_sandbox_create(t.rt, &bad, &x, &e1);
        bad.id = "sbxa";
        int r2 = rt_sandbox_create(t.rt, &bad, &x, &e2);
        snprintf(p, sizeof p, "%s/evil", t.state);
        ok(r1 < 0 && e1.kind == ERROR_USAGE && r2 < 0 && e2.kind == ERROR_CONFLICT &&
               !host_exists(p) && !host_exists("/tmp/evil"),
           "bad and duplicate ids are refused (%s / %s)", e1.msg, e2.msg);
    }
    int rc = run(&t, a, "user", "echo hello; id -u; id -un; pwd", out, sizeof out, false, 0, 0);
    ok(rc == 0 && strstr(out, "hello\n") &&
           (!caps.userns || (strstr(out, "1000\nuser\n/home/user") != NULL)),
       "spawn as user: rc=%d out=%.60s", rc, out);

    if (caps.cgroup && caps.cgroup_version > 0) {
        rc = run(&t, a, "user", "cat /proc/self/cgroup", out, sizeof out, false, 0, 0);
        ok(rc == 0 && in_own_cgroups(out, t.instance, "sbxa", caps.cgroup_version),
           "a process inside is in the sandbox's cgroup in every controller: %.300s", out);
    }

    rc = run(&t, a, "user", "exit 7", NULL, 0, false, 0, 0);
    ok(rc == 7, "exit code reported (%d)", rc);

    rc = run(&t, a, "user", "stty size; echo \"$TERM\"", out, sizeof out, true, 33, 111);
    ok(rc == 0 && strstr(out, "33 111") && strstr(out, "xterm-256color"),
       "pty size and TERM: rc=%d out=%.40s", rc, out);

    {
        const char *argv[] = {"definitely-not-a-command-xyz", NULL};
        struct rt_spawn sp = {.argv = argv, .envp = env_user};
        struct rt_proc pr;
        ok(rt_spawn(t.rt, a, &sp, &pr, &err) < 0 && err.kind == ERROR_NOT_FOUND,
           "missing command is an error: %s", err.msg);
    }

    bool ns = caps.userns; /* full (root) or rootless namespaces */
    struct rt_base_status bst0;
    rt_base_get_status(t.rt, &bst0);
    bool image = ns && bst0.state == RT_BASE_READY; /* else --base host or plain */
    printf("# base: %s\n", image ? bst0.lower : bst0.state == RT_BASE_HOST ? "host" : "none");
    if (ns && !getenv("BOXTOPD_TEST_BASE")) ok(image, "the base image is ready: %s", bst0.error);
    if (ns) {
        rc = run(&t, a, "user", "ps -e -o pid=,comm=", out, sizeof out, false, 0, 0);
        int lines = 0;
        for (char *s = out; *s; s++)
            lines += *s == '\n';
        ok(rc == 0 && lines <= 4 && strstr(out, "1 boxtopd-init"),
           "ps -e sees only the sandbox (%d lines)", lines);

        rc = run(&t, a, "user", "hostname", out, sizeof out, false, 0, 0);
        ok(rc == 0 && strcmp(out, "sbxa\n") == 0, "hostname is the id: %.30s", out);

        rc = run(&t, a, "root",
                 "echo x > /usr/boxtop-rt-x; echo x > /etc/boxtop-rt-x; "
                 "echo y >> /etc/passwd; true",
                 NULL, 0, false, 0, 0);
        char hostpw[8192];
        rt_read_file("/etc/passwd", hostpw, sizeof hostpw);
        ok(!host_exists("/usr/boxtop-rt-x") && !host_exists("/etc/boxtop-rt-x") &&
               !strstr(hostpw, "\ny\n"),
           "writes to /usr and /etc do not reach the host");

        snprintf(p, sizeof p, "%s/api-key", t.state);
        rt_write_file(p, "e2b_secret\n", 11, 0600);
        char cmd[1024];
        /* On the image, /etc/shadow is the image's own (root inside may read it); the host's
         * must stay out of reach under every name. */
        char hostsh[8192] = "";
        bool have_host_shadow = rt_read_file("/etc/shadow", hostsh, sizeof hostsh) > 0;
        char *nl = strchr(hostsh, '\n');
        if (nl) *nl = '\0'; /* its first line ("root:<hash>:...") */
        rc = run(&t, a, "root", "cat /etc/shadow /proc/1/root/etc/shadow 2>&1", out, sizeof out,
                 false, 0, 0);
        ok(image ? (!have_host_shadow || !strstr(out, hostsh)) : (rc != 0 && !strstr(out, "root:")),
           "root inside cannot read the host's /etc/shadow (rc=%d)", rc);
        snprintf(cmd, sizeof cmd, "cat %s/api-key; ls -a %s", t.state, t.state);
        rc = run(&t, a, "root", cmd, out, sizeof out, false, 0, 0);
        ok(!strstr(out, "e2b_secret") && !strstr(out, "runtime"),
           "state dir hidden from sandbox root: %.60s", out);
        rc = run(&t, a, "root", "ls /root/ | wc -l", out, sizeof out, false, 0, 0);
        ok(rc == 0 && atoi(out) == 0, "host /root not visible (%s)", out);
    }
    if (image) {
        /* Only the image: the same top-level names as the unpacked image, no host marker
         * (a new top-level directory, the host user's home), Debian bookworm everywhere, the
         * base template's tools, and sudo for user. */
        char marker_dir[64], marker[PATH_MAX], home_marker[PATH_MAX], want[4096] = "",
                                                                      cmd[3 * PATH_MAX];
        /* Not root, a new top-level directory cannot be made: a new one in the host's /tmp
         * (the sandbox has its own) instead. */
        bool top_level = geteuid() == 0;
        snprintf(marker_dir, sizeof marker_dir, "%s/boxtop-marker-%d", top_level ? "" : "/tmp",
                 (int)getpid());
        snprintf(marker, sizeof marker, "%s/marker", marker_dir);
        const char *home = getenv("HOME");
        snprintf(home_marker, sizeof home_marker, "%s/.boxtop-marker-%d", home ? home : "/root",
                 (int)getpid());
        /* Run as root by test_runtime_rootless.sh: the wrapper placed a top-level one. */
        const char *given = getenv("BOXTOPD_TEST_MARKER");
        bool placed =
            given ? host_exists(given)
                  : mkdir(marker_dir, 0755) == 0 && rt_write_file(marker, "m\n", 2, 0644) == 0;
        if (given) snprintf(marker, sizeof marker, "%s", given);
        placed = placed && rt_write_file(home_marker, "m\n", 2, 0644) == 0;
        struct rt_base_status bst;
        rt_base_get_status(t.rt, &bst);
        snprintf(cmd, sizeof cmd, "ls -A %s | sort | tr '\\n' ' '", bst.lower);
        FILE *f = popen(cmd, "r");
        if (f) {
            if (!fgets(want, sizeof want, f)) want[0] = '\0';
            pclose(f);
        }
        rc = run(&t, a, "user", "ls -A / | sort | tr '\\n' ' '", out, sizeof out, false, 0, 0);
        ok(rc == 0 && want[0] && strcmp(out, want) == 0, "ls / shows the image's directories: %s",
           out);
        snprintf(cmd, sizeof cmd,
                 "test -e %s && echo SEEN; test -e %s && echo SEEN; "
                 "find / -xdev -name '*boxtop-marker*' 2>/dev/null | grep . ; echo done",
                 marker, home_marker);
        rc = run(&t, a, "root", cmd, out, sizeof out, false, 0, 0);
        ok(placed && strcmp(out, "done\n") == 0,
           "host markers (a new %s, the host's home) are invisible: %.200s",
           given || top_level ? "top-level dir" : "dir in /tmp", out);
        if (!given) {
            unlink(marker);
            rmdir(marker_dir);
        }
        unlink(home_marker);
        rc = run(&t, a, "user", ". /etc/os-release; echo \"$ID $VERSION_CODENAME\"", out,
                 sizeof out, false, 0, 0);
        ok(rc == 0 && strcmp(out, "debian bookworm\n") == 0, "/etc/os-release: %.60s", out);
        rc = run(&t, a, "user",
                 "python3 -c 'import sys' && pip --version && git --version && curl --version "
                 "| head -1",
                 out, sizeof out, false, 0, 0);
        ok(rc == 0 && strstr(out, "pip ") && strstr(out, "git version") && strstr(out, "curl "),
           "python3, pip, git and curl work: %.200s", out);
        check_sudo(&t, a, sudo_expected);
        if (!root && sudo_expected) {
            /* root's files belong to the subordinate range on the host, not to the user (and
             * destroy still removes them: see the end) */
            rc = run(&t, a, "root",
                     "id -u; mkdir -m 700 /opt/boxtop-rootdir && echo x > /opt/boxtop-rootdir/f "
                     "&& stat -c %u /opt/boxtop-rootdir/f",
                     out, sizeof out, false, 0, 0);
            struct stat st = {0};
            snprintf(p, sizeof p, "%s/runtime/sbxa/upper/opt/boxtop-rootdir", t.state);
            int sr = lstat(p, &st);
            ok(rc == 0 && sr == 0 && strcmp(out, "0\n0\n") == 0 && st.st_uid != getuid() &&
                   st.st_uid != 0,
               "rootless: root runs as 0 inside, its files belong to the range (host uid %u): "
               "%.60s",
               (unsigned)st.st_uid, out);
            /* /etc is root's as in the image, with the files boxtopd writes per sandbox */
            rc = run(&t, a, "user",
                     "stat -c %U:%G /etc /etc/hostname /etc/resolv.conf; "
                     "touch /etc/boxtop-x 2>/dev/null && echo WROTE || echo DENIED",
                     out, sizeof out, false, 0, 0);
            ok(rc == 0 && strcmp(out, "root:root\nroot:root\nroot:root\nDENIED\n") == 0,
               "rootless: /etc and its per-sandbox files are root's, user cannot write there: "
               "%.80s",
               out);
            /* a user root adds (as a template build's useradd) is known: it runs as itself */
            rc = run(&t, a, "root", "useradd -m rtadded && echo added", out, sizeof out, false, 0,
                     0);
            int rc2 = run(&t, a, "rtadded", "id -un; pwd; touch ~/f && stat -c %U ~/f", p, sizeof p,
                          false, 0, 0);
            ok(rc == 0 && rc2 == 0 && strcmp(p, "rtadded\n/home/rtadded\nrtadded\n") == 0,
               "rootless: a user root added runs as itself, in its home: %.80s %.80s", out, p);
        }
    }
    if (ns) {
        /* init cannot be taken over (ptrace, /proc/1/environ) and nothing can be unmounted
         * or mounted over by root inside. */
        rc = run(&t, a, "root",
                 "cat /proc/1/environ >/dev/null 2>&1 && echo LEAK; "
                 "mount -t tmpfs t /tmp 2>/dev/null && echo MOUNTED; "
                 "umount -l /proc 2>/dev/null && echo UMOUNTED; "
                 "kill -9 1 2>/dev/null; ls /proc/1/ >/dev/null && echo ALIVE",
                 out, sizeof out, false, 0, 0);
        ok(rc == 0 && strcmp(out, "ALIVE\n") == 0, "init is out of reach of root inside: %.60s",
           out);
    }
    if (root && ns) {
        rc = run(&t, a, "root", "id -u && echo hi > /root/f && cat /root/f && ls -ld /home/user",
                 out, sizeof out, false, 0, 0);
        ok(rc == 0 && strncmp(out, "0\nhi\n", 5) == 0 && strstr(out, " user user "),
           "root is 0 with its own /root, /home/user belongs to user: %.80s", out);
    }

    struct rt_sandbox *b = make(&t, "sbxb", 128);
    ok(b != NULL, "create sandbox B");
    if (!b) goto out;
    if (ns) {
        rc = run(&t, a, "user", "echo a > /tmp/afile; echo a > /home/user/afile", NULL, 0, false, 0,
                 0);
        rc = run(&t, b, "user", "cat /tmp/afile /home/user/afile", out, sizeof out, false, 0, 0);
        ok(rc != 0 && !strstr(out, "a\n"), "B does not see A's /tmp and /home/user (rc=%d)", rc);
        ok(!host_exists("/tmp/afile"), "A's /tmp is not the host's /tmp");
    }
    if (caps.cgroup) {
        /* The hog: b'x'*N touches every page, so the cgroup limit bites. */
        rc = run(&t, b, "user", "python3 -c \"a=b'x'*(10**9)\"", out, sizeof out, false, 0, 0);
        struct rt_metrics mb;
        rt_sample(t.rt, b, &mb, &err);
        ok(rc == 128 + SIGKILL && mb.oom_kills >= 1,
           "memory hog killed in its cgroup (rc=%d, oom_kills=%lld)", rc, (long long)mb.oom_kills);
        rc = run(&t, a, "user", "echo still", out, sizeof out, false, 0, 0);
        ok(rc == 0 && strcmp(out, "still\n") == 0, "other sandbox still answers");
        rc = run(&t, b, "user", "echo alive", out, sizeof out, false, 0, 0);
        ok(rc == 0 && t.died == 0, "the hog's sandbox survives too");
    }
    {
        /* Freeze: a counter in A's home, read from the host (upper dir, or plain home). */
        const char *argv[] = {"/bin/sh", "-c",
                              "i=0; while :; do i=$((i+1)); echo $i > $HOME/cnt; sleep 0.02; done",
                              NULL};
        uid_t uid;
        gid_t gid;
        const char *home;
        rt_user_ids(a, "user", &uid, &gid, &home);
        char homevar[PATH_MAX + 8];
        snprintf(homevar, sizeof homevar, "HOME=%s", home);
        const char *env[] = {env_user[0], homevar, NULL};
        struct rt_spawn sp = {.argv = argv, .envp = env};
        struct rt_proc pr;
        rc = rt_spawn(t.rt, a, &sp, &pr, &err);
        if (caps.userns) /* the sandbox's home is in the writable layer */
            snprintf(p, sizeof p, "%s/runtime/sbxa/upper/home/user/cnt", t.state);
        else
            snprintf(p, sizeof p, "%s/cnt", home);
        /* The machine may be busy: wait for the counter to run, then for it to move on. */
        int c1 = -1;
        for (int64_t end = now_ms() + 5000; c1 <= 1 && now_ms() < end; c1 = read_counter(p))
            wait_ms(&t, 50);
        rc |= rt_sandbox_freeze(t.rt, a, &err);
        wait_ms(&t, 200);
        int c2 = read_counter(p);
        wait_ms(&t, 500);
        int c3 = read_counter(p);
        struct rt_proc pr2;
        bool spawn_refused = rt_spawn(t.rt, a, &sp, &pr2, &err) < 0;
        rc |= rt_sandbox_thaw(t.rt, a, &err);
        int c4 = c3;
        for (int64_t end = now_ms() + 5000; c4 <= c3 && now_ms() < end; c4 = read_counter(p))
            wait_ms(&t, 50);
        ok(rc == 0 && c1 > 0 && c2 == c3 && c4 > c3 && spawn_refused,
           "freeze stops and thaw resumes a counter (%d %d %d %d)", c1, c2, c3, c4);
        if (pr.stdout_fd >= 0) {
            rt_signal(t.rt, a, pr.pid, SIGKILL, &err);
            close(pr.stdout_fd);
            close(pr.stderr_fd);
        }

        /* Metrics rise under load. */
        struct rt_metrics m1, m2;
        rt_sample(t.rt, a, &m1, &err);
        const char *yes[] = {"/bin/sh", "-c", "yes > /dev/null", NULL};
        sp.argv = yes;
        rc = rt_spawn(t.rt, a, &sp, &pr, &err);
        wait_ms(&t, 1000);
        rt_sample(t.rt, a, &m2, &err);
        printf("# metrics: cpu %lld -> %lld ns, mem %lld/%lld, disk %lld/%lld, pids %d -> %d\n",
               (long long)m1.cpu_usage_ns, (long long)m2.cpu_usage_ns, (long long)m2.mem_used,
               (long long)m2.mem_total, (long long)m2.disk_used, (long long)m2.disk_total, m1.pids,
               m2.pids);
        ok(rc == 0 && m2.cpu_usage_ns - m1.cpu_usage_ns > 100000000LL && m2.pids >= 3 &&
               m2.mem_total == 256LL * 1024 * 1024 && m2.mem_used > 0 && m2.disk_used > 0 &&
               m2.disk_total > m2.disk_used,
           "metrics: cpu rises under yes; init, sh and yes counted; limit and disk reported");
        if (rc == 0) {
            rt_signal(t.rt, a, pr.pid, SIGKILL, &err);
            close(pr.stdout_fd);
            close(pr.stderr_fd);
        }
    }
    if (ns) {
        /* Host-side root fd for confined file access. */
        int rfd = rt_root_fd(a);
        int hf = rfd >= 0 ? openat(rfd, "etc/hostname", O_RDONLY | O_CLOEXEC) : -1;
        char hn[64] = {0};
        if (hf >= 0) {
            if (read(hf, hn, sizeof hn - 1) < 0) hn[0] = '\0';
            close(hf);
        }
        ok(strcmp(hn, "sbxa\n") == 0, "rt_root_fd sees the sandbox's /etc/hostname");
    }

    /* Restart: a new rt adopts the running A; after a stop A comes back files-only. */
    run(&t, a, "user", "echo kept > $HOME/keep", NULL, 0, false, 0, 0);
    /* A shell on a pty whose master boxtopd loses (a crash): init's copy keeps it alive. */
    const char *sh_argv[] = {"/bin/sh", NULL};
    struct rt_spawn shs = {
        .argv = sh_argv, .envp = env_user, .pty = true, .keep = true, .meta = "m-sh", .metalen = 4};
    struct rt_proc shp;
    rc = rt_spawn(t.rt, a, &shs, &shp, &err);
    ok(rc == 0, "a pty shell with metadata starts: %s", err.msg);
    if (rc == 0) close(shp.pty_fd);
    rt_free(t.rt);
    t.nwatched = 0;
    t.rt = new_rt(&t);
    struct rt_spec spec = {.id = "sbxa", .cpu_count = 1, .memory_mb = 256};
    rc = t.rt ? rt_sandbox_open(t.rt, &spec, &a, &err) : -1;
    ok(rc == 1 && rt_sandbox_running(a), "open adopts a running sandbox (%d %s)", rc, err.msg);
    if (rc != 1) goto out;
    struct adopted got = {.fd = -1};
    int nad = rt_procs_adopt(t.rt, a, on_adopted, &got, &err);
    ok(nad == 1 && got.pid == shp.pid && got.pty && got.fd >= 0 && strcmp(got.meta, "m-sh") == 0,
       "the shell is given back with its metadata (%d: pid %d/%d, meta '%s') %s", nad, (int)got.pid,
       (int)shp.pid, got.meta, nad < 0 ? err.msg : "");
    if (got.fd >= 0) {
        char sh_out[4096] = {0};
        size_t sl = 0;
        static const char cmd[] = "echo ADOPTED-$((3*4))\n";
        bool sent = write(got.fd, cmd, sizeof cmd - 1) == (ssize_t)(sizeof cmd - 1);
        for (int64_t end = now_ms() + 10000;
             sent && now_ms() < end && !strstr(sh_out, "ADOPTED-12");) {
            int fd1[1] = {got.fd};
            pump(&t, fd1, 1, 100);
            ssize_t r = read(got.fd, sh_out + sl, sizeof sh_out - 1 - sl);
            if (r > 0) sl += (size_t)r;
        }
        ok(strstr(sh_out, "ADOPTED-12") != NULL, "the adopted shell answers on its pty");
        rt_signal(t.rt, a, got.pid, SIGKILL, &err);
        close(got.fd);
    }
    rc = run(&t, a, "user", "cat $HOME/keep", out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "kept\n") == 0, "adopted sandbox runs commands");
    /* A paused sandbox stays paused across a restart, and thaws. */
    rc = rt_sandbox_freeze(t.rt, a, &err);
    rt_free(t.rt);
    t.nwatched = 0;
    t.rt = new_rt(&t);
    rc |= t.rt ? rt_sandbox_open(t.rt, &spec, &a, &err) != 1 : 1;
    ok(rc == 0 && rt_sandbox_frozen(a), "open adopts a paused sandbox as paused (%d %s)", rc,
       err.msg);
    if (rc != 0) goto out;
    rc = rt_sandbox_thaw(t.rt, a, &err);
    rc |= run(&t, a, "user", "cat $HOME/keep", out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "kept\n") == 0 && !rt_sandbox_frozen(a), "thawed after adoption");
    rt_sandbox_stop(t.rt, a, &err);
    rt_free(t.rt);
    t.nwatched = 0;
    t.rt = new_rt(&t);
    rc = t.rt ? rt_sandbox_open(t.rt, &spec, &a, &err) : -1;
    ok(rc == 0 && !rt_sandbox_running(a), "open after stop: files only (%d %s)", rc, err.msg);
    if (rc != 0) goto out;
    rc = rt_sandbox_boot(t.rt, a, &err);
    ok(rc == 0, "boot a fresh init on the same files: %s", err.msg);
    rc = run(&t, a, "user", "cat $HOME/keep", out, sizeof out, false, 0, 0);
    ok(rc == 0 && strcmp(out, "kept\n") == 0, "files survive stop + boot");

    spec.id = "sbxb";
    struct rt_sandbox *b2;
    rc = rt_sandbox_open(t.rt, &spec, &b2, &err);
    ok(rc == 1, "B adopted too");

    /* A boxtopd killed with SIGKILL: another process creates sandbox K, then dies. */
    int sync[2];
    if (pipe(sync) < 0) goto out;
    pid_t k = fork();
    if (k == 0) {
        struct tctx *t2 = calloc(1, sizeof *t2);
        close(sync[0]);
        if (!t2) _exit(1);
        snprintf(t2->state, sizeof t2->state, "%s", t.state);
        snprintf(t2->instance, sizeof t2->instance, "%s", t.instance);
        t2->rt = new_rt(t2);
        struct rt_sandbox *kb = t2->rt ? make(t2, "sbxk", 128) : NULL;
        if (kb && run(t2, kb, "user", "echo survived > $HOME/k", NULL, 0, false, 0, 0) == 0) {
            if (write(sync[1], "1", 1) < 0) _exit(1);
        }
        for (;;)
            pause();
    }
    close(sync[1]);
    char c = 0;
    struct pollfd pw = {.fd = sync[0], .events = POLLIN};
    bool child_ready = poll(&pw, 1, 20000) == 1 && read(sync[0], &c, 1) == 1;
    close(sync[0]);
    if (k > 0) {
        kill(k, SIGKILL);
        waitpid(k, NULL, 0);
    }
    spec.id = "sbxk";
    struct rt_sandbox *kb = NULL;
    rc = child_ready ? rt_sandbox_open(t.rt, &spec, &kb, &err) : -1;
    ok(rc == 1, "a sandbox outlives the SIGKILLed process that made it and is adopted (%d)", rc);
    if (rc == 1) {
        rc = run(&t, kb, "user", "cat $HOME/k", out, sizeof out, false, 0, 0);
        ok(rc == 0 && strcmp(out, "survived\n") == 0, "its files and init work after adoption");
    }
    test_spare(&t);
    test_stack(&t);
    destroy_all(&t);
    snprintf(p, sizeof p, "%s/runtime/sbxa", t.state);
    ok(!host_exists(p) &&
           (!root || (cgroup_gone(t.instance, "sbxa") && cgroup_gone(t.instance, "sbxb"))),
       "destroy removes files and cgroups");
    rc = rt_sandbox_open(t.rt, &spec, &b2, &err);
    ok(rc == -1, "a destroyed sandbox cannot be opened");

out:
    destroy_all(&t);
    rt_free(t.rt);
    /* Sandboxes a failed check left unloaded: load and destroy them too. */
    t.rt = new_rt(&t);
    const char *ids[] = {"sbxa", "sbxb", "sbxk"};
    for (int i = 0; t.rt && i < 3; i++) {
        struct rt_spec sp2 = {.id = ids[i]};
        struct rt_sandbox *x;
        if (rt_sandbox_open(t.rt, &sp2, &x, &err) >= 0) rt_sandbox_destroy(t.rt, x, &err);
    }
    destroy_all(&t);
    rt_free(t.rt);
    if (root && !forced_plain) {
        /* spares too (also the one of the SIGKILLed process above): no directory, no cgroup */
        snprintf(p, sizeof p, "ls -A '%s/runtime' | grep -c '^\\.spare-'", t.state);
        FILE *f = popen(p, "r");
        int spares = -1;
        if (f) {
            if (fscanf(f, "%d", &spares) != 1) spares = -1;
            pclose(f);
        }
        snprintf(p, sizeof p, "/sys/fs/cgroup/memory/boxtopd-%s", t.instance);
        ok(spares == 0 && !host_exists(p), "nothing of spare sandboxes is left (%d)", spares);
    }
    if (!root && sudo_expected) { /* the deletions in the range's namespace have finished */
        snprintf(p, sizeof p, "%s/runtime", t.state);
        char cmd[PATH_MAX + 32];
        snprintf(cmd, sizeof cmd, "ls -A '%s' 2>&1", p);
        FILE *f = popen(cmd, "r");
        char left[512] = "";
        if (f) {
            if (!fgets(left, sizeof left, f)) left[0] = '\0';
            pclose(f);
        }
        ok(left[0] == '\0', "rootless: nothing of the destroyed sandboxes is left: %s", left);
    }
    struct rt_subid sub = {0};
    char why[512];
    if (!root) rt_subid_usable(&sub, why, sizeof why);
    rt_subid_rm_rf(&sub, t.state);
    if (ntest == 0) ok(false, "nothing ran");
    printf("1..%d\n", ntest);
    return nfail ? 1 : 0;
}
