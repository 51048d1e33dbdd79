/* rt_core.c - the runtime object: capability probe, and the sandbox lifecycle (create, open
 * after a restart, boot, freeze/thaw, stop, destroy).
 *
 * On disk, per sandbox, DIR/runtime/<id>/ (0711 in a 0700 DIR/runtime): meta ("idbase N"), upper/
 * and work/ (overlay layers; plain mode: home/), root/ (mount point, only mounted inside the
 * sandbox's own mount namespace, never in boxtopd's), ctl.sock (init's control socket) and
 * init.pid ("hostpid starttime", present while init runs). Destroyed sandboxes are renamed to
 * DIR/runtime/.trash-<id>-<n> first, so a half-deleted one is never taken for a live one. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "rt_internal.h"

/* Can this process build namespaced sandboxes? A throwaway child tries the hard parts. As
 * root: an overlay with lowerdir=/ in a private mount ns, then user and pid namespaces. As
 * another user: user+mount+pid namespaces with its own uid mapped, and an overlay of /usr
 * with userxattr (else read-only binds are used). Either way also a network namespace with
 * its loopback up, as a sandbox without internet access gets one (rt_net.c). */
static void probe(struct rt *rt, bool *mountns, bool *overlay, bool *userns, bool *netns)
{
    *mountns = *overlay = *userns = *netns = false;
    char base[PATH_MAX], up[PATH_MAX], wk[PATH_MAX], mnt[PATH_MAX], opts[3 * PATH_MAX + 64];
    if (rt_path(base, sizeof base, "%s/.probe-%d", rt->rt_dir, (int)getpid()) < 0 ||
        rt_path(up, sizeof up, "%s/u", base) < 0 || rt_path(wk, sizeof wk, "%s/w", base) < 0 ||
        rt_path(mnt, sizeof mnt, "%s/m", base) < 0 ||
        rt_path(opts, sizeof opts, "lowerdir=%s,upperdir=%s,workdir=%s%s",
                rt->is_root ? "/" : "/usr", up, wk, rt->is_root ? "" : ",userxattr") < 0)
        return;
    rt_rm_rf(base);
    if (mkdir(base, 0700) < 0 || mkdir(up, 0755) < 0 || mkdir(wk, 0700) < 0 ||
        mkdir(mnt, 0755) < 0) {
        rt_rm_rf(base);
        return;
    }
    uid_t uid = getuid();
    gid_t gid = getgid();
    pid_t pid = fork();
    if (pid == 0) {
        int bits = 0;
        char why[256];
        if (rt->is_root) {
            if (unshare(CLONE_NEWNS) == 0 &&
                mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0) {
                bits |= 1;
                if (mount("overlay", mnt, "overlay", 0, opts) == 0) bits |= 2;
            }
            if (rt_net_isolate(why, sizeof why) == 0) bits |= 8;
            if (unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC) == 0) bits |= 4;
            _exit(bits);
        }
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0 ||
            rt_rootfs_self_map(uid, gid, why, sizeof why) < 0)
            _exit(0);
        bits |= 4;
        if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0) bits |= 1;
        if (mount("overlay", mnt, "overlay", 0, opts) == 0) bits |= 2;
        if (unshare(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC) < 0) bits &= ~4;
        if (rt_net_isolate(why, sizeof why) == 0) bits |= 8; /* owned by the new user ns */
        _exit(bits);
    }
    int st = 0;
    if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st)) {
        *mountns = WEXITSTATUS(st) & 1;
        *overlay = WEXITSTATUS(st) & 2;
        *userns = WEXITSTATUS(st) & 4;
        *netns = WEXITSTATUS(st) & 8;
    }
    rt_rm_rf(base);
}

