/* commands.c - pairing process events into commands, and one command's output with the seam
 * between logged and live lines (commands.h; envd-process-logs.md §5).
 *
 * The history keeps every event it was given, de-duplicated (pages overlap: millisecond
 * cursors) and sorted by envd's timestamp (lines arrive out of order), and rebuilds the
 * commands from them when asked: rebuilding from the whole sorted list is what makes a late
 * line land in the right command. Pairing: operation_id within one envd boot first (the
 * counter going down starts a new boot), else the newest open command with that pid; never
 * across an end, so a reused pid starts a new command. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/commands.h"
#include "boxtop/envd.h"

void cmd_hist_init(struct cmd_hist *h)
{
    memset(h, 0, sizeof *h);
}

static void cmd_clear(struct cmd *c)
{
    free(c->command);
    free(c->status);
    free(c->cwd);
    free(c->user);
}

static void cmds_free(struct cmd *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cmd_clear(&v[i]);
    free(v);
}

void cmd_hist_free(struct cmd_hist *h)
{
    cmd_evs_free(&h->evs);
    cmds_free(h->v, h->n);
    cmds_free(h->listed, h->nlisted);
    free(h->alive);
    memset(h, 0, sizeof *h);
}

/* Tie-break within one timestamp: start < output < end (§5.2). */
static int type_rank(enum cmd_ev_type t)
{
    return t == CMD_EV_START ? 0 : t == CMD_EV_END ? 3 : t == CMD_EV_MARKER ? 2 : 1;
}

static int ev_cmp(const void *a, const void *b)
{
    const struct cmd_ev *x = a, *y = b;
    if (x->ts_ns != y->ts_ns) return x->ts_ns < y->ts_ns ? -1 : 1;
    if (type_rank(x->type) != type_rank(y->type)) return type_rank(x->type) - type_rank(y->type);
    if (x->pid != y->pid) return x->pid < y->pid ? -1 : 1;
    if (x->op != y->op) return x->op < y->op ? -1 : 1;
    if (x->is_stderr != y->is_stderr) return x->is_stderr ? 1 : -1;
    return strcmp(x->text ? x->text : "", y->text ? y->text : "");
}

/* Sort and drop duplicates (the second of two equal events). */
static size_t evs_normalize(struct cmd_evs *e)
{
    if (e->n < 2) return e->n;
    qsort(e->v, e->n, sizeof *e->v, ev_cmp);
    size_t w = 1;
    for (size_t r = 1; r < e->n; r++) {
        if (ev_cmp(&e->v[w - 1], &e->v[r]) == 0) {
            free(e->v[r].text);
            continue;
        }
        e->v[w++] = e->v[r];
    }
    e->n = w;
    return w;
}

/* Is ev already in the sorted, unique h->evs? (binary search) */
static bool hist_has(const struct cmd_hist *h, const struct cmd_ev *ev)
{
    size_t lo = 0, hi = h->evs.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = ev_cmp(&h->evs.v[mid], ev);
        if (c == 0) return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t cmd_hist_add(struct cmd_hist *h, struct cmd_evs *evs)
{
    size_t before = h->evs.n;
    bool in_order = true;
    /* pages overlap (ms cursors): most of a follow-up page is known already, and a known
     * event costs a binary search, not a sort of the whole history */
    evs_normalize(evs);
    for (size_t i = 0; i < evs->n; i++) {
        struct cmd_ev *ev = &evs->v[i];
        h->saw_process = true;
        if (ev->type == CMD_EV_OUTPUT || ev->type == CMD_EV_MARKER) h->saw_output = true;
        if (hist_has(h, ev)) {
            free(ev->text);
            continue;
        }
        if (h->evs.n == h->evs.cap) {
            size_t nc = h->evs.cap ? h->evs.cap * 2 : 256;
            struct cmd_ev *nv = realloc(h->evs.v, nc * sizeof *nv);
            if (!nv) {
                free(ev->text);
                continue;
            }
            h->evs.v = nv;
            h->evs.cap = nc;
        }
        if (h->evs.n > before && ev_cmp(&h->evs.v[h->evs.n - 1], ev) > 0) in_order = false;
        if (h->evs.n == before && before && ev_cmp(&h->evs.v[before - 1], ev) > 0) in_order = false;
        h->evs.v[h->evs.n++] = *ev;
    }
    free(evs->v);
    memset(evs, 0, sizeof *evs);
    if (!in_order) evs_normalize(&h->evs); /* a late line: sort it into place */
    if (h->evs.n > before) h->gen++;
    return h->evs.n - before;
}

bool cmd_is_internal(const char *command)
{
    if (!command) return false;
    const char *p = strstr(command, " " CMD_INTERNAL_TAG);
    return p && (p[sizeof CMD_INTERNAL_TAG] == ' ' || p[sizeof CMD_INTERNAL_TAG] == '\0') &&
           strncmp(command, "/bin/sh -c ", 11) == 0;
}

static struct cmd *cmds_push(struct cmd **v, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        struct cmd *nv = realloc(*v, nc * sizeof *nv);
        if (!nv) return NULL;
        *v = nv;
        *cap = nc;
    }
    struct cmd *c = &(*v)[(*n)++];
    memset(c, 0, sizeof *c);
    c->op = -1;
    return c;
}

