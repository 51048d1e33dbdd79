/* view_sandbox_actions.c - the sandboxes view's actions of today's E2B: S snapshots the selected
 * sandbox (asks a name, Enter for none), F forks it (asks how many; the new rows appear with
 * the next poll, which is asked for at once), p asks whether to pause with memory or keep
 * only the filesystem (one key answers) where the backend offers both: every live E2B
 * backend does, a replay does not. Results arrive on the app (the root view never goes).
 * Also n of the snapshots and templates views: a sandbox from one, with a time to live. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "boxtop/snapvol.h"
#include "app.h"
#include "backend_fetch.h"

#define FORK_MAX 100
/* A prompt naming a sandbox shows at least this much of its id before it drops its hint. */
#define PROMPT_ID_MIN 12

struct pending {
    char id[128];
    char **ids; /* p: the targets */
    int n;
    void (*pause_mem)(struct app *a, void *ud);
    void *ud;
};

static struct pending *pending_new(const char *id)
{
    struct pending *p = calloc(1, sizeof *p);
    if (p && id) snprintf(p->id, sizeof p->id, "%s", id);
    return p;
}

static void pending_free(struct pending *p)
{
    if (!p) return;
    for (int i = 0; i < p->n; i++)
        free(p->ids[i]);
    free(p->ids);
    free(p);
}

static bool failed(struct app *a, struct api_result *res, const char *what)
{
    if (res->err.kind == ERROR_NONE) return false;
    app_status_detail(a, STATUS_ERROR, res->err.detail, _("%s failed: %s"), what, res->err.msg);
    return true;
}

/* The prompt label of an action on id: full (with a hint) or brief, each with one %s for
 * the id, sanitized and cut so the label fits the status line beside an empty input. */
static void prompt_on(struct app *a, const char *full, const char *brief, const char *id,
                      prompt_cb fn, void *ud)
{
    char fixed[160], cut[256], label[sizeof a->prompt_label];
    int room = a->cols - PROMPT_INPUT_MIN, idw = ui_fit(a, id, 1000, cut, sizeof cut);
    const char *fmt = full;
    int fw = ui_fit(a, (snprintf(fixed, sizeof fixed, full, ""), fixed), 1000, fixed, sizeof fixed);
    if (room - fw < (idw < PROMPT_ID_MIN ? idw : PROMPT_ID_MIN)) {
        fmt = brief;
        fw =
            ui_fit(a, (snprintf(fixed, sizeof fixed, brief, ""), fixed), 1000, fixed, sizeof fixed);
    }
    ui_fit(a, id, room - fw > 1 ? room - fw : 1, cut, sizeof cut);
    snprintf(label, sizeof label, fmt, cut);
    app_prompt(a, label, "", NULL, fn, ud);
}

/* ---- S ---- */

static void on_snapshot(struct api_result *res, void *ud)
{
    struct app *a = ud;
    struct snapshot_info si = {0};
    struct error err = {0};
    if (failed(a, res, _("snapshot"))) return;
    if (snapshot_info_parse(res->body, res->body_len, &si, &err) < 0) {
        app_status_detail(a, STATUS_ERROR, err.detail, _("snapshot failed: %s"), err.msg);
        return;
    }
    app_status(a, STATUS_INFO, _("snapshot %s taken (see :snapshots)"), si.id);
    snapshot_info_free(&si);
}

static void snapshot_name_done(struct app *a, const char *text, int submit, void *ud)
{
    struct pending *p = ud;
    if (!submit) return;
    if (text) {
        struct error err = {0};
        if (bfetch_snapshot_create(a->be, p->id, text[0] ? text : NULL, on_snapshot, a, &err))
            app_status(a, STATUS_INFO, _("taking a snapshot of %s…"), p->id);
        else
            app_status_detail(a, STATUS_ERROR, err.detail, _("snapshot failed: %s"), err.msg);
    }
    pending_free(p);
}

void sbact_snapshot(struct app *a, const char *id)
{
    if (app_refuse_readonly(a, _("snapshot"))) return;
    struct pending *p = pending_new(id);
    if (p)
        prompt_on(a, _("Snapshot %s, name (Enter for none): "), _("Snapshot %s, name: "), id,
                  snapshot_name_done, p);
}

/* ---- F ---- */

static void on_fork(struct api_result *res, void *ud)
{
    struct app *a = ud;
    struct fork_results fr = {0};
    struct error err = {0};
    if (failed(a, res, _("fork"))) return;
    if (fork_results_parse(res->body, res->body_len, &fr, &err) < 0) {
        app_status_detail(a, STATUS_ERROR, err.detail, _("fork failed: %s"), err.msg);
        return;
    }
    int ok = 0;
    const char *why = NULL;
    for (int i = 0; i < fr.n; i++)
        if (fr.items[i].sandbox_id)
            ok++;
        else if (!why)
            why = fr.items[i].message;
    if (ok == fr.n)
        app_status(a, STATUS_INFO,
                   ngettext_("forked: %d new sandbox", "forked: %d new sandboxes", ok), ok);
    else
        app_status(a, STATUS_ERROR, _("forked %d of %d: %s"), ok, fr.n, why ? why : "?");
    fork_results_free(&fr);
    a->be->ops->poll_now(a->be); /* the new rows, now */
}