int rt_new(struct rt **out, const char *state_dir, const char *instance, struct log *lg,
           const struct rt_hooks *hooks, struct error *err)
{
    *out = NULL;
    if (!state_dir || !*state_dir || strchr(state_dir, ',') || strchr(state_dir, ':') ||
        strchr(state_dir, '\\'))
        return error_set(err, ERROR_USAGE, "state dir must not contain ',', ':' or '\\'");
    if (!rt_id_valid(instance) || strlen(instance) > 40)
        return error_set(err, ERROR_USAGE, "bad runtime instance name");
    struct rt *rt = calloc(1, sizeof *rt);
    if (!rt) return error_set(err, ERROR_GENERIC, "out of memory");
    rt->lg = lg;
    if (hooks) rt->hooks = *hooks;
    snprintf(rt->instance, sizeof rt->instance, "%s", instance);
    rt->is_root = geteuid() == 0;
    if (getrlimit(RLIMIT_NOFILE, &rt->nofile) < 0) /* sandboxes get it (rt_set_nofile) */
        rt->nofile.rlim_cur = RLIM_INFINITY;       /* unknown: nothing to give back */
    if (rt_mkdir_p(state_dir, 0700) < 0 || !realpath(state_dir, rt->state_dir) ||
        rt_path(rt->rt_dir, sizeof rt->rt_dir, "%s/runtime", rt->state_dir) < 0 ||
        (mkdir(rt->rt_dir, 0700) < 0 && errno != EEXIST) || chmod(rt->rt_dir, 0700) < 0) {
        error_set(err, ERROR_GENERIC, "state dir %s: %s", state_dir, strerror(errno));
        free(rt);
        return -1;
    }
    chmod(rt->state_dir, 0700); /* sandboxes map to other uids: nothing here is theirs */
    rt_idmap_detect(&rt->idmap_base, &rt->idmap_slots);
    rt->base.fd = -1;
    rt->init_exe = rt_init_exe_open();
    bool mountns, overlay, userns, netns;
    /* BOXTOPD_ISOLATION=plain turns namespaces off (kernels where they misbehave; tests). */
    const char *iso = getenv("BOXTOPD_ISOLATION");
    if (iso && strcmp(iso, "plain") == 0)
        mountns = overlay = userns = netns = false;
    else
        probe(rt, &mountns, &overlay, &userns, &netns);
    if (rt->is_root)
        rt->mode = mountns && overlay && userns ? RT_MODE_FULL : RT_MODE_PLAIN;
    else
        rt->mode = mountns && userns ? RT_MODE_ROOTLESS : RT_MODE_PLAIN;
    rt_cgroup_detect(rt);
    /* Rootless: a real root inside (sudo) needs the user's subordinate ids; else say how. */
    char subid_why[512] = "";
    if (rt->mode == RT_MODE_ROOTLESS) rt_subid_usable(&rt->sub, subid_why, sizeof subid_why);

    struct rt_caps *c = &rt->caps;
    /* Deletions an earlier run did not finish: continue them bit by bit. */
    DIR *d = opendir(rt->rt_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        bool spare = strncmp(e->d_name, RT_SPARE_PREFIX, 7) == 0;
        bool seed = strncmp(e->d_name, RT_SEED_PREFIX, strlen(RT_SEED_PREFIX)) == 0;
        if (strncmp(e->d_name, ".trash-", 7) != 0 && !spare && !seed) continue;
        struct rt_grave *g = calloc(1, sizeof *g);
        if (!g) break;
        g->pidfd = -1;
        if (rt_path(g->trash, sizeof g->trash, "%s/%s", rt->rt_dir, e->d_name) < 0) {
            free(g);
            continue;
        }
        /* a spare of a boxtopd that died: its init and cgroups go too */
        if (spare)
            rt_spare_leftover(rt, g, e->d_name);
        else
            rt_grave_leftover_id(g, e->d_name);
        g->next = rt->graves;
        rt->graves = g;
    }
    if (d) closedir(d);
    if (rt->mode == RT_MODE_PLAIN && rt->is_root) {
        /* Plain sandboxes run as unprivileged uids with their home in here: let them pass
         * through (not list) the state dir; the homes themselves are 0700. */
        chmod(rt->state_dir, 0711);
        chmod(rt->rt_dir, 0711);
    }
    bool ns = rt_mode_ns(rt->mode);
    c->userns = c->pidns = c->mountns = ns;
    c->overlay = ns && overlay;
    c->netns = ns && netns;
    c->cgroup_version = rt->cg.version;
    c->cgroup = rt->cg.version != 0 && rt->cg.have[RT_CG_MEMORY];
    c->freezer = rt->cg.have[RT_CG_FREEZER];
    c->missing[0] = '\0';
    struct {
        bool ok;
        const char *what;
    } need[] = {
        {ns, "namespaces (user/pid/mount/uts/ipc): sandboxes are plain process trees sharing the "
             "host's files and pids"},
        {!ns || overlay, "overlayfs (host directories are bound read-only)"},
        {!ns || c->netns, "network namespaces (a sandbox without internet access cannot be "
                          "created)"},
        {rt->mode != RT_MODE_ROOTLESS || rt->sub.ok, subid_why},
        {c->cgroup, "cgroups (no memory/cpu/pids limits)"},
        {c->freezer, "cgroup freezer (pause uses SIGSTOP)"},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
        if (need[i].ok) continue;
        size_t l = strlen(c->missing);
        snprintf(c->missing + l, sizeof c->missing - l, "%s%s", l ? "; " : "", need[i].what);
    }
    rt_spare_init(rt);
    *out = rt;
    return 0;
}