/* The open command an event belongs to: same boot and operation_id, else newest open with
 * the pid that started no later than the event. */
static struct cmd *find_open(struct cmd *v, size_t n, const char *open, unsigned boot,
                             const struct cmd_ev *ev)
{
    if (ev->op >= 0)
        for (size_t i = n; i-- > 0;)
            if (open[i] && v[i].op == ev->op && v[i].boot == boot) return &v[i];
    for (size_t i = n; i-- > 0;)
        if (open[i] && v[i].pid == ev->pid && v[i].start_ns <= ev->ts_ns) return &v[i];
    return NULL;
}

static void apply_end(struct cmd *c, const struct cmd_ev *ev)
{
    c->end_ns = ev->ts_ns;
    if (ev->has_bytes) {
        c->has_bytes = true;
        c->stdout_bytes = ev->stdout_bytes;
        c->stderr_bytes = ev->stderr_bytes;
        c->pty_bytes = ev->pty_bytes;
    }
    if (ev->text) c->status = strdup(ev->text);
    if (!ev->has_result) {
        c->result = CMD_ENDED;
    } else if (ev->exit_code == -1 ||
               (!ev->exited && ev->text && !strncmp(ev->text, "signal", 6))) {
        c->result = CMD_SIGNAL;
        c->exit_code = -1;
    } else {
        c->exit_code = ev->exit_code; /* omitted when 0 */
        c->result = ev->exit_code == 0 ? CMD_OK : CMD_EXIT;
    }
}

/* See CMD_UNLISTED_SLACK_NS. */
static void end_unlisted(struct cmd_hist *h)
{
    if (!h->alive_ns) return;
    bool changed = false;
    for (size_t i = 0; i < h->n; i++) {
        struct cmd *c = &h->v[i];
        if (c->result != CMD_RUNNING || c->start_ns > h->alive_ns - CMD_UNLISTED_SLACK_NS) continue;
        bool listed = false;
        for (size_t k = 0; k < h->nalive && !listed; k++)
            listed = h->alive[k] == c->pid;
        if (listed) continue;
        c->result = CMD_ENDED;
        c->end_ns = h->alive_ns;
        changed = true;
    }
    if (changed) h->gen++;
}

