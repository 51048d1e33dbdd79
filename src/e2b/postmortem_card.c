/* postmortem_card.c - a post-mortem as lines of text: the card the TUI draws and
 * `boxtop postmortem ID` prints. Raw strings from the backend are copied as they are: the TUI's
 * ui_text and the CLI's printer sanitize them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "boxtop/postmortem.h"

/* Memory at or above this share of the limit is worth saying on the card's first lines. */
#define PM_MEM_NOTE_PCT 90.0

const char *pm_cause_text(const struct postmortem *p, char *buf, size_t n)
{
    switch (p->cause) {
    case PM_CAUSE_PENDING:
        snprintf(buf, n, "%s", _("checking the lifecycle events…"));
        break;
    case PM_CAUSE_REQUEST:
        snprintf(buf, n, "%s", _("killed by a request"));
        break;
    case PM_CAUSE_TIMEOUT:
        snprintf(buf, n, "%s", _("time to live reached"));
        break;
    case PM_CAUSE_KILLED:
        if (p->cause_detail)
            snprintf(buf, n, _("killed (reason: %.64s)"), p->cause_detail);
        else
            snprintf(buf, n, "%s", _("killed (no reason given)"));
        break;
    case PM_CAUSE_TTL_SEEN:
        snprintf(buf, n, "%s", _("time to live reached (as boxtop saw it: no lifecycle event)"));
        break;
    case PM_CAUSE_UNREACHABLE:
        snprintf(buf, n, "%s",
                 _("ended while the backend was unreachable (cause unknown: no lifecycle event)"));
        break;
    default:
        snprintf(buf, n, "%s", _("cause unknown (no lifecycle event)"));
        break;
    }
    return buf;
}

int pm_mem_peak(const struct postmortem *p)
{
    int best = -1;
    for (int i = 0; i < p->n_samples; i++) {
        const struct pm_sample *s = &p->samples[i];
        if (s->mem_total <= 0) continue;
        if (best < 0 || s->mem_used >= p->samples[best].mem_used) best = i;
    }
    return best;
}

