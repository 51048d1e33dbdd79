/* model.h - what the TUI knows about the backend: sandboxes, their metric history, team figures.
 *
 * The model is fed by a backend (the e2b platform client, or a recorded JSON replay) and read by
 * the views; views never talk to the network. Every string in it is stored raw, as the backend
 * sent it: the views sanitize at draw time. Each change bumps `generation`, which is how views
 * know to mark themselves dirty. The model can be written to JSON and read back (model_json.c),
 * which is what `--record FILE` and `--replay FILE` use. */
#ifndef BOXTOP_TUI_MODEL_H
#define BOXTOP_TUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Samples kept: 120 x 5 s = 10 minutes for the sandbox the detail view shows, 32 (enough for
 * the widest table sparkline, 2 samples per braille cell) for every other one. Kept samples
 * are packed to 32 bytes (model.c; the latest one is kept exactly), so 10 000 sandboxes cost
 * about 10 MB of history rather than 58. */
#define MODEL_HISTORY     120
#define MODEL_HISTORY_ROW 32

/* BOX_ENDED: a sandbox that left the list, kept by the post-mortem tracker (never in the
 * model itself: postmortem_track.h). */
enum box_state { BOX_RUNNING = 0, BOX_PAUSED, BOX_UNKNOWN, BOX_ENDED };

struct box_kv {
    char *key;
    char *value;
};

struct sample {
    int64_t t_ms;       /* wall clock of the sample */
    double cpu_pct;     /* 0..100 * cpu_count is clamped to 0..100 of the whole sandbox */
    int64_t mem_used;   /* bytes */
    int64_t mem_total;  /* bytes */
    int64_t disk_used;  /* bytes */
    int64_t disk_total; /* bytes */
};

struct box_proc { /* one process from envd Process.List */
    uint32_t pid;
    char *cmd; /* command and arguments, joined with spaces */
    char *tag; /* may be NULL */
};

struct box_log {
    int64_t t_ms;
    char *level; /* "info", ... (may be NULL) */
    char *msg;
};

/* Fetch state of the detail panels (processes, logs). */
enum panel_state { PANEL_NONE = 0, PANEL_LOADING, PANEL_OK, PANEL_ERROR };

struct box {
    char *id;
    char *template_id;
    char *alias;        /* may be NULL */
    char *envd_version; /* may be NULL */
    enum box_state state;
    int cpu_count;
    int memory_mb;
    int disk_mb;
    int64_t started_ms; /* wall clock, 0 = unknown */
    int64_t end_ms;     /* wall clock, 0 = unknown */
    struct box_kv *meta;
    int n_meta;
    /* ring buffer of samples, oldest first when read through box_sample_at() */
    struct hist *hist; /* ring of hist_cap (model.c), allocated with the first sample */
    int hist_cap;
    int hist_len;
    int hist_head;      /* index of the next write */
    uint32_t hist_gen;  /* bumped on every change of the kept samples (views cache drawings) */
    unsigned seen;      /* refresh round that last listed it (to drop vanished ones) */
    unsigned wanted;    /* model.demand when a view last asked for its metrics (on screen) */
    unsigned sampled;   /* backend round of its latest polled sample (0 = none) */
    int hist_full;      /* its history window was fetched since it last missed a round */
    uint64_t list_hash; /* hash of its last list object as sent (0 = none): unchanged ones are
                           not parsed again (backend_e2b.c) */
    uint32_t list_len;  /* and that object's length in bytes */
    /* filled only for the sandbox the detail view watches */
    struct box_proc *procs;
    int n_procs;
    enum panel_state procs_state;
    char *procs_err;
    struct box_log *logs;
    int n_logs;
    enum panel_state logs_state;
    char *logs_err;
    /* backend rounds: the last one it was on screen in, and since when (without a gap) */
    unsigned shown_round, shown_since;
};