void cmd_hist_rebuild(struct cmd_hist *h)
{
    struct cmd *v = NULL;
    size_t n = 0, cap = 0, ocap = 0;
    char *open = NULL;
    unsigned boot = 0;
    int64_t last_op = -1;

    for (size_t i = 0; i < h->evs.n; i++) {
        const struct cmd_ev *ev = &h->evs.v[i];
        if (n + 1 > ocap) {
            size_t nc = ocap ? ocap * 2 : 64;
            char *no = realloc(open, nc);
            if (!no) break;
            open = no;
            ocap = nc;
        }
        if (ev->type == CMD_EV_START) {
            /* the counter going down: envd restarted (cold boot, self-upgrade) */
            if (ev->op >= 0) {
                if (last_op >= 0 && ev->op < last_op) boot++;
                last_op = ev->op;
            }
            struct cmd *c = cmds_push(&v, &n, &cap);
            if (!c) break;
            c->pid = ev->pid;
            c->op = ev->op;
            c->boot = boot;
            c->command = strdup(ev->text ? ev->text : "");
            c->start_ns = ev->ts_ns;
            c->internal = cmd_is_internal(c->command);
            open[n - 1] = 1;
            continue;
        }
        struct cmd *c = find_open(v, n, open, boot, ev);
        if (ev->type == CMD_EV_END) {
            if (!c) { /* an end without a start: started before the window, in a fork... */
                c = cmds_push(&v, &n, &cap);
                if (!c) break;
                c->pid = ev->pid;
                c->op = ev->op;
                c->boot = boot;
            }
            apply_end(c, ev);
            open[c - v] = 0;
        } else if (c) {
            if (ev->type == CMD_EV_MARKER) {
                c->truncated = true;
            } else {
                c->out_lines++;
                /* out_len: the size also when the parser dropped the text */
                c->out_bytes += ev->text ? strlen(ev->text) + 1 : ev->out_len;
            }
        }
    }
    if (h->sandbox_gone)
        for (size_t i = 0; i < n; i++)
            if (open && open[i]) v[i].result = CMD_GONE;
    free(open);
    cmds_free(h->v, h->n);
    h->v = v;
    h->n = n;
    end_unlisted(h);
    h->gen++;
}

void cmd_hist_set_listed(struct cmd_hist *h, const struct cmd_listed *l, size_t n, int64_t now_ns)
{
    struct cmd *old = h->listed;
    size_t nold = h->nlisted, cap = 0;
    h->listed = NULL;
    h->nlisted = 0;
    uint32_t *alive = n ? malloc(n * sizeof *alive) : NULL;
    if (alive || !n) { /* out of memory: the last list stays the one to go by */
        for (size_t i = 0; i < n; i++)
            alive[i] = l[i].pid;
        free(h->alive);
        h->alive = alive;
        h->nalive = n;
        h->alive_ns = now_ns;
        end_unlisted(h);
    }
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t j = 0; j < h->n && !known; j++)
            if (h->v[j].pid == l[i].pid && h->v[j].result == CMD_RUNNING) {
                known = true;
                if (l[i].cwd && !h->v[j].cwd) h->v[j].cwd = strdup(l[i].cwd);
            }
        if (known) continue;
        struct cmd *c = cmds_push(&h->listed, &h->nlisted, &cap);
        if (!c) break;
        c->pid = l[i].pid;
        c->command = strdup(l[i].command ? l[i].command : "");
        c->cwd = l[i].cwd ? strdup(l[i].cwd) : NULL;
        c->listed_only = true;
        c->internal =
            (l[i].tag && !strcmp(l[i].tag, CMD_INTERNAL_TAG)) || cmd_is_internal(c->command);
    }
    /* no process events in the log: what boxtop saw end stays, as ended */
    for (size_t k = 0; k < nold && !h->saw_process; k++) {
        struct cmd *o = &old[k];
        bool still = false; /* a running one listed again; the ended ones all stay */
        for (size_t i = 0; o->result == CMD_RUNNING && i < h->nlisted && !still; i++)
            still = h->listed[i].pid == o->pid && h->listed[i].result == CMD_RUNNING &&
                    !strcmp(h->listed[i].command, o->command ? o->command : "");
        if (still) continue;
        struct cmd *c = cmds_push(&h->listed, &h->nlisted, &cap);
        if (!c) break;
        *c = *o;
        memset(o, 0, sizeof *o);
        if (c->result == CMD_RUNNING) {
            c->result = CMD_ENDED;
            c->end_ns = now_ns;
        }
    }
    cmds_free(old, nold);
}

const char *cmd_display(const char *command)
{
    static const char *const wrappers[] = {"/bin/bash -l -c ", "/bin/bash -c ", "/bin/sh -c "};
    if (!command) return "";
    for (size_t i = 0; i < sizeof wrappers / sizeof wrappers[0]; i++) {
        size_t k = strlen(wrappers[i]);
        if (!strncmp(command, wrappers[i], k) && command[k]) return command + k;
    }
    if (!strcmp(command, "/bin/bash -i -l")) return "bash (terminal)";
    return command;
}

