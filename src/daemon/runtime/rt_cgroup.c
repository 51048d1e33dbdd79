/* rt_cgroup.c - one cgroup per sandbox for limits, accounting and freezing.
 *
 * cgroup v1 (one hierarchy per controller, as on the CI machines): memory, cpuacct, cpu, pids
 * and freezer each get <mount>/<ctrl>/boxtopd-<instance>/<id>. Hierarchies that share a mount
 * (cpu,cpuacct) just see EEXIST/ENOENT on the second mkdir/rmdir. cgroup v2 (unified) gets
 * /sys/fs/cgroup/boxtopd-<instance>/<id> with memory, cpu and pids enabled in the parents'
 * subtree_control. v1 wins when both exist, since a v2 mount next to v1 controllers usually
 * has no controllers at all. Everything here is a few small sysfs reads/writes. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rt_internal.h"

#define CG_ROOT "/sys/fs/cgroup"

static const char *const v1_names[RT_CG_N] = {"memory", "cpuacct", "cpu", "pids", "freezer"};

static int cg_dir(const struct rt *rt, int c, const char *id, char *out, size_t n)
{
    if (rt->cg.version == 2) c = 0;
    return rt_path(out, n, "%s/%s", rt->cg.parent[c], id);
}

static int cg_file(const struct rt *rt, int c, const char *id, const char *file, char *out,
                   size_t n)
{
    if (rt->cg.version == 2) c = 0;
    return rt_path(out, n, "%s/%s/%s", rt->cg.parent[c], id, file);
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

void rt_cgroup_detect(struct rt *rt)
{
    struct rt_cgroup_sys *cg = &rt->cg;
    char p[PATH_MAX];
    memset(cg, 0, sizeof *cg);
    if (!rt->is_root) return; /* delegated v2 subtrees for non-root users are not supported yet */
    for (int c = 0; c < RT_CG_N; c++) {
        if (rt_path(p, sizeof p, CG_ROOT "/%s/cgroup.procs", v1_names[c]) < 0 || !file_exists(p))
            continue;
        if (rt_path(cg->parent[c], sizeof cg->parent[c], CG_ROOT "/%s/boxtopd-%s", v1_names[c],
                    rt->instance) < 0)
            continue;
        if (mkdir(cg->parent[c], 0755) < 0 && errno != EEXIST) continue;
        cg->have[c] = true;
        cg->version = 1;
    }
    if (cg->version == 1) return;
    char ctrls[512];
    if (rt_read_file(CG_ROOT "/cgroup.controllers", ctrls, sizeof ctrls) < 0 ||
        !strstr(ctrls, "memory"))
        return;
    if (rt_path(cg->parent[0], sizeof cg->parent[0], CG_ROOT "/boxtopd-%s", rt->instance) < 0)
        return;
    if (mkdir(cg->parent[0], 0755) < 0 && errno != EEXIST) return;
    /* Each word separately: one unavailable controller must not block the others. */
    static const char *const enable[] = {"+memory", "+cpu", "+pids"};
    for (int i = 0; i < 3; i++) {
        rt_write_str(CG_ROOT "/cgroup.subtree_control", enable[i]);
        if (rt_path(p, sizeof p, "%s/cgroup.subtree_control", cg->parent[0]) == 0)
            rt_write_str(p, enable[i]);
    }
    if (rt_path(p, sizeof p, "%s/cgroup.subtree_control", cg->parent[0]) < 0 ||
        rt_read_file(p, ctrls, sizeof ctrls) < 0)
        return;
    cg->version = 2;
    cg->have[RT_CG_MEMORY] = strstr(ctrls, "memory") != NULL;
    cg->have[RT_CG_CPU] = strstr(ctrls, "cpu") != NULL;
    cg->have[RT_CG_PIDS] = strstr(ctrls, "pids") != NULL;
    cg->have[RT_CG_CPUACCT] = true; /* cpu.stat usage_usec is always there */
    cg->have[RT_CG_FREEZER] = true; /* cgroup.freeze, Linux >= 5.2; checked on use */
}