/* Namespaced sandboxes need the base image (plain ones run on the host's files anyway). */
int rt_base_check(struct rt *rt, struct error *err)
{
    const struct rt_base_status *st = &rt->base.st;
    if (!rt_mode_ns(rt->mode) || st->state == RT_BASE_READY || st->state == RT_BASE_HOST) return 0;
    if (st->state == RT_BASE_BUILDING) {
        error_set(err, ERROR_GENERIC, "the base image is being built (%s %d %%): try again shortly",
                  st->phase, st->percent);
        if (err) err->code = 503;
        return -1;
    }
    if (st->state == RT_BASE_FAILED)
        return error_set(err, ERROR_GENERIC,
                         "no base image: %s (start boxtopd with --base host to "
                         "use the host's root instead)",
                         st->error);
    return error_set(err, ERROR_GENERIC, "no base image configured");
}

void rt_get_caps(const struct rt *rt, struct rt_caps *caps)
{
    *caps = rt->caps;
}

void rt_tick(struct rt *rt)
{
    if (!rt) return;
    rt_children_poll(rt); /* where no pidfd says when a child ended */
    if (rt->graves) rt_grave_try(rt);
}

void rt_free(struct rt *rt)
{
    if (!rt) return;
    rt_base_stop(rt);
    rt_spare_free(rt);
    rt_graves_drain(rt, 3000);
    rt->closing = true;
    rt_children_free(rt); /* copies and deletions stop; the next start sweeps what they left */
    rt_graves_free(rt);
    while (rt->sandboxes) {
        struct rt_sandbox *sb = rt->sandboxes;
        rt->sandboxes = sb->next;
        rt_unwatch_close(rt, &sb->ev_fd);
        rt_unwatch_close(rt, &sb->pidfd);
        if (sb->req_fd >= 0) close(sb->req_fd);
        if (sb->root_fd >= 0) close(sb->root_fd);
        if (sb->dir_fd >= 0) close(sb->dir_fd);
        rt_disk_reset(&sb->disk);
        free(sb->lowers);
        free(sb);
    }
    rt_cgroup_cleanup_parent(rt);
    if (rt->init_exe >= 0) close(rt->init_exe);
    free(rt);
}