void cmd_result_text(const struct cmd *c, char *out, size_t n)
{
    switch (c->result) {
    case CMD_RUNNING:
        snprintf(out, n, "running");
        break;
    case CMD_OK:
        snprintf(out, n, "exit 0");
        break;
    case CMD_EXIT:
        snprintf(out, n, "exit %d", c->exit_code);
        break;
    case CMD_SIGNAL:
        snprintf(out, n, "%s",
                 c->status && !strncmp(c->status, "signal: ", 8) ? c->status + 0 : "signal");
        break;
    case CMD_ENDED:
        snprintf(out, n, "ended");
        break;
    case CMD_GONE:
        snprintf(out, n, "ended with the sandbox");
        break;
    }
}

bool cmd_failed(const struct cmd *c)
{
    return c->result == CMD_EXIT || c->result == CMD_SIGNAL;
}

int cmd_exit_status(const struct cmd *c)
{
    if (c->result == CMD_OK) return 0;
    if (c->result == CMD_EXIT) return c->exit_code & 0xff;
    if (c->result == CMD_SIGNAL) {
        const char *s = c->status && !strncmp(c->status, "signal: ", 8) ? c->status + 8 : "";
        int sig = envd_signal_number(s);
        return 128 + (sig ? sig : 9); /* a signal it does not name: as if killed */
    }
    return -1;
}

bool cmd_matches(const struct cmd *c, const char *filter)
{
    char word[256];
    const char *p = filter;
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (!k) break;
        snprintf(word, sizeof word, "%.*s", (int)(k < sizeof word ? k : sizeof word - 1), p);
        p += k;
        if (!strcmp(word, "state:failed")) {
            if (!cmd_failed(c)) return false;
        } else if (!strcmp(word, "state:running")) {
            if (c->result != CMD_RUNNING) return false;
        } else if (!strcmp(word, "state:ok")) {
            if (c->result != CMD_OK) return false;
        } else if (!c->command || !strcasestr(c->command, word)) {
            return false;
        }
    }
    return true;
}

/* ---- one command's output ---- */

void cmd_output_init(struct cmd_output *o)
{
    memset(o, 0, sizeof *o);
}

void cmd_output_free(struct cmd_output *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->v[i].text);
    free(o->v);
    cmd_evs_free(&o->pending);
    free(o->part[0].p);
    free(o->part[1].p);
    memset(o, 0, sizeof *o);
}

static int line_insert(struct cmd_output *o, size_t at, int64_t ts, bool err, bool marker,
                       char *text)
{
    if (o->n == o->cap) {
        size_t nc = o->cap ? o->cap * 2 : 256;
        struct cmd_line *nv = realloc(o->v, nc * sizeof *nv);
        if (!nv) {
            free(text);
            return -1;
        }
        o->v = nv;
        o->cap = nc;
    }
    memmove(&o->v[at + 1], &o->v[at], (o->n - at) * sizeof *o->v);
    o->v[at] = (struct cmd_line){ts, err, marker, text};
    o->n++;
    if (marker) o->truncated = true;
    return 0;
}