static void cg_set(const struct rt *rt, int c, const char *id, const char *file, long long v,
                   struct error *err, bool *ok)
{
    char p[PATH_MAX], val[32];
    if (!rt->cg.have[c] || cg_file(rt, c, id, file, p, sizeof p) < 0) return;
    snprintf(val, sizeof val, "%lld", v);
    if (rt_write_str(p, val) < 0 && *ok) {
        error_set(err, ERROR_GENERIC, "cgroup %s=%s: %s", file, val, strerror(errno));
        *ok = false;
    }
}

int rt_cgroup_create(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    if (rt->cg.version == 0) return 0;
    char p[PATH_MAX];
    for (int c = 0; c < RT_CG_N; c++) {
        if (!rt->cg.have[c] || (rt->cg.version == 2 && c > 0)) continue;
        if (cg_dir(rt, c, sb->id, p, sizeof p) < 0)
            return error_set(err, ERROR_GENERIC, "cgroup path too long");
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return error_set(err, ERROR_GENERIC, "mkdir %s: %s", p, strerror(errno));
    }
    return rt_cgroup_limits(rt, sb, err);
}

/* A spare's groups get the sandbox's name when it is taken: v1 only (v2 cannot rename). On
 * failure the ones renamed already are renamed back. */
int rt_cgroup_rename(const struct rt *rt, const char *from, const char *to)
{
    if (rt->cg.version == 0) return 0;
    if (rt->cg.version != 1) {
        errno = EPERM;
        return -1;
    }
    char a[PATH_MAX], b[PATH_MAX];
    for (int c = 0; c < RT_CG_N; c++) {
        if (!rt->cg.have[c]) continue;
        if (cg_dir(rt, c, from, a, sizeof a) < 0 || cg_dir(rt, c, to, b, sizeof b) < 0 ||
            rename(a, b) < 0) {
            int e = errno;
            while (c-- > 0)
                if (rt->cg.have[c] && cg_dir(rt, c, from, a, sizeof a) == 0 &&
                    cg_dir(rt, c, to, b, sizeof b) == 0)
                    rename(b, a);
            errno = e;
            return -1;
        }
    }
    return 0;
}

/* The spec's memory, cpu and pids limits on sb's groups. */
int rt_cgroup_limits(struct rt *rt, struct rt_sandbox *sb, struct error *err)
{
    if (rt->cg.version == 0) return 0;
    char p[PATH_MAX];
    bool ok = true;
    long long mem = (long long)sb->spec.memory_mb * 1024 * 1024;
    int pids = sb->spec.pids_max > 0 ? sb->spec.pids_max : 4096;
    if (rt->cg.version == 1) {
        if (mem > 0) {
            cg_set(rt, RT_CG_MEMORY, sb->id, "memory.limit_in_bytes", mem, err, &ok);
            bool ignore = true; /* memsw exists only with swap accounting */
            cg_set(rt, RT_CG_MEMORY, sb->id, "memory.memsw.limit_in_bytes", mem, NULL, &ignore);
        }
        if (sb->spec.cpu_count > 0) {
            cg_set(rt, RT_CG_CPU, sb->id, "cpu.cfs_period_us", 100000, err, &ok);
            cg_set(rt, RT_CG_CPU, sb->id, "cpu.cfs_quota_us", 100000LL * sb->spec.cpu_count, err,
                   &ok);
        }
        cg_set(rt, RT_CG_PIDS, sb->id, "pids.max", pids, err, &ok);
    } else {
        if (mem > 0) {
            cg_set(rt, RT_CG_MEMORY, sb->id, "memory.max", mem, err, &ok);
            bool ignore = true;
            cg_set(rt, RT_CG_MEMORY, sb->id, "memory.swap.max", 0, NULL, &ignore);
        }
        if (sb->spec.cpu_count > 0 && rt->cg.have[RT_CG_CPU] &&
            cg_file(rt, 0, sb->id, "cpu.max", p, sizeof p) == 0) {
            char val[64];
            snprintf(val, sizeof val, "%lld 100000", 100000LL * sb->spec.cpu_count);
            if (rt_write_str(p, val) < 0 && ok) {
                error_set(err, ERROR_GENERIC, "cgroup cpu.max: %s", strerror(errno));
                ok = false;
            }
        }
        cg_set(rt, RT_CG_PIDS, sb->id, "pids.max", pids, err, &ok);
    }
    return ok ? 0 : -1;
}