static struct rt_sandbox *sb_new(struct rt *rt, const struct rt_spec *spec, struct error *err)
{
    enum error_kind kind = ERROR_USAGE;
    const char *why = spec ? rt_sb_refused(rt, spec->id, &kind) : "invalid sandbox id";
    if (why) {
        if (kind == ERROR_CONFLICT)
            error_set(err, ERROR_CONFLICT, "sandbox %s %s", spec->id, why);
        else
            error_set(err, ERROR_USAGE, "%s", why);
        return NULL;
    }
    struct rt_sandbox *sb = rt_sb_alloc(rt, spec->id, spec);
    if (!sb)
        error_set(err, errno == ENAMETOOLONG ? ERROR_USAGE : ERROR_GENERIC, "%s",
                  errno == ENAMETOOLONG ? "state dir path too long" : "out of memory");
    return sb;
}

bool rt_sandbox_known(struct rt *rt, struct rt_sandbox *sb)
{
    for (struct rt_sandbox *s = rt->sandboxes; s; s = s->next)
        if (s == sb) return true;
    return false;
}

static int read_meta(struct rt_sandbox *sb)
{
    char buf[128];
    int fd = openat(sb->dir_fd, "meta", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    unsigned long v;
    if (n <= 0) return -1;
    buf[n] = '\0';
    if (sscanf(buf, "idbase %lu", &v) != 1) return -1;
    sb->idbase = (uint32_t)v;
    return 0;
}

/* init runs: connect, watch, open the root. */
static int attach(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    sb->req_fd = rt_ctl_connect(sb, RT_MSG_HELLO_REQ);
    sb->ev_fd = rt_ctl_connect(sb, RT_MSG_HELLO_EV);
    if (sb->req_fd < 0 || sb->ev_fd < 0) {
        int e = errno;
        if (sb->req_fd >= 0) close(sb->req_fd);
        if (sb->ev_fd >= 0) close(sb->ev_fd);
        sb->req_fd = sb->ev_fd = -1;
        return error_set(err, ERROR_GENERIC, "sandbox %s: control socket: %s", sb->id, strerror(e));
    }
    fcntl(sb->ev_fd, F_SETFL, O_NONBLOCK);
    sb->pidfd = (int)syscall(SYS_pidfd_open, sb->init_pid, 0);
    if (rt_mode_ns(rt->mode)) {
        char p[64];
        snprintf(p, sizeof p, "/proc/%d/root", (int)sb->init_pid);
        sb->root_fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
    } else {
        sb->root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    sb->running = true;
    rt_watch(rt, sb->ev_fd);
    rt_watch(rt, sb->pidfd);
    return 0;
}

/* A sandbox asked to be off the network never runs on the host's instead. */
static int net_check(struct rt *rt, const struct rt_spec *spec, struct error *err)
{
    if (!spec->no_net || rt->caps.netns) return 0;
    return error_set(err, ERROR_GENERIC,
                     "sandbox %s: this boxtopd cannot take a sandbox off the network (%s): "
                     "a sandbox without internet access (allow_internet_access false, denyOut "
                     "0.0.0.0/0) cannot run here",
                     spec->id,
                     rt_mode_ns(rt->mode) ? "the kernel refused a new network namespace"
                                          : "no namespaces: plain process trees");
}

int rt_sandbox_boot(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    rt_grave_try(rt);
    if (sb->running) return error_set(err, ERROR_CONFLICT, "sandbox %s is running", sb->id);
    if (sb->copies > 0) /* its processes would write the layer being copied */
        return error_set(err, ERROR_CONFLICT,
                         "sandbox %s is being copied (a snapshot or fork); try again when it is "
                         "done",
                         sb->id);
    if (rt_base_check(rt, err) < 0 || net_check(rt, &sb->spec, err) < 0) return -1;
    if (rt_rootfs_prepare(rt, sb, err) < 0 || rt_boot_init(rt, sb, err) < 0) return -1;
    if (rt_sb_write_pid(sb) < 0 || attach(rt, sb, err) < 0) {
        if (!err || !err->msg[0])
            error_set(err, ERROR_GENERIC, "sandbox %s: %s", sb->id, strerror(errno));
        rt_kill_tree(rt, sb);
        rt_detach(rt, sb);
        return -1;
    }
    sb->frozen = false;
    rt_disk_reset(&sb->disk);
    return 0;
}

/* A spare taken for this create (rt_spare.c): its init runs, named; connect and limit it. */
static int create_from_spare(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    if (rt_cgroup_limits(rt, sb, err) < 0 || rt_sb_write_pid(sb) < 0 || attach(rt, sb, err) < 0) {
        if (!err || !err->msg[0])
            error_set(err, ERROR_GENERIC, "sandbox %s: %s", sb->id, strerror(errno));
        rt_sb_link(rt, sb);
        rt_sandbox_destroy(rt, sb, NULL);
        return -1;
    }
    sb->frozen = false;
    rt_disk_reset(&sb->disk);
    rt_sb_link(rt, sb);
    return 0;
}

int rt_sandbox_create(struct rt *rt, const struct rt_spec *spec, struct rt_sandbox **out,
                      struct error *err)
{
    *out = NULL;
    rt_grave_try(rt);
    if (rt_base_check(rt, err) < 0 || net_check(rt, spec, err) < 0) return -1;
    struct rt_sandbox *sb = rt_spare_take(rt, spec);
    if (sb) {
        if (create_from_spare(rt, sb, err) < 0) return -1;
        *out = sb;
        return 0;
    }
    sb = sb_new(rt, spec, err);
    if (!sb) return -1;
    uint32_t seed_ids;
    bool seeded = spec->seed_move && rt_seed_idbase(spec->seed_dir, &seed_ids) == 0;
    int made = rt_sb_mkdir(rt, sb, seeded ? &seed_ids : NULL, err);
    if (made == 0) {
        rt_sb_free(sb);
        return -1;
    }
    if (made < 0) goto fail;
    if (spec->seed_dir &&
        rt_layer_seed(rt, sb, spec->seed_dir, spec->seed_idbase, spec->seed_move, err) < 0)
        goto fail;
    if (spec->binds && rt_binds_write(sb, spec->binds, err) < 0) goto fail;
    if (spec->lowers && rt_lowers_write(rt, sb, spec->lowers, err) < 0) goto fail;
    if (rt_sandbox_boot(rt, sb, err) < 0) goto fail;
    rt_sb_link(rt, sb);
    *out = sb;
    return 0;
fail:
    /* Like a destroy: processes of a half-booted init may still be dying, so the cgroups
     * and files go through the graveyard. err keeps the boot error. */
    rt_sb_link(rt, sb);
    rt_sandbox_destroy(rt, sb, NULL);
    return -1;
}

int rt_sandbox_open(struct rt *rt, const struct rt_spec *spec, struct rt_sandbox **out,
                    struct error *err)
{
    *out = NULL;
    struct rt_sandbox *sb = sb_new(rt, spec, err);
    if (!sb) return -1;
    sb->dir_fd = open(sb->dir, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (sb->dir_fd < 0 || read_meta(sb) < 0) {
        error_set(err, ERROR_NOT_FOUND, "sandbox %s: files are gone", spec->id);
        rt_sb_free(sb);
        return -1;
    }
    rt_lowers_load(sb);
    char p[PATH_MAX], buf[64];
    int pid = 0;
    unsigned long long start = 0;
    if (rt_path(p, sizeof p, "%s/init.pid", sb->dir) == 0 && rt_read_file(p, buf, sizeof buf) > 0)
        sscanf(buf, "%d %llu", &pid, &start);
    if (pid > 0 && start > 0 && rt_proc_starttime(pid) == start) {
        sb->init_pid = pid;
        sb->init_start = start;
        struct error e2;
        if (attach(rt, sb, &e2) == 0) {
            /* The freezer's own state when there is one, else the marker freeze left. */
            int fr = rt_cgroup_is_frozen(rt, sb->id);
            if (fr < 0) fr = faccessat(sb->dir_fd, "frozen", F_OK, 0) == 0;
            sb->frozen = fr == 1;
            /* frozen only for a copy when the last boxtopd died: that copy is gone */
            if (faccessat(sb->dir_fd, "copy-frozen", F_OK, 0) == 0) {
                if (sb->frozen) rt_sandbox_thaw(rt, sb, &e2);
                unlinkat(sb->dir_fd, "copy-frozen", 0);
            }
            rt_sb_link(rt, sb);
            *out = sb;
            return 1;
        }
        rt_kill_tree(rt, sb); /* init exists but does not answer: start over */
    }
    rt_detach(rt, sb);
    rt_cgroup_kill_all(rt, sb->id);
    rt_cgroup_remove(rt, sb->id);
    rt_sb_link(rt, sb);
    *out = sb;
    return 0;
}

bool rt_sandbox_running(const struct rt_sandbox *sb)
{
    return sb->running;
}

bool rt_sandbox_frozen(const struct rt_sandbox *sb)
{
    return sb->running && sb->frozen;
}

/* Bounded wait for init's end (boxtopd shutdown / reboot on the same files): the old mount
 * namespace must be gone before a new overlay uses the same upper dir. */
static void wait_gone(int pidfd, int ms)
{
    if (pidfd < 0) return;
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    while (poll(&p, 1, ms) < 0 && errno == EINTR)
        ;
}

int rt_sandbox_stop(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    (void)err;
    sb->stopping = true;
    int pidfd = -1;
    if (sb->pidfd >= 0) pidfd = dup(sb->pidfd);
    pid_t pid = sb->init_pid;
    rt_kill_tree(rt, sb);
    rt_detach(rt, sb);
    wait_gone(pidfd, 2000);
    if (pidfd >= 0) close(pidfd);
    if (pid > 0) waitpid(pid, NULL, WNOHANG); /* only if it was orphaned to us */
    rt_cgroup_kill_all(rt, sb->id);
    rt_cgroup_remove(rt, sb->id);
    sb->stopping = false;
    return 0;
}

/* init ended on its own (crash, OOM, killed from outside). */
void rt_sandbox_lost(struct rt *rt, struct rt_sandbox *sb)
{
    char why[128] = "init exited";
    char p[PATH_MAX], buf[512];
    if (rt->cg.have[RT_CG_MEMORY] && rt->cg.version == 1 &&
        rt_path(p, sizeof p, "%s/%s/memory.oom_control", rt->cg.parent[RT_CG_MEMORY], sb->id) ==
            0 &&
        rt_read_file(p, buf, sizeof buf) > 0) {
        char *k = strstr(buf, "oom_kill ");
        if (k && atoll(k + 9) > 0)
            snprintf(why, sizeof why, "init exited after out-of-memory kills");
    }
    rt_kill_tree(rt, sb);
    rt_detach(rt, sb);
    rt_cgroup_kill_all(rt, sb->id);
    if (rt->hooks.sandbox_died)
        rt->hooks.sandbox_died(rt->hooks.ud, sb, why); /* may destroy sb: touch nothing after */
}

void rt_on_pidfd(struct rt *rt, int fd)
{
    if (rt_child_on_pidfd(rt, fd)) return;
    for (struct rt_grave *g = rt->graves; g; g = g->next) {
        if (g->pidfd == fd) {
            rt_unwatch_close(rt, &g->pidfd);
            if (g->pid > 0) waitpid(g->pid, NULL, WNOHANG); /* ECHILD unless orphaned to us */
            rt_grave_try(rt);
            return;
        }
    }
    for (struct rt_sandbox *sb = rt->sandboxes; sb; sb = sb->next) {
        if (sb->pidfd == fd) {
            /* inits are not boxtopd's children, unless boxtopd is pid 1 or a subreaper */
            if (sb->init_pid > 0) waitpid(sb->init_pid, NULL, WNOHANG);
            if (!sb->stopping) rt_sandbox_lost(rt, sb);
            return;
        }
    }
}

const char *rt_sandbox_id(const struct rt_sandbox *sb)
{
    return sb->id;
}

void *rt_sandbox_get_ud(const struct rt_sandbox *sb)
{
    return sb->ud;
}

void rt_sandbox_set_ud(struct rt_sandbox *sb, void *ud)
{
    sb->ud = ud;
}

void rt_set_nofile(struct rt *rt, const struct rlimit *nofile)
{
    rt->nofile = *nofile;
}

int rt_root_fd(struct rt_sandbox *sb)
{
    return sb->root_fd;
}

/* A user a template build created (useradd): its line in the sandbox's /etc/passwd, read
 * through openat2(RESOLVE_IN_ROOT) so no link in the sandbox reaches a host file. */
static int passwd_lookup(struct rt_sandbox *sb, const char *user, uid_t *uid, gid_t *gid)
{
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC,
                           .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS};
    if (sb->root_fd < 0 || !user || !*user || strchr(user, ':') || strlen(user) > 64) return -1;
    int fd = (int)syscall(SYS_openat2, sb->root_fd, "/etc/passwd", &how, sizeof how);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return -1;
    }
    char line[1024];
    size_t ul = strlen(user);
    int rc = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, user, ul) != 0 || line[ul] != ':') continue;
        char *save = NULL, *fld[7] = {0};
        int n = 0;
        for (char *p = strtok_r(line, ":\n", &save); p && n < 7; p = strtok_r(NULL, ":\n", &save))
            fld[n++] = p;
        /* name:x:uid:gid:gecos:home:shell (gecos may be empty: strtok skips it) */
        if (n < 5) break;
        unsigned long u = strtoul(fld[2], NULL, 10), g = strtoul(fld[3], NULL, 10);
        const char *home = n >= 6 ? fld[n - 2] : fld[4];
        if (u >= RT_IDMAP_SIZE || g >= RT_IDMAP_SIZE || home[0] != '/') break;
        *uid = (uid_t)u;
        *gid = (gid_t)g;
        snprintf(sb->other_home, sizeof sb->other_home, "%s", home);
        rc = 0;
        break;
    }
    fclose(f);
    return rc;
}

