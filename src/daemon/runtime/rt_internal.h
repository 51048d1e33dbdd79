/* rt_internal.h - what the runtime's files share: the rt and rt_sandbox structs, the control
 * protocol between boxtopd and a sandbox's init, and small helpers.
 *
 * Process structure of one sandbox (full isolation, boxtopd running as root):
 *
 *   boxtopd ──fork──▶ setup child C: real root; new mount ns with the overlay root and /dev
 *                      │ binds; joins the cgroup; unshare(pid, uts, ipc)
 *                      └──fork──▶ init G: pid 1 inside. Still real root: hostname, /proc,
 *                                 devpts. Re-executes the binary (fresh memory; its libraries
 *                                 are the host's, the image may lack them), pivot_root,
 *                                 then unshare(user) - boxtopd writes uid_map/gid_map - and
 *                                 becomes root of the sandbox's user ns; serves the control
 *                                 socket and reaps.
 *   All namespaces but the user ns belong to the host's user ns, so root inside can neither
 *   mount nor ptrace init. C reports G's host pid and exits, so init is nobody's child in
 *   boxtopd and survives a boxtopd crash; boxtopd finds it again through
 *   DIR/runtime/<id>/ctl.sock and init.pid.
 *
 * Rootless (boxtopd not root): C makes a user ns first (with the user's subordinate id range,
 * boxtopd maps it by newuidmap: root = the range's first id, "user" = boxtopd's uid, see
 * rt_subid.c; without one only its own uid, as "user", by itself), mounts
 * the image's overlay (--base host: a tmpfs root with per-directory overlays) inside it, then
 * the same pid/uts/ipc + init, which pivots at once and is not re-executed (see rt_boot.c).
 * Plain (no namespaces, or BOXTOPD_ISOLATION=plain): the same init without namespaces, in a
 * private directory. rt_get_caps says what is missing.
 * Full mode keeps one sandbox booted ahead of time up to its name (a spare, rt_spare.c): a
 * create takes it, and then it is that sandbox in every way. */
#ifndef BOXTOPD_RT_INTERNAL_H
#define BOXTOPD_RT_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "rt_image.h"
#include "runtime.h"

#define RT_ID_MAX     64
#define RT_IDMAP_SIZE 65536u /* ids 0..65535 inside a sandbox */
#define RT_USER_UID   1000u
#define RT_MSG_MAX    (192 * 1024) /* largest control message (argv + envp of a spawn) */
#define RT_REPLY_MS   5000         /* longest wait for init (boot, spawn reply) */
#define RT_DISK_STEP  4096         /* directory entries looked at per rt_sample call */
#define RT_RM_STEP    20000        /* entries deleted per cleanup call */

enum rt_mode {
    RT_MODE_FULL,     /* user+pid+mount+uts+ipc namespaces, overlay root */
    RT_MODE_PLAIN,    /* no namespaces: a process tree in a private directory */
    RT_MODE_ROOTLESS, /* boxtopd not root: the same namespaces, its own uid mapped to "user"
                       * and the rest to its subordinate range (or nothing else) */
};

/* Namespaced modes: the sandbox has its own root, pids and hostname. */
static inline bool rt_mode_ns(enum rt_mode m)
{
    return m != RT_MODE_PLAIN;
}

/* Controllers a sandbox has a cgroup in (v1: one directory per hierarchy). */
enum rt_cg_ctrl { RT_CG_MEMORY, RT_CG_CPUACCT, RT_CG_CPU, RT_CG_PIDS, RT_CG_FREEZER, RT_CG_N };

struct rt_cgroup_sys {
    int version;                    /* 1, 2 or 0 (none usable) */
    bool have[RT_CG_N];             /* v1: hierarchy usable; v2: controller enabled */
    char parent[RT_CG_N][PATH_MAX]; /* v1: <mnt>/<ctrl>/boxtopd-<instance>; v2: [0] only */
};