static void fmt_clock(char *out, size_t n, int64_t ms)
{
    if (ms <= 0) {
        snprintf(out, n, "?");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(out, n, "%H:%M:%S", &tm);
}

static void fmt_dur(char *out, size_t n, int64_t ms)
{
    if (ms < 0) ms = 0;
    long long s = (long long)(ms / 1000);
    if (s >= 3600)
        snprintf(out, n, "%lldh%02lldm", s / 3600, s % 3600 / 60);
    else if (s >= 60)
        snprintf(out, n, "%lldm%02llds", s / 60, s % 60);
    else
        snprintf(out, n, "%llds", s);
}

static void fmt_mib(char *out, size_t n, int64_t bytes)
{
    if (bytes < 1024 * 1024) /* an idle sandbox: "292 KiB", not "0 MiB" */
        snprintf(out, n, "%lld KiB", (long long)(bytes / 1024));
    else
        snprintf(out, n, "%lld MiB", (long long)(bytes / (1024 * 1024)));
}

struct lines {
    char **v;
    int n, cap;
    int oom;
};

static void add(struct lines *l, struct buf *b)
{
    if (l->n == l->cap) {
        int nc = l->cap ? l->cap * 2 : 32;
        char **nv = realloc(l->v, (size_t)nc * sizeof(*nv));
        if (!nv) {
            l->oom = 1;
            buf_free(b);
            return;
        }
        l->v = nv, l->cap = nc;
    }
    char *s = buf_steal(b);
    if (!s) s = strdup("");
    if (!s)
        l->oom = 1;
    else
        l->v[l->n++] = s;
}

static void add_text(struct lines *l, const char *s)
{
    struct buf b = BUF_INIT;
    buf_append_str(&b, s);
    add(l, &b);
}

/* "memory at 97 % of 512 MiB 8 s before the end" for the peak sample, when it is high. */
static void memory_lines(struct lines *l, const struct postmortem *p)
{
    int i = pm_mem_peak(p);
    struct buf b = BUF_INIT;
    if (i < 0) {
        add_text(l, _("memory: no samples (boxtop polls the sandboxes it shows)"));
        return;
    }
    const struct pm_sample *s = &p->samples[i];
    double pct = 100.0 * (double)s->mem_used / (double)s->mem_total;
    char used[32], total[32], at[32], before[48];
    fmt_mib(used, sizeof(used), s->mem_used);
    fmt_mib(total, sizeof(total), s->mem_total);
    fmt_clock(at, sizeof(at), s->t_ms);
    fmt_dur(before, sizeof(before), p->ended_ms - s->t_ms);
    buf_printf(&b, _("memory peak %s of %s (%.0f %%) at %s, %s before the end"), used, total, pct,
               at, before);
    if (pct >= PM_MEM_NOTE_PCT)
        buf_printf(&b, "  %s", _("(evidence of memory pressure, not a verdict)"));
    add(l, &b);
    if (p->n_samples < 2) return;
    double cpu_peak = 0, cpu_sum = 0;
    for (int k = 0; k < p->n_samples; k++) {
        cpu_sum += p->samples[k].cpu_pct;
        if (p->samples[k].cpu_pct > cpu_peak) cpu_peak = p->samples[k].cpu_pct;
    }
    char span[48];
    fmt_dur(span, sizeof(span), p->samples[p->n_samples - 1].t_ms - p->samples[0].t_ms);
    buf_printf(&b, _("cpu over its last %s: average %.0f %%, peak %.0f %% (%d samples)"), span,
               cpu_sum / p->n_samples, cpu_peak, p->n_samples);
    add(l, &b);
}

int pm_card_lines(const struct postmortem *p, char ***out, int64_t now_ms)
{
    struct lines l = {0};
    struct buf b = BUF_INIT;
    char t1[32], t2[32], d1[48], why[160];

    fmt_clock(t1, sizeof(t1), p->ended_ms);
    if (p->ended_ms > 0 && now_ms >= p->ended_ms) {
        fmt_dur(d1, sizeof(d1), now_ms - p->ended_ms);
        buf_printf(&b, _("%s ended %s (%s ago) — %s"), p->id, t1, d1,
                   pm_cause_text(p, why, sizeof(why)));
    } else {
        buf_printf(&b, _("%s ended %s — %s"), p->id, t1, pm_cause_text(p, why, sizeof(why)));
    }
    add(&l, &b);
    const char *tmpl = p->alias && p->alias[0] ? p->alias : p->template_id ? p->template_id : "?";
    if (p->started_ms > 0) {
        fmt_clock(t2, sizeof(t2), p->started_ms);
        fmt_dur(d1, sizeof(d1), p->ended_ms - p->started_ms);
        buf_printf(&b, _("ran %s (started %s) on %s, %d vCPU, %d MiB"), d1, t2, tmpl, p->cpu_count,
                   p->memory_mb);
    } else {
        buf_printf(&b, _("on %s, %d vCPU, %d MiB"), tmpl, p->cpu_count, p->memory_mb);
    }
    add(&l, &b);
    if (p->planned_end_ms > 0) {
        fmt_clock(t2, sizeof(t2), p->planned_end_ms);
        buf_printf(&b, p->auto_pause ? _("set to pause at %s") : _("set to end at %s"), t2);
        add(&l, &b);
    }
    memory_lines(&l, p);

    add_text(&l, "");
    add_text(&l, _("Last commands"));
    if (p->cmds_failed)
        add_text(&l, _("  (the commands history could not be read)"));
    else if (!p->n_cmds)
        add_text(&l, _("  (none logged)"));
    for (int i = 0; i < p->n_cmds; i++) {
        const struct pm_cmd *c = &p->cmds[i];
        fmt_clock(t1, sizeof(t1), c->start_ms);
        buf_printf(&b, "  %s  %-22s %s", t1, c->result ? c->result : "?",
                   c->command ? c->command : "?");
        add(&l, &b);
    }

    add_text(&l, "");
    add_text(&l, _("Last log lines"));
    if (p->logs_failed)
        add_text(&l, _("  (the logs could not be read)"));
    else if (!p->n_logs)
        add_text(&l, _("  (none)"));
    for (int i = 0; i < p->n_logs; i++) {
        fmt_clock(t1, sizeof(t1), p->logs[i].t_ms);
        buf_printf(&b, "  %s %-5s %s", t1, p->logs[i].level ? p->logs[i].level : "",
                   p->logs[i].msg ? p->logs[i].msg : "");
        add(&l, &b);
    }

    add_text(&l, "");
    add_text(&l, _("Lifecycle events"));
    if (p->events_failed)
        add_text(&l, _("  (the events API could not be read)"));
    else if (!p->n_events)
        add_text(&l, _("  (none)"));
    for (int i = 0; i < p->n_events; i++) {
        fmt_clock(t1, sizeof(t1), p->events[i].t_ms);
        buf_printf(&b, "  %s %s %s", t1, p->events[i].type ? p->events[i].type : "?",
                   p->events[i].detail ? p->events[i].detail : "");
        add(&l, &b);
    }
    buf_free(&b);
    if (l.oom) {
        pm_lines_free(l.v, l.n);
        return -1;
    }
    *out = l.v;
    return l.n;
}

void pm_lines_free(char **lines, int n)
{
    for (int i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}