void cmd_output_add_logged(struct cmd_output *o, struct cmd_evs *evs)
{
    for (size_t i = 0; i < evs->n; i++) {
        struct cmd_ev *ev = &evs->v[i];
        char *text = ev->text;
        ev->text = NULL;
        if (ev->type != CMD_EV_OUTPUT && ev->type != CMD_EV_MARKER) {
            free(text);
            continue;
        }
        if (o->attach_ns && ev->ts_ns >= o->attach_ns) {
            if (o->seam_done) { /* the live stream has it */
                free(text);
                continue;
            }
            struct cmd_ev *p = NULL;
            if (o->pending.n == o->pending.cap) {
                size_t nc = o->pending.cap ? o->pending.cap * 2 : 32;
                struct cmd_ev *nv = realloc(o->pending.v, nc * sizeof *nv);
                if (nv) {
                    o->pending.v = nv;
                    o->pending.cap = nc;
                }
            }
            if (o->pending.n < o->pending.cap) p = &o->pending.v[o->pending.n++];
            if (!p) {
                free(text);
                continue;
            }
            *p = *ev;
            p->text = text;
            continue;
        }
        /* sorted insert among the logged lines; equal (time, stream, text) = a repeat */
        size_t at = o->logged;
        while (at > 0 && o->v[at - 1].ts_ns > ev->ts_ns)
            at--;
        bool dup = false;
        for (size_t j = at; j-- > 0 && o->v[j].ts_ns == ev->ts_ns;)
            if (o->v[j].is_stderr == ev->is_stderr &&
                o->v[j].marker == (ev->type == CMD_EV_MARKER) &&
                !strcmp(o->v[j].text ? o->v[j].text : "", text ? text : ""))
                dup = true;
        if (dup) {
            free(text);
            continue;
        }
        if (line_insert(o, at, ev->ts_ns, ev->is_stderr, ev->type == CMD_EV_MARKER, text) == 0)
            o->logged++;
    }
    cmd_evs_free(evs);
    evs_normalize(&o->pending);
}

void cmd_output_attach(struct cmd_output *o, int64_t now_ns)
{
    o->attach_ns = now_ns;
    o->seam_done = false;
}

static void live_line(struct cmd_output *o, bool err, const char *p, size_t len)
{
    if (len && p[len - 1] == '\r') len--;
    char *t = malloc(len + 1);
    if (!t) return;
    memcpy(t, p, len);
    t[len] = '\0';
    line_insert(o, o->n, 0, err, false, t);
}

void cmd_output_add_live(struct cmd_output *o, bool is_stderr, const char *data, size_t len)
{
    int s = is_stderr ? 1 : 0;
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        if (!nl || o->part[s].len) {
            char *np = realloc(o->part[s].p, o->part[s].len + take + 1);
            if (!np) return;
            memcpy(np + o->part[s].len, data, take);
            o->part[s].p = np;
            o->part[s].len += take;
            if (!nl) return;
            live_line(o, is_stderr, o->part[s].p, o->part[s].len);
            o->part[s].len = 0;
        } else {
            live_line(o, is_stderr, data, take);
        }
        data += take + 1;
        len -= take + 1;
    }
}

void cmd_output_live_end(struct cmd_output *o)
{
    for (int s = 0; s < 2; s++)
        if (o->part[s].len) {
            live_line(o, s == 1, o->part[s].p, o->part[s].len);
            o->part[s].len = 0;
        }
}

size_t cmd_seam_split(const char *const *log, size_t nlog, const char *const *live, size_t nlive)
{
    if (!nlive) return nlog + 1; /* nothing to line up with yet */
    for (size_t i = 0; i < nlog; i++) {
        size_t common = nlog - i < nlive ? nlog - i : nlive;
        size_t k = 0;
        while (k < common && !strcmp(log[i + k], live[k]))
            k++;
        if (k == common) return i;
    }
    return nlog;
}

void cmd_output_seam(struct cmd_output *o, bool final)
{
    if (!o->attach_ns || o->seam_done) return;
    size_t nlive = o->n - o->logged, nlog = o->pending.n;
    const char **a = calloc(nlog + 1, sizeof *a), **b = calloc(nlive + 1, sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return;
    }
    for (size_t i = 0; i < nlog; i++)
        a[i] = o->pending.v[i].text ? o->pending.v[i].text : "";
    for (size_t i = 0; i < nlive; i++)
        b[i] = o->v[o->logged + i].text ? o->v[o->logged + i].text : "";
    size_t split = cmd_seam_split(a, nlog, b, nlive);
    free(a);
    free(b);
    if (split > nlog && !final) return; /* wait for the first live line */
    if (split > nlog) split = nlog;
    for (size_t i = 0; i < split; i++) {
        struct cmd_ev *ev = &o->pending.v[i];
        if (line_insert(o, o->logged, ev->ts_ns, ev->is_stderr, ev->type == CMD_EV_MARKER,
                        ev->text) == 0)
            o->logged++;
        ev->text = NULL;
    }
    cmd_evs_free(&o->pending);
    o->seam_done = true;
}