/* An incremental walk over the writable layer, RT_DISK_STEP entries per call. */
struct rt_disk_walk {
    int depth;
    void *dirs[64]; /* DIR * stack */
    int64_t partial;
    int64_t last; /* last complete total, -1 before the first one */
};

struct rt_sandbox {
    struct rt *rt;
    struct rt_sandbox *next;
    char id[RT_ID_MAX + 1];
    char dir[PATH_MAX];  /* DIR/runtime/<id> */
    int dir_fd;          /* O_PATH|O_DIRECTORY on dir */
    struct rt_spec spec; /* spec.id points at id[] */
    uint32_t idbase;     /* host uid/gid of root inside */
    bool running, frozen, stopping;
    pid_t init_pid;                /* host pid of init, 0 when not running */
    unsigned long long init_start; /* /proc/PID/stat starttime, to recognise it after restart */
    int pidfd;                     /* pidfd of init (watched), or -1 */
    int ev_fd;                     /* event connection to init (watched), or -1 */
    int req_fd;                    /* request connection to init, or -1 */
    int root_fd;                   /* O_PATH on the sandbox's / (host side), or -1 */
    uint32_t seq;
    char home[PATH_MAX];  /* plain mode: host path of /home/user */
    char other_home[256]; /* full mode: home of the last other user rt_user_ids looked up */
    struct rt_disk_walk disk;
    char *lowers;    /* rt_spec.lowers as kept in DIR/runtime/<id>/lowers, or NULL */
    int copies;      /* children copying its writable layer (rt_layer.c) */
    bool copy_froze; /* frozen for them: thawed when the last one ends */
    void *ud;
};

/* Leftovers of destroyed sandboxes whose processes were still dying: retried later. */
struct rt_grave {
    struct rt_grave *next;
    char id[RT_ID_MAX + 1];
    char trash[PATH_MAX]; /* renamed sandbox directory still to delete, "" when done */
    int pidfd;
    pid_t pid; /* its init, reaped here if it became our child (boxtopd as pid 1/subreaper) */
    struct rt_child *rm; /* the deletion running in a child (rt_child.c), or NULL */
    int rm_stage;        /* 0 none yet, 1 own child ran, 2 rootless subordinate-range child ran */
};

/* A boot in steps, for a spare booted while the loop runs (rt_spare.c). */
struct rt_boot {
    pid_t c, g; /* setup child (reaped once c_done), init */
    int fd;     /* sync socket, or -1 */
    bool c_done, want_maps, waiting, ready;
};

/* A sandbox booted ahead of time up to its name (rt_spare.c): DIR/runtime/.spare-<pid>-<n>,
 * its cgroups named alike. */
#define RT_SPARE_PREFIX ".spare-"
struct rt_spare {
    bool enabled;
    struct rt_sandbox *sb; /* booting or waiting, or NULL */
    struct rt_boot boot;
    bool ready;   /* init waits for its name */
    bool kick;    /* taken: boot the next one after the next spawn */
    int timer_fd; /* boot the next one; give up on a boot that hangs */
    int64_t started_ms;
    unsigned seq;
    int failures; /* in a row; spares stop after a few (creates then boot as before) */
};

/* The base image: its status, and the builder process while one runs. */
struct rt_base {
    struct rt_base_status st;
    struct rt_image_job job;
    uint32_t lower_base; /* host id of root in the unpacked lower layer (full mode) */
    pid_t pid;           /* builder, or 0 */
    int fd;              /* its message pipe (watched), or -1 */
    char buf[1024];
    size_t len;
};

struct rt {
    char state_dir[PATH_MAX];
    char rt_dir[PATH_MAX]; /* DIR/runtime */
    char instance[64];
    struct log *lg;
    struct rt_hooks hooks;
    struct rt_caps caps;
    enum rt_mode mode;
    bool is_root;
    struct rlimit nofile; /* the open files limit sandboxes start with (rt_set_nofile) */
    uint32_t idmap_base, idmap_slots; /* sandbox n uses idmap_base + n * RT_IDMAP_SIZE */
    struct rt_cgroup_sys cg;
    struct rt_sandbox *sandboxes;
    struct rt_grave *graves;
    struct rt_child *children; /* rt_child.c */
    bool closing;              /* rt_free runs: nothing new is started */
    unsigned trash_seq;
    struct rt_base base;
    struct rt_subid sub; /* rootless only */
    int init_exe;        /* O_PATH on boxtopd-init, or -1: init re-executes boxtopd itself */
    struct rt_spare spare;
};

