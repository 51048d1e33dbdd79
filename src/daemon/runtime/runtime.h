/* runtime.h - boxtopd's sandbox runtime: real local process trees in Linux namespaces.
 *
 * A sandbox = a root filesystem (read-only host view + a per-sandbox writable upper layer in
 * the state dir), an init process in new user/pid/mount/uts/ipc namespaces (uids mapped to an
 * unprivileged subordinate range, never host root), and a cgroup (v1 or v2) for accounting,
 * limits and freezing. The init reaps orphans and parents the processes envd starts.
 *
 * The runtime never blocks and owns no loop: it hands fds to the host loop through
 * rt_hooks.watch_fd and is called back with rt_on_readable(). Where namespaces, overlayfs or
 * cgroups are unavailable it degrades (plain process trees in a private directory) and says
 * which isolation is missing in rt_caps(). */
#ifndef BOXTOPD_RUNTIME_H
#define BOXTOPD_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "boxtop/error.h"

/* The PATH envd gives commands, and where a process without one looks (Debian's default). */
#define RT_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct log;
struct rt;
struct rt_sandbox;

struct rt_hooks {
    void *ud;
    int (*watch_fd)(void *ud, int fd); /* call rt_on_readable(rt, fd) when readable */
    void (*unwatch_fd)(void *ud, int fd);
    /* A process started by rt_spawn ended: exit_code >= 0, or signal > 0 (then exit_code
     * is -1). It may come before the process's last output has been read: read its fds to
     * EOF (a pty master gives EIO instead of EOF). */
    void (*proc_exited)(void *ud, struct rt_sandbox *sb, pid_t pid, int exit_code, int signal);
    /* The sandbox's init died or was OOM-killed; the sandbox is unusable until rebooted.
     * Called from rt_on_readable; the hook may destroy sb. */
    void (*sandbox_died)(void *ud, struct rt_sandbox *sb, const char *why);
};

struct rt_caps {
    bool userns, pidns, mountns, overlay, cgroup, freezer;
    bool netns; /* a sandbox can get its own empty network namespace (rt_spec.no_net) */
    int cgroup_version; /* 1, 2 or 0 */
    char missing[768];  /* human list of missing isolation, "" when complete */
};

struct rt_spec {
    const char *id; /* sandbox id: hostname, cgroup and directory names */
    int cpu_count;
    int memory_mb;
    int pids_max; /* 0 = default */
    /* Optional: the writable layer to start from (a directory rt_sandbox_export filled, and
     * the id base it reported). Used by rt_sandbox_create only. */
    const char *seed_dir;
    uint32_t seed_idbase;
    bool seed_move; /* seed_dir is the caller's to give away (rt_seed_dir): renamed, not copied */
    /* Optional: host directories to bind into the sandbox, "<host dir>\t<sandbox path>\n" per
     * line (volumes); kept with the sandbox for every later boot. Needs namespaces. */
    const char *binds;
    /* Optional, where rt_can_stack(): read-only layers (directories rt_layer_take filled)
     * stacked between the writable layer and the base image, one absolute path a line,
     * topmost first, at most 64; kept with the sandbox for every later boot. */
    const char *lowers;
    /* No network: the sandbox's own network namespace with only lo (allow_internet_access
     * false); kept with the sandbox for every later boot. Needs rt_caps.netns, else create
     * and boot fail (never a sandbox on the host's network instead). */
    bool no_net;
};

struct rt_spawn {
    const char *const *argv; /* argv[0] looked up in the sandbox's PATH */
    const char *const *envp; /* full environment (the caller adds TERM, LANG, HOME...) */
    const char *cwd;         /* NULL = the user's home */
    const char *user;        /* "user" (default) or "root" */
    bool pty;                /* one pty for stdin/stdout/stderr, ICRNL on */
    int rows, cols;          /* pty size */
    bool want_stdin;         /* pipes only: keep a stdin pipe, else /dev/null */
    /* as envd's command wrapper: OOM score 100, best-effort I/O 4, and a command that cannot
     * be run (or an empty one) is a process that exits 127/126 with the wrapper's complaint */
    bool envd_wrap;
    /* init keeps a copy of the pty master / pipe ends, and meta (opaque, at most 16 KiB,
     * else none), for a boxtopd restarted after a crash (rt_procs_adopt). Leave it off when
     * the caller closes an end on purpose (the process must see EOF or EPIPE, not block). */
    bool keep;
    const void *meta;
    size_t metalen;
};