/* In the setup child before it forks init: everything below inherits the groups.
 * v1: the child is single-threaded (a fork), so "0" (the writing thread) into "tasks" moves the
 * whole process. That is what keeps a create fast: moving a process through cgroup.procs takes
 * the kernel's global threadgroup lock for writing, an RCU grace period (7-16 ms on a busy
 * machine when no other migration ran just before: issue 22), while moving the writer's own
 * single thread skips that lock. cgroup.procs stays the fallback. */
int rt_cgroup_attach_self(const struct rt *rt, const char *id)
{
    char p[PATH_MAX], pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    for (int c = 0; c < RT_CG_N; c++) {
        if (!rt->cg.have[c] || (rt->cg.version == 2 && c > 0)) continue;
        if (rt->cg.version == 1 && cg_file(rt, c, id, "tasks", p, sizeof p) == 0 &&
            rt_write_str(p, "0") == 0)
            continue;
        if (cg_file(rt, c, id, "cgroup.procs", p, sizeof p) < 0 || rt_write_str(p, pid) < 0)
            return -errno;
    }
    return 0;
}

int rt_cgroup_freeze(struct rt *rt, struct rt_sandbox *sb, bool frozen)
{
    char p[PATH_MAX];
    if (!rt->cg.have[RT_CG_FREEZER]) return -ENOTSUP;
    if (rt->cg.version == 1) {
        if (cg_file(rt, RT_CG_FREEZER, sb->id, "freezer.state", p, sizeof p) < 0)
            return -ENAMETOOLONG;
        return rt_write_str(p, frozen ? "FROZEN" : "THAWED") < 0 ? -errno : 0;
    }
    if (cg_file(rt, 0, sb->id, "cgroup.freeze", p, sizeof p) < 0) return -ENAMETOOLONG;
    return rt_write_str(p, frozen ? "1" : "0") < 0 ? -errno : 0;
}

/* 1 frozen (or freezing), 0 thawed, -1 unknown. */
int rt_cgroup_is_frozen(const struct rt *rt, const char *id)
{
    char p[PATH_MAX], buf[64];
    if (!rt->cg.have[RT_CG_FREEZER]) return -1;
    if (rt->cg.version == 1) {
        if (cg_file(rt, RT_CG_FREEZER, id, "freezer.state", p, sizeof p) < 0 ||
            rt_read_file(p, buf, sizeof buf) < 0)
            return -1;
        return strncmp(buf, "THAWED", 6) != 0;
    }
    if (cg_file(rt, 0, id, "cgroup.freeze", p, sizeof p) < 0 ||
        rt_read_file(p, buf, sizeof buf) < 0)
        return -1;
    return buf[0] == '1';
}

static int cg_any(const struct rt *rt)
{
    static const int order[] = {RT_CG_PIDS, RT_CG_FREEZER, RT_CG_MEMORY, RT_CG_CPUACCT, RT_CG_CPU};
    for (int i = 0; i < RT_CG_N; i++)
        if (rt->cg.have[order[i]]) return order[i];
    return -1;
}

int rt_cgroup_pids(const struct rt *rt, const char *id, pid_t *pids, int max)
{
    char p[PATH_MAX], buf[65536];
    int c = cg_any(rt);
    if (c < 0 || cg_file(rt, c, id, "cgroup.procs", p, sizeof p) < 0 ||
        rt_read_file(p, buf, sizeof buf) < 0)
        return -1;
    int n = 0;
    for (char *s = buf; *s && n < max;) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s) break;
        if (v > 0) pids[n++] = (pid_t)v;
        s = end;
        while (*s == '\n')
            s++;
    }
    return n;
}