/* --- control protocol (SOCK_SEQPACKET, one message per request/reply/event) --- */
enum rt_msg_type {
    RT_MSG_HELLO_REQ = 1, /* first message on a connection: this one carries requests */
    RT_MSG_HELLO_EV,      /* first message on a connection: this one receives events */
    RT_MSG_SPAWN,
    RT_MSG_SIGNAL,
    RT_MSG_REPLY, /* init → boxtopd: answer to SPAWN/SIGNAL (fds attached) */
    RT_MSG_EXIT,  /* init → boxtopd: a spawned process ended */
    /* A restarted boxtopd takes the processes back: init keeps a copy of every process's
     * pty master or pipe ends, and the metadata boxtopd gave at SPAWN, until it reaps it. */
    RT_MSG_LIST,        /* boxtopd → init: the kept process with the smallest pid > after */
    RT_MSG_PROC,        /* init → boxtopd: one kept process (fds attached), or err ENOENT */
    RT_MSG_CLOSE_STDIN, /* boxtopd → init: drop the kept stdin (CloseStdin); REPLY */
};

struct rt_msg_hdr {
    uint32_t type;
    uint32_t seq;
};

#define RT_SPAWN_PTY   1u
#define RT_SPAWN_STDIN 2u
#define RT_SPAWN_ROOT  4u
#define RT_SPAWN_KEEP  8u  /* init keeps the stdio for a restarted boxtopd (rt_spawn.keep) */
#define RT_SPAWN_ENVD  16u /* as envd's command wrapper (rt_spawn.envd_wrap, rt_envd_wrap.c) */

#define RT_META_MAX (16 * 1024) /* metadata init keeps per process (bytes) */

/* Followed by cwd\0, argc strings, envc strings, then metalen bytes of metadata. */
struct rt_msg_spawn {
    struct rt_msg_hdr h;
    uint32_t flags;
    uint16_t rows, cols;
    uint32_t argc, envc;
    uint32_t uid, gid; /* ids to run as, in init's view (plain mode: host ids) */
    uint32_t metalen;  /* at most RT_META_MAX */
};

/* rt_envd_wrap.c, in the forked child before its exec: envd's OOM score, I/O and CPU
 * priority; then, when the exec fails, the complaint and exit code of envd's wrapper. */
struct rt_envd_wrap {
    char ionice[64], nice[64]; /* where they are in the image, "" = not there */
};
void rt_envd_wrap_prepare(struct rt_envd_wrap *w);
__attribute__((noreturn)) void rt_envd_wrap_failed(const struct rt_envd_wrap *w, const char *cmd,
                                                   int e);

struct rt_msg_list {
    struct rt_msg_hdr h;
    int32_t after; /* pid */
};

/* Followed by metalen bytes; fds: pty master, or [stdin write end,] stdout, stderr read ends
 * (flags say which: RT_SPAWN_PTY, RT_SPAWN_STDIN). */
struct rt_msg_proc {
    struct rt_msg_hdr h;
    int32_t err; /* 0, or ENOENT after the last one */
    int32_t pid;
    uint32_t flags;
    uint32_t nfds;
    uint32_t metalen;
};

struct rt_msg_pid {
    struct rt_msg_hdr h;
    int32_t pid;
};

struct rt_msg_signal {
    struct rt_msg_hdr h;
    int32_t pid, signo;
};

struct rt_msg_reply {
    struct rt_msg_hdr h;
    int32_t err; /* 0 or an errno */
    int32_t pid;
    uint32_t nfds;
    char msg[200];
};

