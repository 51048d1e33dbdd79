/* app_header.c - the two header lines: version, context and backend (cut before the local
 * boxtopd's note), then the running/paused counts, the start rate, what ends within a minute,
 * and either the last update or OFFLINE with the countdown to the next try. */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "app_frame.h"

#define HEADER_LABEL_MIN 14 /* " boxtop 0.1.0" stays beside a long note */

void app_draw_header(struct app *a)
{
    WINDOW *w = a->w_header;
    attr_t h = a->theme.attr[ROLE_HEADER];
    werase(w);
    ui_fill(w, 0, 0, a->cols, h);
    ui_fill(w, 1, 0, a->cols, a->theme.attr[ROLE_NORMAL]);
    char left[512];
    snprintf(left, sizeof(left), " boxtop %s  %s: %s  %s: %s", PACKAGE_VERSION, _("context"),
             a->model.context ? a->model.context : _("default"), _("backend"),
             a->model.backend_label ? a->model.backend_label : "?");
    /* the base image's note is why a first create is slow: the label is cut before it is */
    char note[sizeof a->backend_note + 4], fit[8];
    int nw = 0, room = a->cols;
    if (a->backend_note[0]) {
        snprintf(note, sizeof note, "[%s]", a->backend_note);
        nw = ui_fit(a, note, a->cols, fit, sizeof fit);
        room = a->cols - nw - 2 < HEADER_LABEL_MIN ? HEADER_LABEL_MIN : a->cols - nw - 2;
    }
    int x = ui_text(a, w, 0, 0, room, left, h);
    if (nw) x += 2 + ui_text(a, w, 0, x + 2, a->cols - x - 2, note, h);
    if (a->readonly && x + 12 < a->cols)
        ui_text(a, w, 0, x + 2, a->cols - x - 2, _("[read-only]"), h);

    if (a->counts_gen != a->model.generation + 1) { /* +1: generation 0 is a real one */
        a->n_running = a->n_paused = 0;
        for (int i = 0; i < a->model.n; i++) {
            if (a->model.sb[i]->state == BOX_PAUSED)
                a->n_paused++;
            else
                a->n_running++;
        }
        a->counts_gen = a->model.generation + 1;
    }
    int running = a->n_running, paused = a->n_paused;
    char line[256], lim[32] = "?", spm[32] = "?", upd[48] = "";
    if (a->model.concurrency_limit > 0)
        snprintf(lim, sizeof(lim), "%d", a->model.concurrency_limit);
    /* a recording or a server may say anything: inf and 1e300 stay "?" */
    if (a->model.starts_per_min >= 0 && a->model.starts_per_min < 1e9)
        snprintf(spm, sizeof(spm), "%.0f", a->model.starts_per_min); /* a count, not a rate */
    if (a->model.loading)
        snprintf(upd, sizeof(upd), "%s", _("loading…"));
    else if (a->model.updated_ms) {
        /* an absolute time needs no ticking while idle */
        time_t t = (time_t)(a->model.updated_ms / 1000);
        struct tm tm;
        char d[16];
        localtime_r(&t, &tm);
        strftime(d, sizeof(d), "%H:%M:%S", &tm);
        snprintf(upd, sizeof(upd), _("updated %s"), d);
    }
    /* the platform API does not publish the concurrency limit: show it only when known */
    if (a->model.concurrency_limit > 0)
        snprintf(line, sizeof(line), _(" running %d / limit %s  paused %d  starts/min %s"), running,
                 lim, paused, spm);
    else
        snprintf(line, sizeof(line), _(" running %d  paused %d  starts/min %s"), running, paused,
                 spm);
    x = ui_text(a, w, 1, 0, a->cols, line, a->theme.attr[ROLE_NORMAL]);
    int soon = a->n_expiring;
    if (soon > 0) {
        char exp[64];
        snprintf(exp, sizeof(exp), _("ending <1m %d"), soon);
        x += 2 + ui_text(a, w, 1, x + 2, a->cols - x - 2, exp, a->theme.attr[ROLE_WARN] | A_BOLD);
    }
    if (a->offline) {
        x += 2 + ui_text(a, w, 1, x + 2, a->cols - x - 2, _("OFFLINE"), a->theme.attr[ROLE_CRIT]);
        char again[96];
        app_retry_text(a, again, sizeof again);
        if (again[0] && x + 2 < a->cols)
            ui_text(a, w, 1, x + 2, a->cols - x - 2, again, a->theme.attr[ROLE_WARN]);
    } else
        ui_text_right(a, w, 1, x + 2, a->cols - x - 3, upd, a->theme.attr[ROLE_DIM]);
    wnoutrefresh(w);
}