struct model {
    struct box **sb; /* owned; order is arbitrary (views sort their own index) */
    int n, cap;
    uint64_t generation;   /* bumped on every change */
    uint64_t members;      /* bumped when a sandbox is added or removed (views reuse their row
                              order while it stays the same) */
    uint64_t removals;     /* bumped when a sandbox leaves (pointers to it are stale) */
    int loading;           /* no list has arrived yet */
    int64_t updated_ms;    /* wall clock of the last successful refresh, 0 = never */
    int concurrency_limit; /* 0 = unknown */
    double starts_per_min; /* -1 = unknown */
    char *backend_label;   /* e.g. "local boxtopd 127.0.0.1:49999" (no secrets) */
    char *context;         /* context name or NULL */
    unsigned round;        /* refresh rounds started */
    /* Metrics demand: before polling metrics the backend bumps `demand` and asks the views
     * (BACKEND_DEMAND); each stamps box.wanted = demand on the sandboxes it shows, and sets
     * metrics_all when it needs every running sandbox's latest sample (sorting by CPU,
     * memory or disk). At 10 000 sandboxes, polling only what is on screen is 1 request a
     * round instead of 100. */
    unsigned demand;
    int metrics_all;
    struct box **wanted; /* the sandboxes stamped for this demand (model_want), in order */
    int nwanted, cap_wanted;
    /* id → index into sb: open addressing, entries are (id hash << 32) | (index + 1), 0 =
     * empty; the stored hash spares most probes a look at the sandbox itself (a cache miss
     * each at 10 000 sandboxes). Rebuilt lazily after removals (which move the last sandbox
     * into the hole). */
    uint64_t *idx;
    int idx_cap; /* power of two, at least 2 * n */
    int idx_stale;
    /* Called instead of freeing a sandbox that leaves the model (model_remove, model_prune):
     * the callee owns s from then on and frees it with box_free(). NULL = freed at once. */
    void (*on_gone)(struct model *m, struct box *s, void *ud);
    void *gone_ud;
};

void model_init(struct model *m);
void model_free(struct model *m);
void model_touch(struct model *m); /* generation++ */

struct box *model_find(struct model *m, const char *id); /* O(1) */
int model_index_of(struct model *m, const char *id);     /* into m->sb, -1 = absent; O(1) */
/* Find or create the sandbox with this id (NULL on ENOMEM). */
struct box *model_upsert(struct model *m, const char *id);
int model_remove(struct model *m, const char *id); /* 0 when removed, -1 when absent */
/* Remove every sandbox whose seen != round (after a complete list). */
int model_prune(struct model *m, unsigned round);

/* Ask for s's metrics in the current demand (model.h "metrics demand"): stamps box.wanted
 * and lists s in model.wanted once. */
void model_want(struct model *m, struct box *s);

void box_free(struct box *s);

/* Sandbox field setters duplicate their strings; they return 0 or -1 on ENOMEM. */
int box_set_str(char **field, const char *value);
int box_set_meta(struct box *s, const char *key, const char *value);
void box_clear_meta(struct box *s);
const char *box_meta_get(const struct box *s, const char *key);
void box_add_sample(struct box *s, const struct sample *smp);
/* Keep up to cap samples from now on (the newest ones survive a shrink). 0 or -1 (ENOMEM). */
int box_history_reserve(struct box *s, int cap);
/* Merge a batch of samples (any order, e.g. a fetched history) with the kept ones: sorted by
 * time, duplicates dropped, the newest hist_cap kept. */
void box_merge_samples(struct box *s, const struct sample *v, int n);
/* i-th kept sample, 0 = oldest; NULL when out of range. Older samples are unpacked into one
 * slot of the box: the pointer is valid until the next box_sample_at() on the same box (the
 * latest sample has its own storage and stays valid until the next change). Kept samples are
 * exact except cpu_pct, which is held as a float (rounded back to 4 decimals), and byte
 * counts, which are clamped to 0..2^40-1. */
const struct sample *box_sample_at(const struct box *s, int i);
const struct sample *box_latest(const struct box *s);

/* Replace the process list / log lines (takes ownership of the arrays and their strings). */
void box_set_procs(struct box *s, struct box_proc *procs, int n);
void box_set_logs(struct box *s, struct box_log *logs, int n);
void box_panel_error(char **field, enum panel_state *state, const char *msg);

const char *box_state_name(enum box_state st);
enum box_state box_state_parse(const char *s);

#endif