struct rt_msg_exit {
    struct rt_msg_hdr h;
    int32_t pid, code, signo;
};

/* What init needs to know, filled by the boot code before fork. */
struct rt_init_args {
    enum rt_mode mode;
    int listen_fd;
    int sync_fd; /* socketpair end to boxtopd: boot progress, then closed */
    const char *id;
    char root[PATH_MAX]; /* full mode: host path of the merged root (pivot target) */
    char home[PATH_MAX]; /* plain mode: home directory */
    bool spare;          /* waits for its name before it enters the user ns (rt_spare.c) */
};

/* The per-sandbox files of a root filesystem, written at boot (rt_rootfs_prepare) or, for a
 * spare, when it gets its name: "" = leave that file as it is. */
struct rt_etc {
    char hostname[RT_ID_MAX + 2];
    char hosts[8192 + 256];
    char resolv[8192];
};

/* rt_proto.c */
int rt_msg_send(int fd, const void *msg, size_t len, const int *fds, int nfds);
/* Receives one message into buf (cap bytes); fds[] gets up to *nfds fds. Returns its length,
 * 0 on EOF, -1 with errno. Extra fds are closed; a message larger than cap is an error. */
ssize_t rt_msg_recv(int fd, void *buf, size_t cap, int *fds, int *nfds, int flags);

/* rt_init.c: the body of a sandbox's init; never returns. rt_init_exec re-executes the
 * binary into it (returns only if exec failed). */
void rt_init_exec(struct rt_init_args *a);
/* Last boot step, in init: full mode enters the sandbox's user ns as its root (boxtopd writes
 * the id maps); every mode turns ptrace/core dumps of init off and reports "R". */
void rt_init_enter(struct rt_init_args *a);
void rt_init_main(struct rt_init_args *a) __attribute__((noreturn));

/* rt_boot.c */
/* A new network namespace with only lo, up (rt_net.c): 0, or -1 and why. */
int rt_net_isolate(char *why, size_t n);
int rt_init_exe_open(void); /* boxtopd-init next to boxtopd or installed, or -1 */
int rt_boot_init(struct rt *rt, struct rt_sandbox *sb, struct error *err); /* start + finish */
int rt_boot_start(struct rt *rt, struct rt_sandbox *sb, bool spare, struct rt_boot *b,
                  struct error *err);
int rt_boot_step(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b, int64_t deadline,
                 struct error *err);
int rt_boot_finish(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b, struct error *err);
void rt_boot_abort(struct rt *rt, struct rt_sandbox *sb, struct rt_boot *b);
int rt_ctl_connect(struct rt_sandbox *sb, uint32_t hello); /* fd, or -1 with errno */

/* rt_core.c */
int rt_base_check(struct rt *rt, struct error *err); /* 503 while the image is being built */
void rt_on_pidfd(struct rt *rt, int fd);
void rt_sandbox_lost(struct rt *rt, struct rt_sandbox *sb);
bool rt_sandbox_known(struct rt *rt, struct rt_sandbox *sb);

/* rt_sb.c: a sandbox's record. alloc: named (rt_sb_name), nothing on disk yet. refused: why
 * no sandbox id can be made now (NULL: it can). mkdir: DIR/runtime/<id> with its meta (id
 * base); 1 made, 0 not made, -1 made but incomplete (destroy sb); err says why. */
struct rt_sandbox *rt_sb_alloc(struct rt *rt, const char *id, const struct rt_spec *spec);
int rt_sb_name(struct rt *rt, struct rt_sandbox *sb, const char *id, const struct rt_spec *spec);
const char *rt_sb_refused(struct rt *rt, const char *id, enum error_kind *kind);
int rt_sb_mkdir(struct rt *rt, struct rt_sandbox *sb, const uint32_t *idbase, struct error *err);
int rt_pick_idbase(struct rt *rt, uint32_t *out);
/* A seed (rt_seed_dir): DIR/runtime/.seed-<pid>-<n> with a meta "idbase N" that keeps its id
 * range from other sandboxes until the sandbox made from it has it. rt_seed_idbase: 0 and
 * *out when dir is one. */
