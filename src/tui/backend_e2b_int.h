/* backend_e2b_int.h - private to the live backend's files (backend_e2b*.c): the backend's
 * state and the functions its job files share. Calls go one way (tests/arch): backend_e2b.c
 * (vtable, construction, connect) → the jobs (_list, _metrics, _detail, _actions) → the round
 * core (_round: timer, round end, online/offline); the core reaches the jobs only through the
 * function pointers in struct e2b_backend. */
#ifndef BOXTOP_TUI_BACKEND_E2B_INT_H
#define BOXTOP_TUI_BACKEND_E2B_INT_H

#include <stdint.h>

#include "boxtop/api.h"
#include "boxtop/envd.h"
#include "boxtop/http.h"
#include "backend.h"
#include "list_memo.h"
#include "model.h"

#define MAX_TEMPLATES 64
/* Batch metrics calls in flight at once (http's connections per host). */
#define METRICS_AT_ONCE 8
/* Rows' history windows fetched at once (a screenful takes a few turns of these). */
#define HIST_SLOTS 8

struct row_hist {
    struct e2b_backend *b;
    struct api_call *call; /* NULL = free slot */
    char *id;
};

struct e2b_backend {
    struct backend base;
    struct http *http;
    struct api *api;
    int64_t timer;
    struct api_call *list_call, *tpl_call;
    /* the metrics of a round: calls of at most 100 ids; samples are staged and applied once
     * every call has answered, so a failing call adds none (as one batch call did) */
    int metrics_pending;
    struct staged *staged;
    int nstaged, cap_staged;
    struct error metrics_err;
    int again;   /* a poll was asked for while one was running */
    int offline; /* last poll failed at the network level */
    int metrics_warned;
    unsigned round;
    struct api_paging paging; /* this round's pages: bounded like `boxtop ls` (api_paging.c) */
    /* What the round is listing (backend_e2b_list.c): every running sandbox in one answer
     * (GET /sandboxes), then the paused ones page by page; or, from a server without that
     * unpaged list (v1_gone), every sandbox page by page. */
    enum { LIST_RUNNING, LIST_PAUSED, LIST_ALL } list_phase;
    int v1_gone;
    /* GET /sandboxes is received in the same memory every round: 4.5 MB at 10 000 sandboxes,
     * faulted in afresh each time it was a sixth of a round's CPU sorted by id */
    struct buf v1_body;
    size_t v1_len;    /* the last answer's size (the buffer is given up when far bigger) */
    int list_skipped; /* items of this round that were not valid sandboxes */
    char skip_why[256];
    char note[320]; /* what the last round cut or skipped, as last reported ("" = nothing) */
    /* starts per minute: ids first seen with a recent start time */
    int64_t starts[256];
    int nstarts;
    char *sandbox_url, *domain; /* where envd lives (NULL = per-sandbox cloud URL) */
    char *team_id;              /* team metrics (start rate) when known */
    struct api_call *team_call;
    int team_ok;   /* the team endpoint answered: its start rate wins over our estimate */
    int team_dead; /* it failed: stop asking */
    /* the detail view's sandbox: processes (envd Process.List) and latest logs */
    char *watch_id;
    struct envd_client envd;
    int envd_ready;
    struct api_call *info_call, *logs_call, *hist_call;
    /* history windows of rows that came on screen: a queue of ids and the calls in flight */
    char **hist_queue;
    int nhist_queue, cap_hist_queue;
    struct row_hist hist_slots[HIST_SLOTS];
    int hist_fails;    /* in a row: a backend without the per-sandbox endpoint is not asked again */
    unsigned all_from; /* the first round of the current sort by a metric (see hist_due) */
    int all_before;    /* the last round's batch asked for every running sandbox */
    struct http_request *procs_req;
    char *templates[MAX_TEMPLATES + 1];
    int ntemplates;
    int first_done;
    uint64_t trimmed_members; /* model.members at the last heap trim */
    int listed;               /* distinct sandboxes listed in this round */
    const char **batch_ids;   /* the round's batch metrics ids (box ids, see demand_scan) */
    int nbatch, cap_batch;
    /* the same sandboxes, and each call's share of them: an answer lists its sandboxes in
     * the order asked (the fixture, boxtopd), which spares a hash lookup each while the model
     * keeps the members it had (batch_members) */
    struct box **batch_boxes;
    int cap_batch_boxes;
    struct batch_part {
        struct e2b_backend *b;
        int first, n;
    } * parts;
    int cap_parts;
    int nparts, parts_next; /* the round's calls, and the next to start (e2b_metrics_more) */
    uint64_t batch_members;
    int scan_next; /* batch index the next entry of the answer being read is expected at */
    int changed;   /* the model changed in this round: report it when the round ends */
    int cursor;    /* model.sb index expected for the next listed sandbox (see on_list_object) */
    struct list_memo memo; /* last round's pages: unchanged ones are taken as they are */
    /* the jobs the round core (backend_e2b_round.c) starts, handed to it by backend_e2b_new()
     * so calls go one way: the job files call the core, never the other way round */
    void (*list_start)(struct e2b_backend *b);   /* a round's listing */
    void (*detail_fetch)(struct e2b_backend *b); /* the detail view's panels, each round */
};

/* What identifies a list object as sent: unchanged ones are not parsed again (box.list_*). */
struct obj_sig {
    uint64_t hash;
    uint32_t len;
};

struct staged {
    struct box *s; /* valid until the round ends: only a round's end prunes the model */
    struct sample smp;
};

struct action {
    struct e2b_backend *b;
    char *id;
    const char *verb; /* already translated "killed", ... */
    int ttl_s;        /* a new time to live: the report says when it ends instead */
};

/* backend_e2b_round.c: the poll timer and a round's end */
void e2b_schedule(struct e2b_backend *b, int64_t ms);
void e2b_round_done(struct e2b_backend *b);
void e2b_set_offline(struct e2b_backend *b, const struct error *err);
void e2b_set_online(struct e2b_backend *b);
void e2b_poll_now(struct backend *be);
struct box *e2b_watched(struct e2b_backend *b);

/* backend_e2b_list.c: the round's listing merged into the model, team start rate */
void e2b_list_start(struct e2b_backend *b);

/* backend_e2b_metrics.c: batch metrics, the views' demand, rows' history windows */
void e2b_metrics_start(struct e2b_backend *b);
void e2b_metrics_more(struct e2b_backend *b);
void e2b_demand_now(struct backend *be);
void e2b_merge_history(struct e2b_backend *b, struct box *s, const struct api_result *res);
void e2b_hist_queue_clear(struct e2b_backend *b);
void e2b_hist_slots_clear(struct e2b_backend *b);

/* backend_e2b_actions.c: kill, pause, resume, time to live, create; the template list */
struct action *e2b_action_new(struct e2b_backend *b, const char *id, const char *verb);
void e2b_kill(struct backend *be, const char *id);
void e2b_pause(struct backend *be, const char *id);
void e2b_resume(struct backend *be, const char *id);
void e2b_set_timeout(struct backend *be, const char *id, int seconds);
void e2b_create(struct backend *be, const struct create_req *req);
void e2b_add_template(struct e2b_backend *b, const char *t);
void e2b_on_templates(struct api_result *res, void *ud);
const char *const *e2b_templates(struct backend *be);

/* backend_e2b_detail.c: the watched sandbox's processes, logs and history */
void e2b_detail_fetch(struct e2b_backend *b);
void e2b_detail_stop(struct e2b_backend *b);
void e2b_watch(struct backend *be, const char *id);
void e2b_kill_process(struct backend *be, const char *id, uint32_t pid);

#endif