struct rt_proc {
    pid_t pid;     /* pid inside the sandbox's pid namespace (what envd reports) */
    int pty_fd;    /* pty master, or -1 */
    int stdin_fd;  /* write end, or -1 */
    int stdout_fd; /* read ends, or -1 */
    int stderr_fd;
};

struct rt_metrics {
    int64_t cpu_usage_ns; /* cumulative CPU time of the whole tree */
    int64_t mem_used;     /* bytes */
    int64_t mem_total;    /* limit in bytes */
    int64_t disk_used;    /* bytes in the writable layer */
    int64_t disk_total;
    int pids;
    int64_t oom_kills; /* processes the sandbox's memory limit has killed so far (cgroups) */
};

/* The base image every sandbox's root stacks on (rt_image.c). */
struct rt_base_opts {
    bool host;             /* the host's root read-only instead of an image (old mode) */
    bool rebuild;          /* build again even if the cache has it */
    const char *suite;     /* Debian suite, NULL = "bookworm" */
    const char *mirror;    /* NULL = the Debian mirror of the host's apt sources */
    const char *packages;  /* extra packages, comma or space separated, or NULL */
    const char *tarball;   /* use this root filesystem tarball instead of mmdebstrap */
    const char *cache_dir; /* NULL = $XDG_CACHE_HOME/boxtop (else ~/.cache/boxtop) */
};

enum rt_base_state {
    RT_BASE_NONE,     /* rt_base_start not called */
    RT_BASE_BUILDING, /* a builder process runs (or waits for another one's build) */
    RT_BASE_READY,
    RT_BASE_FAILED,
    RT_BASE_HOST, /* --base host */
};

struct rt_base_status {
    enum rt_base_state state;
    int percent;       /* while building: 0..100 */
    char phase[64];    /* while building: "downloading packages" ... */
    char error[300];   /* when failed: why, in a sentence */
    char lower[4096];  /* when ready: the unpacked root filesystem */
    char recipe[6144]; /* what the image is made of (suite, mirror, packages) */
};

/* state_dir is made 0700; sandboxes live in state_dir/runtime/<id>. instance names the cgroup
 * parent (boxtopd-<instance>): [A-Za-z0-9_-], at most 40 chars. Probes what isolation works
 * (forks a short-lived child once): as root full namespaces + overlay + cgroups; as another
 * user "rootless" namespaces; else plain process trees. BOXTOPD_ISOLATION=plain in the
 * environment forces plain mode. */
int rt_new(struct rt **out, const char *state_dir, const char *instance, struct log *lg,
           const struct rt_hooks *hooks, struct error *err);
void rt_free(struct rt *rt); /* leaves sandboxes as they are (see rt_sandbox_stop) */
void rt_get_caps(const struct rt *rt, struct rt_caps *caps);

/* Makes the base image ready: at once when the cache has it, else a builder process (its fd
 * watched through the hooks) builds it while boxtopd runs; creates fail with err->code 503
 * until then. Only one build per cache dir runs at a time, across processes (a lock). */
int rt_base_start(struct rt *rt, const struct rt_base_opts *o, struct error *err);
void rt_base_get_status(const struct rt *rt, struct rt_base_status *st);
/* The same build in this process, blocking (boxtopd --build-base, bootstrap.sh): progress
 * lines go to progress_fd (-1: none). Returns 0 when the image is ready. */
int rt_base_build_now(const struct rt_base_opts *o, int progress_fd, struct error *err);
void rt_on_readable(struct rt *rt, int fd);