int rt_user_ids(struct rt_sandbox *sb, const char *user, uid_t *uid, gid_t *gid, const char **home)
{
    bool root = user && strcmp(user, "root") == 0;
    if (user && !root && strcmp(user, "user") != 0) {
        uid_t u;
        gid_t g;
        /* rootless: only a subordinate range maps the ids useradd gives */
        bool mapped =
            sb->rt->mode == RT_MODE_FULL || (sb->rt->mode == RT_MODE_ROOTLESS && sb->rt->sub.ok);
        if (!mapped || passwd_lookup(sb, user, &u, &g) < 0) return -1;
        if (sb->rt->mode == RT_MODE_ROOTLESS) {
            *uid = rt_subid_host_uid(&sb->rt->sub, u);
            *gid = rt_subid_host_gid(&sb->rt->sub, g);
        } else {
            *uid = sb->idbase + u;
            *gid = sb->idbase + g;
        }
        if (home) *home = sb->other_home;
        return 0;
    }
    if (sb->rt->mode == RT_MODE_ROOTLESS) {
        *uid = getuid();
        *gid = getgid();
        if (home) *home = "/home/user";
        return 0;
    }
    if (sb->rt->mode == RT_MODE_PLAIN) { /* no root inside: both run as the sandbox's uid */
        *uid = sb->rt->is_root ? sb->idbase + RT_USER_UID : getuid();
        *gid = sb->rt->is_root ? sb->idbase + RT_USER_UID : getgid();
        if (home) *home = sb->home;
        return 0;
    }
    *uid = sb->idbase + (root ? 0 : RT_USER_UID);
    *gid = sb->idbase + (root ? 0 : RT_USER_UID);
    if (home) *home = root ? "/root" : "/home/user";
    return 0;
}