/* SIGKILL every task; a frozen group is thawed so the kills are delivered. */
int rt_cgroup_kill_all(const struct rt *rt, const char *id)
{
    char kp[PATH_MAX];
    if (rt->cg.version == 2 && cg_file(rt, 0, id, "cgroup.kill", kp, sizeof kp) == 0)
        rt_write_str(kp, "1"); /* Linux >= 5.14: the kernel kills the whole group at once */
    pid_t pids[4096];
    int n = rt_cgroup_pids(rt, id, pids, 4096);
    if (n <= 0) return 0;
    for (int i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    char p[PATH_MAX];
    if (rt->cg.have[RT_CG_FREEZER]) {
        if (rt->cg.version == 1 &&
            cg_file(rt, RT_CG_FREEZER, id, "freezer.state", p, sizeof p) == 0)
            rt_write_str(p, "THAWED");
        else if (rt->cg.version == 2 && cg_file(rt, 0, id, "cgroup.freeze", p, sizeof p) == 0)
            rt_write_str(p, "0");
    }
    return n;
}

int rt_cgroup_remove(const struct rt *rt, const char *id)
{
    char p[PATH_MAX];
    int rc = 0;
    for (int c = 0; c < RT_CG_N; c++) {
        if (!rt->cg.have[c] || (rt->cg.version == 2 && c > 0)) continue;
        if (cg_dir(rt, c, id, p, sizeof p) < 0) continue;
        if (rmdir(p) < 0 && errno != ENOENT) rc = -EBUSY;
    }
    return rc;
}

void rt_cgroup_cleanup_parent(const struct rt *rt)
{
    for (int c = 0; c < RT_CG_N; c++)
        if (rt->cg.have[c] && rt->cg.parent[c][0])
            rmdir(rt->cg.parent[c]); /* fails while other sandboxes use it: fine */
}

static long long stat_field(const char *text, const char *key)
{
    size_t kl = strlen(key);
    for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
        if (strncmp(s, key, kl) == 0 && s[kl] == ' ') return strtoll(s + kl + 1, NULL, 10);
    }
    return -1;
}

static long long host_mem_total(void)
{
    char buf[4096];
    if (rt_read_file("/proc/meminfo", buf, sizeof buf) < 0) return 0;
    char *s = strstr(buf, "MemTotal:");
    return s ? strtoll(s + 9, NULL, 10) * 1024 : 0;
}

/* Memory used = usage minus inactive file cache (what `docker stats` shows): page cache the
 * kernel can drop at once is not counted against the sandbox. */
int rt_cgroup_sample(const struct rt *rt, const char *id, struct rt_metrics *m)
{
    char p[PATH_MAX], buf[8192];
    long long v;
    if (rt->cg.version == 0) return -1;
    bool v1 = rt->cg.version == 1;
    if (rt->cg.have[RT_CG_CPUACCT]) {
        if (v1) {
            if (cg_file(rt, RT_CG_CPUACCT, id, "cpuacct.usage", p, sizeof p) == 0 &&
                rt_read_ll(p, &v) == 0)
                m->cpu_usage_ns = v;
        } else if (cg_file(rt, 0, id, "cpu.stat", p, sizeof p) == 0 &&
                   rt_read_file(p, buf, sizeof buf) >= 0) {
            v = stat_field(buf, "usage_usec");
            if (v >= 0) m->cpu_usage_ns = v * 1000;
        }
    }
    if (rt->cg.have[RT_CG_MEMORY]) {
        long long use = -1, inactive = 0, limit = -1;
        if (cg_file(rt, RT_CG_MEMORY, id, v1 ? "memory.usage_in_bytes" : "memory.current", p,
                    sizeof p) == 0)
            rt_read_ll(p, &use);
        if (cg_file(rt, RT_CG_MEMORY, id, "memory.stat", p, sizeof p) == 0 &&
            rt_read_file(p, buf, sizeof buf) >= 0) {
            inactive = stat_field(buf, v1 ? "total_inactive_file" : "inactive_file");
            if (inactive < 0) inactive = 0;
        }
        if (cg_file(rt, RT_CG_MEMORY, id, v1 ? "memory.limit_in_bytes" : "memory.max", p,
                    sizeof p) == 0)
            rt_read_ll(p, &limit);
        if (use >= 0) m->mem_used = use > inactive ? use - inactive : 0;
        long long host = host_mem_total();
        m->mem_total = (limit < 0 || (host > 0 && limit > host)) ? host : limit;
    }
    if (rt->cg.have[RT_CG_MEMORY] &&
        cg_file(rt, RT_CG_MEMORY, id, v1 ? "memory.oom_control" : "memory.events", p, sizeof p) ==
            0 &&
        rt_read_file(p, buf, sizeof buf) >= 0) {
        v = stat_field(buf, "oom_kill");
        if (v > 0) m->oom_kills = v;
    }
    if (rt->cg.have[RT_CG_PIDS] && cg_file(rt, RT_CG_PIDS, id, "pids.current", p, sizeof p) == 0 &&
        rt_read_ll(p, &v) == 0)
        m->pids = (int)v;
    return 0;
}