/* Create files and boot init. */
int rt_sandbox_create(struct rt *rt, const struct rt_spec *spec, struct rt_sandbox **out,
                      struct error *err);
/* After a restart: adopt a sandbox whose init still runs (returns 1), or load one whose
 * processes are gone with files intact (returns 0, not booted), or -1 if its files are gone. */
int rt_sandbox_open(struct rt *rt, const struct rt_spec *spec, struct rt_sandbox **out,
                    struct error *err);
int rt_sandbox_boot(struct rt *rt, struct rt_sandbox *sb, struct error *err); /* fresh init */
bool rt_sandbox_running(const struct rt_sandbox *sb);                         /* init alive */
bool rt_sandbox_frozen(const struct rt_sandbox *sb); /* running and paused (also after open) */
int rt_sandbox_freeze(struct rt *rt, struct rt_sandbox *sb, struct error *err);
int rt_sandbox_thaw(struct rt *rt, struct rt_sandbox *sb, struct error *err);
/* Stop every process but keep the files (boxtopd shutdown). Waits at most 2 s for init to
 * be gone, so that a following boot does not share the writable layer with a dying one. */
int rt_sandbox_stop(struct rt *rt, struct rt_sandbox *sb, struct error *err);
/* Kill the whole tree, unmount, delete the writable layer, free sb. Whatever cannot be
 * removed while processes are still dying (cgroups) is finished when init's pidfd fires
 * (rt_on_readable) or by a later rt_tick/create/boot. */
int rt_sandbox_destroy(struct rt *rt, struct rt_sandbox *sb, struct error *err);
const char *rt_sandbox_id(const struct rt_sandbox *sb);
/* Copy what the sandbox changed (its writable layer, over whatever lower layer the runtime
 * uses) into dir (created 0700 if missing), for a snapshot or a fork: rt_spec.seed_dir. A
 * running sandbox is frozen during the copy (synchronous). *idbase: the owners' id base to
 * give back as seed_idbase; *bytes: disk space the copy takes. */
int rt_sandbox_export(struct rt *rt, struct rt_sandbox *sb, const char *dir, uint32_t *idbase,
                      int64_t *bytes, struct error *err);
/* The same copy in a child process (rt_child.c), so that a layer of gigabytes never holds
 * the loop: each of dirs[0..n-1] (1 <= n <= 100) gets one: a seed (rt_seed_dir) for the
 * sandbox it is for, any other path is made here (0700, must not exist: a snapshot).
 * A running sandbox is frozen until it ends (resume and boot answer ERROR_CONFLICT
 * meanwhile; a pause keeps it frozen after). done(ud, bytes, err) runs in the loop once it
 * ended: err NULL when every copy is complete, else why (ERROR_NOT_FOUND: the sandbox was
 * destroyed meanwhile, which stops the copy). The dirs are the caller's either way (a
 * partial copy to delete). -1 (err) when it could not start (dirs made here are gone). */
typedef void (*rt_copy_done_fn)(void *ud, int64_t bytes, const struct error *err);
int rt_sandbox_copy_start(struct rt *rt, struct rt_sandbox *sb, const char *const *dirs, int n,
                          uint32_t *idbase, rt_copy_done_fn done, void *ud, struct error *err);
/* The same from a directory rt_sandbox_copy_start filled (a snapshot; idbase: the id base it
 * reported; a seed's files are its own range's, whatever idbase says: a fork's first seed
 * copied to the others). */
int rt_dir_copy_start(struct rt *rt, const char *seed_dir, uint32_t idbase, const char *const *dirs,
                      int n, rt_copy_done_fn done, void *ud, struct error *err);
/* A seed for one new sandbox, to pass as a copy's destination and then as rt_spec.seed_dir
 * with seed_move: DIR/runtime/.seed-*, holding an id range for that sandbox so that the copy
 * writes its owners right and the sandbox takes it by rename, never walking it in the loop.
 * Delete what is left afterwards (the empty directory, or an untaken seed) like any other
 * tree (rt_remove_later); the next start deletes leftovers. */