#define RT_SEED_PREFIX ".seed-"
int rt_seed_idbase(const char *dir, uint32_t *out);
int rt_sb_write_pid(struct rt_sandbox *sb); /* DIR/runtime/<id>/init.pid */
void rt_sb_free(struct rt_sandbox *sb);
void rt_sb_link(struct rt *rt, struct rt_sandbox *sb); /* into rt->sandboxes */
void rt_sb_unlink(struct rt *rt, struct rt_sandbox *sb);
void rt_watch(struct rt *rt, int fd); /* through the hooks */
void rt_unwatch_close(struct rt *rt, int *fd);

/* rt_child.c: work in a child process the loop starts and watches. work runs in the child
 * (its fds: 0-2 and report_fd) and returns its exit status; done runs in the loop once it
 * ended: status = exit status, or -signal; report = what it wrote to report_fd (at most
 * RT_CHILD_REPORT_MAX bytes). start: NULL when no child could be started. watch: a child
 * started elsewhere (no report). reads: the child reads sb's files and is killed when sb is
 * destroyed (kill_readers; done still comes). children_poll: reaps ended
 * children where pidfds are missing (rt_tick). children_free: shutdown: every child killed
 * and waited for, its done called with -SIGKILL. */
#define RT_CHILD_REPORT_MAX 1024 /* more than rt_layer.c's report */
struct rt_child;
typedef int (*rt_child_work_fn)(void *arg, int report_fd);
typedef void (*rt_child_done_fn)(struct rt *rt, void *ud, int status, const char *report,
                                 size_t len);
struct rt_child *rt_child_start(struct rt *rt, const char *name, rt_child_work_fn work, void *arg,
                                rt_child_done_fn done, void *ud);
/* The same, the child keeping keep_fd as its fd 4. */
struct rt_child *rt_child_start_fd(struct rt *rt, const char *name, int keep_fd,
                                   rt_child_work_fn work, void *arg, rt_child_done_fn done,
                                   void *ud);
struct rt_child *rt_child_watch(struct rt *rt, pid_t pid, rt_child_done_fn done, void *ud);
void rt_child_reads(struct rt_child *c, const struct rt_sandbox *sb);
void rt_children_kill_readers(struct rt *rt, const struct rt_sandbox *sb);
int rt_child_on_pidfd(struct rt *rt, int fd); /* 1: fd was a child's (handled) */
void rt_children_poll(struct rt *rt);
void rt_children_free(struct rt *rt);

/* rt_grave.c: kill_tree: SIGKILL to every process of sb (nothing waits); detach: forget a (no
 * longer) running init (fds, pid file); grave_try: retry the cleanup of destroyed sandboxes;
 * graves_drain: the same for at most budget_ms (shutdown only: it waits). */
void rt_kill_tree(struct rt *rt, struct rt_sandbox *sb);
void rt_detach(struct rt *rt, struct rt_sandbox *sb);
void rt_grave_try(struct rt *rt);
void rt_graves_free(struct rt *rt); /* shutdown, after rt_children_free: frees */
/* g->id from a leftover ".trash-<id>-<n>" (a boxtopd killed before the sandbox's cgroups were
 * gone): its cgroups are removed too. Names of freed layers hold no valid id: "" stays. */
void rt_grave_leftover_id(struct rt_grave *g, const char *name);
/* rt_grave.c: path renamed into the graveyard (DIR/runtime/.trash-TAG-n) and deleted off the
 * loop like a destroyed sandbox's files, also by the next start if boxtopd stops first.
 * -1: it could not be renamed (errno) and is left as it is. */
int rt_grave_bury(struct rt *rt, const char *path, const char *tag);
void rt_graves_drain(struct rt *rt, int budget_ms);

/* rt_etc.c */
void rt_etc_texts(const struct rt *rt, const char *id, struct rt_etc *e);

