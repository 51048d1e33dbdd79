/* rt_metrics.c - rt_sample(): cgroup counters, the size of the writable layer (walked
 * incrementally, RT_DISK_STEP entries per call, so a huge upper dir never stalls the loop),
 * and a /proc fallback for process trees without cgroups. Cleaning up after destroyed
 * sandboxes is not sampling's job: the daemon's timer calls rt_tick(). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "rt_internal.h"

void rt_disk_reset(struct rt_disk_walk *w)
{
    while (w->depth > 0)
        closedir(w->dirs[--w->depth]);
    w->partial = 0;
}

static bool disk_push(struct rt_disk_walk *w, int fd)
{
    if (fd < 0) return false;
    if (w->depth >= (int)(sizeof w->dirs / sizeof w->dirs[0])) {
        close(fd);
        return false;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return false;
    }
    w->dirs[w->depth++] = d;
    return true;
}

/* Bytes allocated in the tree under base_fd (st_blocks, hard links counted once per name).
 * Returns the last complete total, or the running one before the first walk finished. */
int64_t rt_disk_step(struct rt_disk_walk *w, int base_fd)
{
    int budget = RT_DISK_STEP;
    if (w->depth == 0) {
        w->partial = 0;
        if (!disk_push(w, openat(base_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)))
            return w->last > 0 ? w->last : 0;
    }
    while (w->depth > 0 && budget-- > 0) {
        DIR *d = w->dirs[w->depth - 1];
        struct dirent *e = readdir(d);
        if (!e) {
            closedir(d);
            w->depth--;
            continue;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        w->partial += (int64_t)st.st_blocks * 512;
        if (S_ISDIR(st.st_mode))
            disk_push(w,
                      openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    }
    if (w->depth == 0) w->last = w->partial;
    return w->last >= 0 ? w->last : w->partial;
}

static void sample_proc_tree(pid_t root, struct rt_metrics *m)
{
    pid_t pids[4096];
    int n = rt_proc_tree(root, pids, 4096);
    long hz = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    int64_t ticks = 0, rss = 0;
    int alive = 0;
    for (int i = 0; i < n; i++) {
        char path[64], buf[1024];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pids[i]);
        if (rt_read_file(path, buf, sizeof buf) <= 0) continue;
        char *p = strrchr(buf, ')');
        if (!p) continue;
        /* fields after ')': 3 state ... 14 utime 15 stime 16 cutime 17 cstime ... 24 rss */
        long long f[25] = {0};
        int k = 3;
        for (char *s = p + 2; *s && k < 25; k++) {
            f[k] = strtoll(s, NULL, 10);
            s = strchr(s, ' ');
            if (!s) break;
            s++;
        }
        ticks += f[14] + f[15] + f[16] + f[17];
        rss += f[24] * page;
        alive++;
    }
    m->cpu_usage_ns = hz > 0 ? ticks * (1000000000LL / hz) : 0;
    m->mem_used = rss;
    m->pids = alive;
}

int rt_sample(struct rt *rt, struct rt_sandbox *sb, struct rt_metrics *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (rt->cg.version != 0)
        rt_cgroup_sample(rt, sb->id, out);
    else if (sb->running && sb->init_pid > 0)
        sample_proc_tree(sb->init_pid, out);
    if (out->mem_total <= 0) {
        long long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
        out->mem_total = sb->spec.memory_mb > 0 ? (int64_t)sb->spec.memory_mb * 1024 * 1024
                                                : (int64_t)pages * psize;
    }
    int fd = openat(sb->dir_fd, rt_mode_ns(rt->mode) ? "upper" : "home",
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return error_set(err, ERROR_NOT_FOUND, "sandbox %s: files are gone", sb->id);
    out->disk_used = rt_disk_step(&sb->disk, fd);
    struct statvfs vs;
    if (fstatvfs(fd, &vs) == 0) out->disk_total = (int64_t)vs.f_blocks * (int64_t)vs.f_frsize;
    close(fd);
    return 0;
}