int rt_seed_dir(struct rt *rt, char *out, size_t n, struct error *err);
bool rt_sandbox_copying(const struct rt_sandbox *sb); /* a copy of it runs */
/* Stacked layers: only on the base image with namespaces (else a sandbox is seeded with a
 * copy, rt_spec.seed_dir). rt_sandbox_lowers: the sandbox's rt_spec.lowers, "" when none. */
bool rt_can_stack(const struct rt *rt);
const char *rt_sandbox_lowers(const struct rt_sandbox *sb);
/* After rt_sandbox_stop: moves (no copy) sb's writable layer to dir, which must not exist
 * and be on the state dir's filesystem, as a read-only layer for rt_spec.lowers: only what
 * sb changed over its own lowers, whiteouts and opaque markers kept, owners in the image's id
 * range, the per-sandbox /etc/hostname, hosts and resolv.conf dropped. *bytes: its disk use.
 * sb has no writable layer left: destroy it next. */
int rt_layer_take(struct rt *rt, struct rt_sandbox *sb, const char *dir, int64_t *bytes,
                  struct error *err);
/* A small value of the caller's kept in the sandbox's directory under name (a plain word):
 * it survives boxtopd restarts and goes with the sandbox. put: 0 or -1 (errno); get: its
 * length (NUL-terminated in buf), or -1. */
int rt_sandbox_note_put(struct rt_sandbox *sb, const char *name, const char *val);
ssize_t rt_sandbox_note_get(struct rt_sandbox *sb, const char *name, char *buf, size_t n);
/* envd's Remove renames a big tree to RT_RM_HIDDEN_PREFIX and 16 hex digits in its own
 * directory and deletes it off the loop (envd/fs_remove.c): for the sandbox it is gone, so
 * copies of the writable layer (snapshots, forks) skip such a tree. */
#define RT_RM_HIDDEN_PREFIX ".boxtopd-rm-"
bool rt_name_is_rm_hidden(const char *name);
/* The host directory of sb's writable layer (what it changed) in dir, and in prefix the path
 * by which rt_root_fd() reaches that directory ("" when it is the sandbox's "/": overlay
 * modes; the directory itself in plain mode). 0, or -1 (too long). */
int rt_sandbox_layer_dir(const struct rt_sandbox *sb, char *dir, size_t dn, char *prefix,
                         size_t pn);
void *rt_sandbox_get_ud(const struct rt_sandbox *sb);
void rt_sandbox_set_ud(struct rt_sandbox *sb, void *ud);

/* Starts a process through the sandbox's init and waits for its answer (exec done or failed;
 * at most 5 s). The returned fds are the caller's, O_NONBLOCK and close-on-exec. Errors:
 * ERROR_CONFLICT when not running or paused, ERROR_NOT_FOUND when argv[0] is not found,
 * ERROR_USAGE for an unknown user or argv+envp over 192 KiB. */
int rt_spawn(struct rt *rt, struct rt_sandbox *sb, const struct rt_spawn *sp, struct rt_proc *out,
             struct error *err);
int rt_signal(struct rt *rt, struct rt_sandbox *sb, pid_t pid, int signo, struct error *err);
/* A process's stdin is closed for good (envd's CloseStdin): init drops the copy it keeps, so
 * the process sees EOF once the caller closes its own. */
int rt_close_stdin(struct rt *rt, struct rt_sandbox *sb, pid_t pid, struct error *err);

/* One process a sandbox's init still runs, given back to a restarted boxtopd. The fds are
 * the callback's (O_NONBLOCK, close-on-exec), -1 where the process has none. meta: what
 * rt_spawn was given (valid during the callback). */
struct rt_adopted {
    struct rt_proc proc;
    bool pty;
    const char *meta;
    size_t metalen;
};
/* Every process init kept (a boxtopd that died left them behind): init keeps copies of their
 * pty master / pipe ends until it reaps them, so this is how shells survive a boxtopd crash.
 * Each call gives them all again (new fds): call it once per adopted sandbox. Returns how
 * many, or -1 (init unreachable). A paused sandbox has none to give (its init is frozen):
 * call it after the resume. */