/* rt_spare.c: one sandbox booted ahead of time, taken by a create that needs nothing of its
 * own before boot (no seed, volumes or layers): full mode on cgroup v1 (renamed) or none. */
void rt_spare_init(struct rt *rt);
void rt_spare_schedule(struct rt *rt, int ms); /* boot one after ms, unless there is one */
bool rt_spare_on_fd(struct rt *rt, int fd);    /* true when fd was the spare's */
/* The spare named id with spec's limits to come, init running; NULL: none (boot as usual). */
struct rt_sandbox *rt_spare_take(struct rt *rt, const struct rt_spec *spec);
void rt_spare_free(struct rt *rt);        /* kills a spare (rt_free) */
void rt_spare_after_spawn(struct rt *rt); /* a process started: time for the next spare */
struct rt_grave;
void rt_spare_leftover(struct rt *rt, struct rt_grave *g, const char *name);

/* rt_image.c */
bool rt_base_on_fd(struct rt *rt, int fd); /* true when fd was the builder's */
void rt_base_stop(struct rt *rt);          /* ends a running build (rt_free) */

/* rt_util.c: the subordinate id range (root's line in /etc/subuid, else 2^30 upwards) */
void rt_idmap_detect(uint32_t *base, uint32_t *slots);

/* rt_subid.c. detect: false with why (a sentence for the log and /health) when there is no
 * usable range. write_maps: the sandbox map on pid's fresh user ns (newuidmap/newgidmap).
 * usable: detect, then one trial map. spawn: fn(arg) as root of a fresh ns with that map, in a
 * child process (returned; 0 exit status = fn returned 0); run: the same, waited for. rm_rf:
 * rt_rm_rf, then again in such a namespace if s is usable (files of the range). */
bool rt_subid_detect(struct rt_subid *s, char *why, size_t n);
bool rt_subid_usable(struct rt_subid *s, char *why, size_t n); /* detect + a trial map */
int rt_subid_write_maps(const struct rt_subid *s, pid_t pid, char *why, size_t n);
pid_t rt_subid_spawn(const struct rt_subid *s, int (*fn)(void *), void *arg);
int rt_subid_run(const struct rt_subid *s, int (*fn)(void *), void *arg);
pid_t rt_subid_rm_spawn(const struct rt_subid *s, const char *path);
int rt_subid_rm_rf(const struct rt_subid *s, const char *path);
/* An id inside a rootless sandbox (0..65535) as the host sees it, and back: the map above. */
uint32_t rt_subid_host_uid(const struct rt_subid *s, uint32_t inside);
uint32_t rt_subid_host_gid(const struct rt_subid *s, uint32_t inside);
uint32_t rt_subid_inside_uid(const struct rt_subid *s, uint32_t host);
uint32_t rt_subid_inside_gid(const struct rt_subid *s, uint32_t host);

/* rt_rootfs.c */
int rt_rootfs_prepare(struct rt *rt, struct rt_sandbox *sb, struct error *err);
int rt_rootfs_mount_host(const char *sbdir, const char *state_dir, char *why, size_t n);
int rt_rootfs_mount_rootless(const char *sbdir, const char *state_dir, char *why, size_t n);
int rt_rootfs_self_map(uid_t uid, gid_t gid, char *why, size_t n);
int rt_rootfs_enter(const char *id, long devpts_gid, char *why, size_t n); /* cwd = root */
int rt_rootfs_pivot(void); /* cwd becomes "/" (after the re-exec: host libraries) */

/* rt_dev.c: the sandbox's /dev under root (a tmpfs with the harmless host devices) */
int rt_rootfs_mount_dev(const char *root, char *why, size_t n);

/* rt_imagefs.c: the root filesystem on the base image */
static inline bool rt_on_image(const struct rt *rt)
{
    return rt->mode != RT_MODE_PLAIN && rt->base.st.state != RT_BASE_HOST;
}
int rt_imagefs_prepare(struct rt *rt, struct rt_sandbox *sb, struct error *err);
int rt_imagefs_etc(struct rt *rt, struct rt_sandbox *sb, char *why, size_t n);
int rt_imagefs_mount(const char *sbdir, const char *lower, bool rootless, uint32_t lower_base,
                     uint32_t idbase, char *why, size_t n);