static void fork_count_done(struct app *a, const char *text, int submit, void *ud)
{
    struct pending *p = ud;
    if (!submit) return;
    if (text) {
        char *end;
        long n = text[0] ? strtol(text, &end, 10) : 1;
        struct error err = {0};
        if (text[0] && (*end || n < 1 || n > FORK_MAX))
            app_status(a, STATUS_ERROR, _("a count from 1 to %d"), FORK_MAX);
        else if (bfetch_fork(a->be, p->id, (int)n, on_fork, a, &err))
            app_status(a, STATUS_INFO, _("forking %s…"), p->id);
        else
            app_status_detail(a, STATUS_ERROR, err.detail, _("fork failed: %s"), err.msg);
    }
    pending_free(p);
}

void sbact_fork(struct app *a, const char *id)
{
    if (app_refuse_readonly(a, _("fork"))) return;
    struct pending *p = pending_new(id);
    if (p)
        prompt_on(a, _("Fork %s, how many (Enter for 1): "), _("Fork %s, how many: "), id,
                  fork_count_done, p);
}

/* ---- n in the snapshots and templates views ---- */

void sbact_create_from(struct app *a, const char *template_id, const char *ttl, int def_s)
{
    int secs = def_s;
    if (ttl[0] && ui_parse_duration(ttl, &secs)) {
        app_status(a, STATUS_ERROR, "%s", ui_ttl_bad());
        return;
    }
    /* back to the sandboxes first, where it appears (the caller and template_id are freed):
     * the backend's answer then lands there too (a replay's at once, which a pop after the
     * create cleared with the caller's messages) */
    char tid[256];
    snprintf(tid, sizeof tid, "%s", template_id);
    while (a->depth > 1)
        app_pop_view(a);
    app_status(a, STATUS_INFO, _("creating a sandbox…"));
    const char *kv[1] = {NULL};
    struct create_req req = {tid, secs, kv};
    a->be->ops->create(a->be, &req);
}

/* ---- p ---- */

static void on_pause_fs(struct api_result *res, void *ud)
{
    struct app *a = ud;
    if (failed(a, res, _("pause"))) return;
    a->be->ops->poll_now(a->be);
}

static void pause_fs(struct app *a, struct pending *p)
{
    struct error err = {0};
    int started = 0;
    for (int i = 0; i < p->n; i++)
        if (bfetch_pause_fs_only(a->be, p->ids[i], on_pause_fs, a, &err)) started++;
    if (started)
        app_status(a, STATUS_INFO,
                   ngettext_("pausing %d sandbox (filesystem only)…",
                             "pausing %d sandboxes (filesystem only)…", started),
                   started);
    else
        app_status_detail(a, STATUS_ERROR, err.detail, _("pause failed: %s"), err.msg);
}

static void pause_choice(struct app *a, const char *text, int submit, void *ud)
{
    struct pending *p = ud;
    if (!submit && text && (!strcmp(text, "m") || !strcmp(text, "f"))) {
        app_prompt_close(a); /* one key answers */
        submit = 1;
    }
    if (!submit) return;
    if (!text)
        app_status(a, STATUS_INFO, _("cancelled"));
    else if (!text[0] || !strcmp(text, "m"))
        p->pause_mem(a, p->ud);
    else if (!strcmp(text, "f"))
        pause_fs(a, p);
    else
        app_status(a, STATUS_ERROR, "%s", _("answer m (with memory) or f (filesystem only)"));
    pending_free(p);
}

void sbact_pause(struct app *a, const char *const *ids, int n,
                 void (*pause_mem)(struct app *a, void *ud), void *ud)
{
    if (strcmp(a->be->ops->kind, "e2b") != 0) { /* a replay: there is only one kind */
        pause_mem(a, ud);
        return;
    }
    if (app_refuse_readonly(a, _("pause")) || n <= 0) return;
    struct pending *p = pending_new(NULL);
    if (!p || !(p->ids = calloc((size_t)n, sizeof *p->ids))) {
        free(p);
        return;
    }
    for (int i = 0; i < n; i++)
        if ((p->ids[p->n] = strdup(ids[i]))) p->n++;
    p->pause_mem = pause_mem;
    p->ud = ud;
    app_prompt(a, _("Pause: m with memory, f filesystem only: "), "", NULL, pause_choice, p);
}