int rt_procs_adopt(struct rt *rt, struct rt_sandbox *sb,
                   void (*cb)(void *ud, const struct rt_adopted *p), void *ud, struct error *err);
int rt_pty_resize(int pty_fd, int rows, int cols);

/* Cheap (a few sysfs reads; the writable layer is walked at most 4096 entries per call, so
 * for a huge layer disk_used is the last complete walk). mem_used = usage minus inactive page
 * cache; mem_total = the limit (or host RAM); disk_total = size of the state dir's fs. */
int rt_sample(struct rt *rt, struct rt_sandbox *sb, struct rt_metrics *out, struct error *err);
/* Periodic housekeeping (the daemon's sample timer): retries the cleanup of destroyed
 * sandboxes, which is what finishes it where no pidfd says when their processes are gone. */
void rt_tick(struct rt *rt);
/* A directory boxtopd no longer needs (a freed template layer): renamed into the graveyard
 * and deleted by a child process, so that the loop never walks it; a boxtopd stopped before
 * the end finishes it on its next start. 0, or -1 (errno) when it could not be moved: the
 * caller deletes it itself. */
int rt_remove_later(struct rt *rt, const char *path);
/* ftruncate(fd, 0) in a child (rt_child.c): freeing the extents of a file of gigabytes takes
 * the kernel hundreds of ms, which the loop must not wait for. done(ud, 0 or an errno) runs
 * in the loop once it ended (always, also at shutdown: then EINTR); the caller keeps fd
 * open and writes to it only after done. -1 when no child could be started. */
typedef void (*rt_truncate_done_fn)(void *ud, int err);
int rt_truncate_start(struct rt *rt, int fd, rt_truncate_done_fn done, void *ud);
/* work(arg) on sb's files in a child (rt_child.c: niced, dies with boxtopd, holds only
 * keep_fd, as its fd 4, when not -1; arg is the child's copy). done(ud, status) runs in the
 * loop once it ended, always: status = work's result (0-125), or negative when it was killed
 * - sb was destroyed or boxtopd stops - and then sb must not be touched. -1 when no child
 * could be started. name: the child's name in ps. */
typedef int (*rt_work_fn)(void *arg);
typedef void (*rt_work_done_fn)(void *ud, int status);
int rt_sandbox_work_start(struct rt *rt, struct rt_sandbox *sb, const char *name, int keep_fd,
                          rt_work_fn work, void *arg, rt_work_done_fn done, void *ud);

/* Host-side directory fd of the sandbox's root, for confined file access with
 * openat2(RESOLVE_IN_ROOT); and the host uid/gid a sandbox user maps to. The fd belongs to sb
 * (do not close it) and is -1 while not running; in plain mode it is the host's "/".
 * home: the path inside the sandbox ("/home/user", "/root"), in plain mode a host path. */
int rt_root_fd(struct rt_sandbox *sb);
/* The open files limit sandboxes start with (default: boxtopd's at rt_new), for a boxtopd
 * that raised its own. */
void rt_set_nofile(struct rt *rt, const struct rlimit *nofile);
/* Rootless with a subordinate range: fn as root of a user namespace with the sandbox's id
 * map (root inside's powers over its files, none over the host's) in a child process, waited
 * for (fork + newuidmap: only for what boxtopd's own uid may not do). uid/gid: host ids (as
 * rt_user_ids gives) that fn gets as the namespace names them, for chown. Returns fn's result
 * (0 or -errno); -ENOTSUP without such a root (boxtopd is root, or no range). */
typedef int rt_as_root_fn(int root_fd, uid_t uid, gid_t gid, void *arg);
int rt_sandbox_as_root(struct rt_sandbox *sb, uid_t uid, gid_t gid, rt_as_root_fn *fn, void *arg);
int rt_user_ids(struct rt_sandbox *sb, const char *user, uid_t *uid, gid_t *gid, const char **home);

#endif