/* rt_idmap.c: a user namespace (fd) mapping ids [from, from + RT_IDMAP_SIZE) to [to, ...),
 * -1 with errno; src mounted read-only at target with that map */
int rt_idmap_userns(uint32_t from, uint32_t to);
int rt_idmap_mount(int userns_fd, const char *src, const char *target, char *why, size_t n);

/* rt_stack.c: read-only layers between the writable layer and the image (rt_spec.lowers) */
#define RT_LOWERS_MAX 64
int rt_lowers_write(struct rt *rt, struct rt_sandbox *sb, const char *text, struct error *err);
void rt_lowers_load(struct rt_sandbox *sb);
int rt_lowers_mount(int userns_fd, char *opts, size_t cap, char *why, size_t n);

/* rt_bootid.c: a fresh boot_id over /proc/sys/kernel/random/boot_id (in init, best effort) */
void rt_bootid_mount(void);

/* rt_binds.c: volumes. write: the list, at create; mount: in the setup child, after the root
 * filesystem is mounted at root (idmap: full mode's idmapped binds) */
int rt_binds_write(struct rt_sandbox *sb, const char *text, struct error *err);
int rt_binds_mount(const char *sbdir, const char *root, uint32_t idbase, bool idmap, char *why,
                   size_t n);

/* rt_layer.c: sb's writable layer from a directory rt_sandbox_export filled (before boot) */
int rt_layer_seed(struct rt *rt, struct rt_sandbox *sb, const char *seed_dir, uint32_t seed_idbase,
                  bool move, struct error *err);

/* rt_cgroup.c */
void rt_cgroup_detect(struct rt *rt);
int rt_cgroup_create(struct rt *rt, struct rt_sandbox *sb, struct error *err); /* + limits */
int rt_cgroup_limits(struct rt *rt, struct rt_sandbox *sb, struct error *err);
int rt_cgroup_rename(const struct rt *rt, const char *from, const char *to); /* v1; -1 errno */
int rt_cgroup_attach_self(const struct rt *rt, const char *id); /* in the child: 0 or -errno */
int rt_cgroup_freeze(struct rt *rt, struct rt_sandbox *sb, bool frozen);
int rt_cgroup_is_frozen(const struct rt *rt, const char *id);
int rt_cgroup_kill_all(const struct rt *rt, const char *id); /* returns tasks left */
int rt_cgroup_remove(const struct rt *rt, const char *id);   /* 0, or -EBUSY */
int rt_cgroup_pids(const struct rt *rt, const char *id, pid_t *pids, int max);
void rt_cgroup_cleanup_parent(const struct rt *rt);
int rt_cgroup_sample(const struct rt *rt, const char *id, struct rt_metrics *m);

/* rt_metrics.c */
void rt_disk_reset(struct rt_disk_walk *w);
int64_t rt_disk_step(struct rt_disk_walk *w, int dir_fd);

/* rt_util.c */
int rt_proc_tree(pid_t root, pid_t *pids, int max); /* root and its descendants, from /proc */
/* The steps that run before exec (no log yet) say what failed in why: "STEP: strerror(errno)"
 * with the errno of the failed call. Returns -1. */
int rt_fail(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rt_write_file(const char *path, const char *data, size_t len, mode_t mode);
int rt_write_str(const char *path, const char *s); /* existing file (sysfs), no O_CREAT */
ssize_t rt_read_file(const char *path, char *buf, size_t cap);
int rt_read_ll(const char *path, long long *out);
int rt_rm_rf(const char *path);
int rt_rm_step(const char *path, long budget); /* 0 gone, 1 call again, -1 stuck */
int rt_mkdir_p(const char *path, mode_t mode);
bool rt_id_valid(const char *id);
unsigned long long rt_proc_starttime(pid_t pid);
int rt_path(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
